"""The stack page's session state, its link, and the cached work it asks convviz for.

The page's widgets hold text as typed (the layers, ``n``, the channels) and the chosen cell;
:func:`stack_query` turns them into the keys of a link, and
:meth:`convviz.stack_views.StackView.from_query` reads those (parsing and checking all of it),
so a link and the widgets go through the same door. The link is read once per session and
written back from the view.
"""
from __future__ import annotations

import streamlit as st

from convviz import ConvVizError, stack_views
from convviz.ops.stack_text import PRESETS
from convviz.stack_views import StackView

CUSTOM = "custom"
DEFAULT = "resnet_stem"
"""The preset a page opened without a stack shows."""
ZOOM = {"auto": None, "scale": False, "zoom": True}
"""The figure's zoom choices -> StackView's ``zoom``."""
ZOOM_LABELS = {"auto": "Auto", "scale": "To scale", "zoom": "Zoomed"}
MAX_FRAMES = 16
"""Most cells the page's animation tours (a stack figure has one frame per chosen cell)."""


def init_stack_state() -> str | None:
    """Session defaults; on the page's first run in a session, the stack from the link.
    Returns why the link cannot be shown (once), else None."""
    state = st.session_state
    if state.setdefault("stack_link_read", False):
        return state.pop("stack_link_error", None)
    state.stack_link_read = True
    params = st.query_params.to_dict()
    if "stack" not in params:
        load(DEFAULT)
        return None
    state.stack_text, state.stack_n = params["stack"], params.get("n", "32")
    state.stack_cin, state.stack_cell, state.stack_zoom = 0, None, "auto"
    try:
        view = StackView.from_query(params)
    except ConvVizError as error:                 # the text stays, to be mended
        return str(error)
    state.stack_cin = view.stack.in_channels if "cin" in params else 0
    state.stack_cell = view.cell
    state.stack_zoom = next(name for name, zoom in ZOOM.items() if zoom is view.zoom)
    return None


def load(name: str) -> None:
    """Set the page's controls to preset ``name``."""
    state, preset = st.session_state, PRESETS[name]
    size = preset.input_size
    state.stack_text = preset.text
    state.stack_n = str(size) if isinstance(size, int) else f"{size[0]},{size[1]}"
    state.stack_cin, state.stack_cell = preset.in_channels, None
    state.setdefault("stack_zoom", "auto")


def preset_changed() -> None:
    """Preset picker callback."""
    if st.session_state.stack_preset != CUSTOM:
        load(st.session_state.stack_preset)


def text_changed() -> None:
    """Layers callback: pasted PyTorch names its own input channels (its first in_channels),
    so the channels control goes back to "the first layer's"."""
    if "(" in st.session_state.stack_text:
        st.session_state.stack_cin = 0


def current_preset() -> str:
    """The preset the controls show as it is, else :data:`CUSTOM`."""
    state = st.session_state
    for name, preset in PRESETS.items():
        size = preset.input_size
        written = str(size) if isinstance(size, int) else f"{size[0]},{size[1]}"
        if (state.stack_text.strip(), state.stack_n.strip(), state.stack_cin) == \
                (preset.text, written, preset.in_channels):
            return name
    return CUSTOM


def stack_query() -> dict[str, str]:
    """The link keys of what the controls hold (convviz checks them)."""
    state = st.session_state
    query = {"stack": state.stack_text, "n": state.stack_n}
    if state.stack_cin:
        query["cin"] = str(state.stack_cin)
    if state.stack_cell is not None:
        query["cell"] = f"{state.stack_cell[0]},{state.stack_cell[1]}"
    if ZOOM[state.stack_zoom] is not None:
        query["zoom"] = str(int(ZOOM[state.stack_zoom]))
    return query


def sync_stack_link(view: StackView) -> None:
    """Write ``view``'s keys to the page's URL when they differ."""
    target = view.query()
    if st.query_params.to_dict() != target:
        st.query_params.from_dict(target)


@st.cache_data(max_entries=16, show_spinner=False)
def player_page(view: StackView) -> str:
    """The step player of the stack figure, its cells to point at, keys typed on the page
    stepping it."""
    return stack_views.player_page(view, max_frames=MAX_FRAMES, embedded=True)


@st.cache_data(max_entries=8, show_spinner=False)
def stack_file(view: StackView, fmt: str) -> bytes:
    """The animation (gif, mp4), one step (png, svg, pdf... through :func:`stack_still`) or
    the page that plays on its own (html)."""
    if fmt == "html":
        return stack_views.page(view, max_frames=MAX_FRAMES).encode("utf-8")
    return stack_views.encode(view, fmt, max_frames=MAX_FRAMES)


@st.cache_data(max_entries=16, show_spinner=False)
def stack_still(view: StackView, index: int, fmt: str) -> bytes:
    """Step ``index`` as png, svg or pdf bytes."""
    return stack_views.still(view, index, fmt)
