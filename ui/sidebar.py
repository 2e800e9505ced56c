"""The sidebar: the gallery picker, the mode, the figure style and the numbers of a spec.

Which controls a mode shows comes from its row of the operation table (``Operation.controls``:
``output_padding`` for a transposed convolution, ``groups`` for a grouped one).
"""
from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from convviz import ConvSpec, ConvVizError, views
from convviz.gallery import PRESETS, name_of
from convviz.ops.table import OPERATIONS

from .fields import (
    CHANNELS,
    CONTROLS,
    CUSTOM,
    DIVISOR,
    FIGURES,
    FRAMEWORKS,
    LENGTHS,
    PADDINGS,
    ROWS,
    SOURCE,
    SWITCHES,
)
from .link import showable_presets
from .state import (
    apply_preset,
    convention_changed,
    mode_changed,
    p_typed,
    pt_typed,
    shown,
    square_changed,
)


def controls() -> tuple[views.View | None, str | None, DeltaGenerator | None]:
    """The sidebar. Returns the view (or None and why it cannot work) and the p_t slot."""
    bar, state = st.sidebar, st.session_state
    bar.markdown("## Configuration")
    preset_slot = bar.container()
    bar.radio("Mode", list(OPERATIONS), format_func=lambda mode: OPERATIONS[mode].label,
              key="mode", on_change=mode_changed)
    transposed = OPERATIONS[state.mode].transposed
    bar.segmented_control("Draw as", list(FIGURES), format_func=FIGURES.get, key="figure",
                          required=True, width="stretch",
                          help="Classic: the conv_arithmetic figure. Numbers: the values in "
                               "the cells and the running output.")
    if transposed and state.figure == "numbers":
        bar.toggle("As PyTorch computes it (scatter)", key="scatter",
                   help="One step per input cell: it stamps its value times the kernel onto "
                        "the output, which sums them up.")
    row = OPERATIONS[state.mode]
    if row.takes("convention"):
        bar.selectbox("Framework convention", list(FRAMEWORKS), format_func=FRAMEWORKS.get,
                      key="convention", on_change=convention_changed,
                      help="Whose rules turn padding='same' into cells: "
                      "TensorFlow/Keras, JAX and ONNX's SAME_UPPER put an odd cell at the "
                      "bottom/right, SAME_LOWER at the top/left; PyTorch refuses 'same' with "
                      "a stride (and for pooling at any stride). The figure, the formula and the "
                      "code follow it.")
    nonsquare = row.dims == 2 and bar.toggle(
        "Different height and width", key="nonsquare", on_change=square_changed)
    fields, pt_slot = number_inputs(state.mode, nonsquare)
    fields |= channel_inputs(state.mode) | switch_inputs(state.mode)
    bar.toggle("Colour-blind safe colours", key="palette_cb",
               help="Blue input, amber second channel, rose output under a black kernel: "
                    "every role stays distinct with any colour-vision deficiency.")
    try:
        convention = state.convention if row.takes("convention") else None
        spec = ConvSpec(mode=state.mode, convention=convention, **fields)
        view, error = views.View(spec, style=state.figure,
                                 scatter=transposed and state.get("scatter", False),
                                 palette="cb" if state.get("palette_cb") else "default"), None
    except ConvVizError as problem:
        view, error = None, str(problem)
    state.preset = (view and name_of(view.spec)) or CUSTOM
    preset_slot.selectbox("Start from a conv_arithmetic figure", [CUSTOM, *showable_presets()],
                          format_func=preset_caption, key="preset", on_change=apply_preset,
                          help=f"The figures of {SOURCE}, and five multi-channel ones.")
    bar.caption("The page's link holds every value: share it to share this view.")
    bar.caption(f"Figures in the style of {SOURCE}.")
    return view, error, pt_slot


def number_inputs(mode: str, nonsquare: bool) -> tuple[dict, DeltaGenerator | None]:
    """The sizes ``mode`` takes, two a row (square) or H and W side by side; returns them and
    the slot for the actual padding p_t (transposed), else None."""
    row, fields, pt_slot = OPERATIONS[mode], {}, None
    for first, second in ROWS:
        same = not row.transposed and (row.weights or row.takes("convention"))  # conv's, pools'
        if first == "padding" and same and shown(row, "padding") \
                and padding_kind() != "numbers":
            fields["padding"] = st.session_state.padding_kind      # 'same' or 'valid'
            continue
        for field in (first, second) if nonsquare else (first,):
            if field not in CONTROLS or not shown(row, field):
                continue
            cols = st.sidebar.columns(2, vertical_alignment="bottom")
            if nonsquare:
                fields[field] = tuple(number_input(col, field, f"_{axis}", f" ({axis.upper()})")
                                      for col, axis in zip(cols, "hw"))
            else:
                fields[field] = number_input(cols[0], field)
                if second in CONTROLS and shown(row, second):
                    fields[second] = number_input(cols[1], second)
            if field == "padding" and row.transposed:
                pt_slot = (st.sidebar if nonsquare else cols[1]).empty()
    return fields, pt_slot


