"""Session state: one :func:`init_state`, the link read into it once and written back from the
view, :func:`load` (a spec into the controls) and the widgets' callbacks.

Every widget's value lives under its ``key=`` in ``st.session_state``; callbacks set those keys
before the next run draws the widgets.
"""
from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qsl

import streamlit as st

from convviz import ConvSpec, ConvVizError, views
from convviz.gallery import PRESETS
from convviz.ops.pool_conventions import include_pad_default
from convviz.ops.table import FIELDS, OPERATIONS, Operation
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
    params = st.query_params.to_dict()
    view, state.link_error = view_from_link(params)
    load(view.spec)
    state.given = "pt" if "pt" in params and not state.link_error else "p"
    state.figure, state.scatter = view.style, view.scatter
    state.palette_cb = view.palette == "cb"
    load_values(view)


def table(rows: Iterable[Iterable[float | None]]) -> Table:
    """An array's rows, or a data editor's, as a hashable tuple of tuples."""
    return tuple(map(tuple, rows.tolist() if hasattr(rows, "tolist") else rows))


def _keys(field: str) -> tuple[str, str, str]:
    """The widget keys of a size: the square control's, then H's and W's."""
    return field, f"{field}_h", f"{field}_w"


def load(spec: ConvSpec) -> None:
    """Set every control to ``spec`` (before the widgets are drawn); the mode starts here."""
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
    state.mode_began = spec.mode


def values_of(spec: ConvSpec) -> dict[str, object]:
    """The values of ``spec`` as the controls hold them: sizes as (H, W) pairs ('same'
    padding as the cells it pads; a 1-D spec's length twice), channel counts."""
    values = {field: getattr(spec, field) for field in (*CONTROLS, *CHANNELS)}
    if isinstance(spec.padding, str):
        values["padding"] = (spec.pads[0], spec.pads[2])
    if spec.dims == 1:
        values |= {field: (values[field][1],) * 2 for field in CONTROLS}
    return values


def held_values() -> dict[str, object]:
    """What the controls hold now (None for a control not on the page)."""
    state, held = st.session_state, {}
    for field in CONTROLS:
        square, height, width = _keys(field)
        pair = (state.get(height), state.get(width)) if state.get("nonsquare") else \
            (state.get(square), state.get(square))
        held[field] = None if None in pair else pair
    return held | {field: state.get(field) for field in CHANNELS}


def shown(row: Operation, field: str) -> bool:
    """Whether the sidebar offers ``field`` in ``row``'s mode: the fields the row lists
    (``controls``), and any other it takes that holds a value other than its default (a
    link set it)."""
    if field in row.controls:
        return True
    value = held_values().get(field)
    start = values_of(ConvSpec(mode=row.name))
    return row.takes(field) and value is not None and value != start.get(field)


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


def pt_text(spec: ConvSpec) -> str:
    """A transposed spec's actual padding as a link writes it: ``1``, ``1,2`` (H, W), or a
    1-D spec's one value."""
    pt = spec.actual_padding
    return str(pt[-1]) if spec.dims == 1 or pt[0] == pt[1] else f"{pt[0]},{pt[1]}"


def query_text(view: views.View) -> str:
    """The query string of the page's link to ``view``: :meth:`~convviz.views.View.to_query`,
    with ``pt`` for ``p`` where p_t was typed (the link keeps what was typed)."""
    parts = view.to_query().split("&")
    if st.session_state.get("given") == "pt" and view.spec.transposed:
        parts = [f"pt={pt_text(view.spec)}" if part.startswith("p=") else part
                 for part in parts]
    return "&".join(parts)


def sync_link(view: views.View, extra: dict[str, str] | None = None) -> None:
    """Write ``view`` (and ``extra`` keys: the image panel's) to the URL query string, when
    it differs."""
    target = dict(parse_qsl(query_text(view))) | (extra or {})
    if st.query_params.to_dict() != target:
        st.query_params.from_dict(target)


# ---- callbacks ---------------------------------------------------------------------------
def p_typed() -> None:
    """Padding callback: p was typed, so the formula derives p_t from it."""
    st.session_state.given = "p"


def pt_typed(pt_key: str, padding_key: str, span: int) -> None:
    """Drawn-padding callback: p_t was typed (``span`` = d·(k − 1) of its axis), so p is
    ``span − p_t`` and the formula derives p from p_t."""
    state = st.session_state
    state[padding_key] = span - state[pt_key]
    state.given = "pt"


def apply_preset() -> None:
    """Preset picker callback: load the chosen figure."""
    if st.session_state.preset != CUSTOM:
        load(PRESETS[st.session_state.preset].spec)
        st.session_state.given = "p"


def square_changed() -> None:
    """Non-square toggle callback: carry the values over to the other set of controls."""
    state = st.session_state
    for field in CONTROLS:
        square, height, width = _keys(field)
        if state.nonsquare:
            state[height] = state[width] = state.get(square, 0)
        else:
            state[square] = state.get(height, 0)


def convention_changed() -> None:
    """Convention callback: an average pooling's "Count padding" starts at the new
    framework's default (PyTorch counts the padding, TensorFlow, JAX and ONNX do not)."""
    state = st.session_state
    if OPERATIONS[state.mode].takes("count_include_pad"):
        state.count_include_pad = include_pad_default(state.convention)


def mode_changed() -> None:
    """Mode callback: start the new mode from its row of the operation table. A value the
    controls hold carries over where the new row offers it (``controls``), unless the old
    row put it there (its ``defaults``, ``fixed`` and ``minimum`` values, the channels of
    its gallery figure); everything else takes the new row's defaults, its ``fixed`` values
    and the channels of its gallery figure (``preset``). So pointwise gets p = 0 and d = 1,
    separable a 3 × 3 kernel again, convolution drops the channels another mode brought,
    and dilated starts at d = 2; a link still sets anything it names."""
    state = st.session_state
    old, row = OPERATIONS[state.get("mode_began", state.mode)], OPERATIONS[state.mode]
    held, fields = held_values(), {}
    for field in row.controls:
        value = held.get(field)
        if value is None or field in row.fixed or isinstance(row.defaults.get(field), str) \
                or _imposed(old, field, value):
            continue
        low = row.minimum.get(field)
        if low is not None and min(value if isinstance(value, tuple) else (value,)) < low:
            continue                                      # below the new mode's minimum
        fields[field] = value[1] if row.dims == 1 and isinstance(value, tuple) else value
    if row.channels and row.preset is not None:          # its figure's channels
        fields |= {f: getattr(PRESETS[row.preset].spec, f) for f in CHANNELS
                   if f in row.controls}
    convention = state.get("convention") if row.takes("convention") else None
    try:
        spec = ConvSpec(mode=row.name, convention=convention, **fields)
    except ConvVizError:
        spec = ConvSpec(mode=row.name, convention=convention)
    load(spec)
    state.given = "p"


def _imposed(row: Operation, field: str, value: object) -> bool:
    """Whether ``row``'s own rules put ``value`` in ``field``: its default, fixed value or
    minimum there, or its gallery figure's channels."""
    own = values_of(ConvSpec(mode=row.name))
    if field in (*row.defaults, *row.fixed, *row.minimum) and value == own.get(field):
        return True
    return bool(row.channels and row.preset and field in CHANNELS and
                value == getattr(PRESETS[row.preset].spec, field))


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
