"""Session state: one :func:`init_state`, the link read into it once and written back from the
view, :func:`load` (a spec into the controls) and the widgets' callbacks.

Every widget's value lives under its ``key=`` in ``st.session_state``; callbacks set those keys
before the next run draws the widgets.
"""
from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qsl

import streamlit as st

from convviz import ConvSpec, views
from convviz.gallery import PRESETS
from convviz.ops.table import FIELDS, OPERATIONS
from convviz.sample import Table
from convviz.values import parse_kernel, parse_values, preset_name

from .fields import CHANNELS, CONTROLS, CUSTOM, DEFAULT, RANDOM, SWITCHES
from .link import view_from_link
from .pictures import init_image

VALUE_WIDGETS = {"kernel_choice": RANDOM, "seed": 0, "custom_input": False}
"""The values panel's widgets and their defaults (kept while the panel is not drawn)."""


def init_state() -> None:
    """Session defaults; on a session's first run, the configuration from the link."""
    state = st.session_state
    state.setdefault("link_error", None)
    state.setdefault("last_good", PRESETS[DEFAULT].spec)
    for key in ("kernel_rows", "input_rows", "shown_values"):
        state.setdefault(key, None)
    for key, default in VALUE_WIDGETS.items():
        state[key] = state.setdefault(key, default)   # kept while the values panel is hidden
    for key in (*SWITCHES, "divisor_override"):       # kept while their mode is not shown
        state[key] = state.setdefault(key, FIELDS[key] if key in SWITCHES else 0)
    first = not state.setdefault("link_read", False)
    init_image(st.query_params.to_dict() if first else None)
    if not first:
        return
    state.link_read = True
    view, state.link_error = view_from_link(st.query_params.to_dict())
    load(view.spec)
    state.figure, state.scatter = view.style, view.scatter
    load_values(view)


def table(rows: Iterable[Iterable[float | None]]) -> Table:
    """An array's rows, or a data editor's, as a hashable tuple of tuples."""
    return tuple(map(tuple, rows.tolist() if hasattr(rows, "tolist") else rows))


def _keys(field: str) -> tuple[str, str, str]:
    """The widget keys of a size: the square control's, then H's and W's."""
    return field, f"{field}_h", f"{field}_w"


def load(spec: ConvSpec) -> None:
    """Set every control to ``spec`` (before the widgets are drawn)."""
    state = st.session_state
    state.mode, state.nonsquare = spec.mode, spec.dims == 2 and not spec.square
    state.convention = spec.convention
    state.padding_kind = spec.padding if isinstance(spec.padding, str) else "numbers"
    for field in CONTROLS:
        height, width = (spec.pads[0], spec.pads[2]) if field == "padding" and \
            isinstance(spec.padding, str) else getattr(spec, field)
        height = width if spec.dims == 1 else height        # a 1-D spec: its length
        for key, value in zip(_keys(field), (height, height, width)):
            state[key] = value
    for field in CHANNELS:
        state[field] = getattr(spec, field)
    for field in SWITCHES:
        state[field] = getattr(spec, field)
    state.divisor_override = spec.divisor_override or 0


def load_values(view: views.View) -> None:
    """Set the values panel to ``view``'s seed, kernel and input (the view checked them)."""
    state, kernel = st.session_state, view.kernel
    text = isinstance(kernel, str)
    state.seed = view.seed
    state.kernel_choice = RANDOM if kernel is None else (
        (text and preset_name(kernel)) or CUSTOM)
    if state.kernel_choice == CUSTOM:
        state.kernel_rows = table(parse_kernel(kernel) if text else kernel)
    state.custom_input = view.values is not None
    if state.custom_input:
        state.input_rows = table(parse_values(view.values)
                                 if isinstance(view.values, str) else view.values)


def sync_link(view: views.View, extra: dict[str, str] | None = None) -> None:
    """Write ``view`` (and ``extra`` keys: the image panel's) to the URL query string, when
    it differs."""
    target = dict(parse_qsl(view.to_query())) | (extra or {})
    if st.query_params.to_dict() != target:
        st.query_params.from_dict(target)


# ---- callbacks ---------------------------------------------------------------------------
def apply_preset() -> None:
    """Preset picker callback: load the chosen figure."""
    if st.session_state.preset != CUSTOM:
        load(PRESETS[st.session_state.preset].spec)


def square_changed() -> None:
    """Non-square toggle callback: carry the values over to the other set of controls."""
    state = st.session_state
    for field in CONTROLS:
        square, height, width = _keys(field)
        if state.nonsquare:
            state[height] = state[width] = state.get(square, 0)
        else:
            state[square] = state.get(height, 0)


def mode_changed() -> None:
    """Mode callback: start the new mode from its row of the operation table. Sizes below the
    row's minimum rise to it (dilated: d = 2), fixed sizes take their value (pointwise: a
    1 × 1 kernel), and a multi-channel mode takes the channels of its gallery figure (the
    row's ``preset``); every other value stays."""
    state = st.session_state
    row = OPERATIONS[state.mode]
    for field, lowest in row.minimum.items():
        for key in _keys(field) if field in CONTROLS else (field,):
            if state.get(key, lowest) < lowest:
                state[key] = lowest
    for field, value in row.fixed.items():
        if field in CONTROLS and value not in FIELDS:        # a number, not another field
            for key in _keys(field):
                state[key] = value
    if row.channels and row.preset is not None:
        figure = PRESETS[row.preset].spec
        for field in CHANNELS:
            state[field] = getattr(figure, field)
    copied_defaults(row)


def copied_defaults(row) -> None:
    """A new mode's defaults that copy another size (pooling: the stride is the window's) and
    its shape: a 1-D mode takes one length per size (the width)."""
    state = st.session_state
    if row.dims == 1 and state.get("nonsquare"):
        state.nonsquare = False
        for field in CONTROLS:
            state[field] = state.get(f"{field}_w", state.get(field))
    for field, source in row.defaults.items():
        if field in CONTROLS and source in CONTROLS:
            for key, copied in zip(_keys(field), _keys(source)):
                state[key] = state.get(copied, state.get(source))


def kernel_changed() -> None:
    """Kernel choice callback: a custom kernel starts from the weights on the page."""
    state = st.session_state
    if state.kernel_choice == CUSTOM and state.shown_values:
        state.kernel_rows = state.shown_values[1]
        state.pop("kernel_grid", None)                    # the editor's edits were on the old


def input_changed() -> None:
    """Custom input toggle callback: the custom input starts from the input on the page."""
    state = st.session_state
    if state.custom_input and state.shown_values:
        state.input_rows = state.shown_values[0]
        state.pop("input_grid", None)