def padding_kind() -> str:
    """How a direct convolution's padding is given: numbers, 'same' or 'valid'."""
    return st.sidebar.segmented_control(
        "Padding", list(PADDINGS), format_func=PADDINGS.get, key="padding_kind", required=True,
        width="stretch", help="Numbers: that many zeros on each side. same: the output is "
        "⌈n/s⌉ long, padded the chosen framework's way. valid: no padding.")


def number_input(col: DeltaGenerator, field: str, suffix: str = "", axis: str = "") -> int:
    """The number control of a size (``suffix`` ``_h``/``_w`` and ``axis`` for one axis); a
    1-D mode's input and kernel are lengths; its lowest value is the mode's where the
    operation table raises it (dilated: d >= 2)."""
    row = OPERATIONS[st.session_state.mode]
    control = LENGTHS[field] if row.dims == 1 and field in LENGTHS else CONTROLS[field]
    lowest = max(control.lowest, row.minimum.get(field, 0))
    return col.number_input(control.label + axis, lowest, control.highest, step=1,
                            help=control.help, key=field + suffix,
                            on_change=p_typed if field == "padding" else None)


def channel_inputs(mode: str) -> dict[str, int]:
    """The channel controls ``mode`` offers, two a row."""
    cols = st.sidebar.columns(2) * 2
    fields = {}
    for col, field in zip(cols, [f for f in CHANNELS if shown(OPERATIONS[mode], f)]):
        control = CHANNELS[field]
        fields[field] = col.number_input(control.label, control.lowest, control.highest,
                                         step=1, help=control.help, key=field)
    return fields


def switch_inputs(mode: str) -> dict[str, object]:
    """The on/off fields ``mode`` offers (ceil mode, count padding, causal) and its divisor."""
    controls, fields = OPERATIONS[mode].controls, {}
    for field, control in SWITCHES.items():
        if field in controls:
            fields[field] = st.sidebar.toggle(control.label, key=field, help=control.help)
    if "divisor_override" in controls:
        divisor = st.sidebar.number_input(DIVISOR.label, DIVISOR.lowest, DIVISOR.highest,
                                          step=1, key="divisor_override", help=DIVISOR.help)
        fields["divisor_override"] = divisor or None
    return fields


def preset_caption(name: str) -> str:
    """A gallery figure's caption in the picker."""
    return "Custom" if name == CUSTOM else PRESETS[name].caption


def actual_padding(slot: DeltaGenerator, spec: ConvSpec) -> None:
    """The actual padding p_t drawn in the figure, beside PyTorch's p (transposed modes), as
    a number to type: typing it sets p = d·(k − 1) − p_t and the formula then derives p from
    it (:func:`ui.state.pt_typed`); typing p derives p_t."""
    state, padding = st.session_state, CONTROLS["padding"]
    axes = pt_axes(spec)
    cols = slot.container().columns(len(axes)) if len(axes) > 1 else [slot.container()]
    for col, (axis, pt_key, padding_key, span, value) in zip(cols, axes):
        state[pt_key] = value                               # follows p until typed itself
        col.number_input(f"Drawn pₜ{axis}", span - padding.highest,
                         span - padding.lowest, step=1, key=pt_key, on_change=pt_typed,
                         args=(pt_key, padding_key, span), help=PT_HELP)


PT_HELP = ("conv_arithmetic draws a transposed convolution as a direct one over the input "
           "with zeros inserted, padded by p_t = d·(k − 1) − p; PyTorch's ConvTranspose2d "
           "takes p. Type either: the other follows, and the formula derives it.")


def pt_axes(spec: ConvSpec) -> list[tuple[str, str, str, int, int]]:
    """Per control of p_t: its label's axis, its key, the key of the p it sets, d·(k − 1)
    and p_t's value in ``spec`` (one control, or H and W for a non-square spec)."""
    spans = [d * (k - 1) for k, d in zip(spec.kernel_size, spec.dilation)]
    pt = spec.actual_padding
    if spec.dims == 1:
        return [("", "pt", "padding", spans[-1], pt[-1])]
    if spec.square:
        return [("", "pt", "padding", spans[0], pt[0])]
    return [(f" ({axis.upper()})", f"pt_{axis}", f"padding_{axis}", span, value)
            for axis, span, value in zip("hw", spans, pt)]
