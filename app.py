"""convviz in the browser: pick a convolution, read its output size off the formula, step
through the figure, copy the PyTorch line, download the figure, share a link.

    streamlit run app.py

This file lays out widgets and holds session and URL state. Every number it shows comes from
convviz: ConvSpec validates and sizes, output_formula writes the formula, views draws the
frames, encodes the downloads, writes each step's arithmetic and the link, values holds the
kernel presets and checks custom values, and the player steps through the frames in the
browser (no round trip to the server per step).
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qsl

import streamlit as st

from convviz import (
    ConvSpec,
    ConvVizError,
    channels,
    counts,
    output_formula,
    player,
    style,
    values,
    views,
)
from convviz.gallery import PRESETS

MODES = {"conv": "Convolution", "transposed": "Transposed convolution",
         "dilated": "Dilated convolution", "depthwise": "Depthwise convolution",
         "grouped": "Grouped convolution", "pointwise": "Pointwise (1 × 1) convolution",
         "separable": "Depthwise-separable convolution"}
MODE_PRESETS = {"dilated": "dilation", "depthwise": "depthwise", "grouped": "grouped",
                "pointwise": "pointwise", "separable": "separable"}
"""Switching to these modes takes the channels (and a pointwise kernel) from their figure."""
FIGURES = {"classic": "Classic", "numbers": "Numbers"}
CONTROLS = {  # field: (symbol, label, lowest, highest, help)
    "input_size": ("n", "Input size n", 1, 16, "The input is n × n cells."),
    "kernel_size": ("k", "Kernel size k", 1, 7, "The kernel is k × k weights."),
    "stride": ("s", "Stride s", 1, 4, "How far the kernel moves per step. A transposed "
               "convolution inserts s − 1 zeros between input cells instead."),
    "dilation": ("d", "Dilation d", 1, 4, "Spacing of the kernel's taps (1: adjacent)."),
    "padding": ("p", "Padding p", 0, 8, "PyTorch's padding: zeros around the input; for a "
                "transposed convolution, what is cropped from the output."),
    "output_padding": ("a", "Out. padding a", 0, 3, "Extra rows and columns at the "
                       "bottom/right of a transposed convolution's output (PyTorch's "
                       "output_padding)."),
}
CHANNELS = {  # field: (query key, label, lowest, highest, help)
    "in_channels": ("cin", "In channels", 1, 8, "Input channels C_in."),
    "out_channels": ("cout", "Out channels", 1, 8, "Output channels C_out: one kernel "
                     "(of C_in/groups channels) each."),
    "groups": ("groups", "Groups", 1, 8, "Channels split into this many groups, each "
               "convolved on its own (C_in and C_out divisible by it)."),
}
ROWS = (("input_size", "kernel_size"), ("stride", "dilation"), ("padding", "pt"),
        ("output_padding", None))  # the sidebar, two a row ("pt": the actual padding's slot)
MAX_FRAMES = 400  # most steps the in-browser animation plays
DEFAULT = "padding_strides"
CUSTOM = "custom"
RANDOM = "random"
KERNELS = {RANDOM: "Random (seeded)", "identity": "Identity", "box_blur": "Box blur (sum 9)",
           "gaussian": "Gaussian 3 × 3 (sum 16)", "sharpen": "Sharpen", "sobel_x": "Sobel x",
           "sobel_y": "Sobel y", "laplacian": "Laplacian", CUSTOM: "Custom"}
"""Readable names of the kernel choices: random, values.KERNEL_PRESETS, custom."""
VALUE_WIDGETS = {"kernel_choice": RANDOM, "seed": 0, "custom_input": False}
"""The values panel's widgets and their defaults (kept while the panel is not drawn)."""
VIEW_KEYS = {"style", "view", "seed", "kernel", "values"}
"""Link keys that describe how to show a spec, not the spec."""
MAX_SEED = 999_999
ANIMATION_MIME = {"gif": "image/gif", "mp4": "video/mp4"}
STILL_MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
ICON = Path(__file__).resolve().parent / "assets" / "favicon.png"  # served locally, no CDN
PLAYER_ALT = "The convolution, one kernel position per step"


# ---- pure and cached: what takes time ----------------------------------------------------
@st.cache_data(max_entries=48, show_spinner=False)
def player_page(view: views.View) -> str:
    """The step player's HTML for ``view`` (ConvVizError past MAX_FRAMES)."""
    anim = views.animation(view, max_frames=MAX_FRAMES)
    return player.html(anim.frames, step_captions(view), palette=anim.palette,
                       key=view.to_query(), name=file_stem(view))


@st.cache_data(max_entries=16, show_spinner=False)
def animation_file(view: views.View, fmt: str) -> bytes:
    """The whole animation as GIF or MP4 bytes."""
    return views.encode(view, fmt, max_frames=MAX_FRAMES)


@st.cache_data(max_entries=32, show_spinner=False)
def still_file(view: views.View, index: int, fmt: str) -> bytes:
    """Frame ``index`` as PNG, SVG or PDF bytes."""
    return views.still(view, index, fmt)


def vector_still(view: views.View) -> bool:
    """Whether SVG and PDF stills of ``view`` are vector drawings (the classic one-channel
    figure) rather than the frame's pixels on a page."""
    return view.style == "classic" and not channels.is_multichannel(view.spec)


@st.cache_data(max_entries=48, show_spinner=False)
def step_captions(view: views.View) -> list[str]:
    """What each frame computes, with the view's numbers (else which output cells it fills)."""
    return views.captions(view)


def file_stem(view: views.View) -> str:
    """Download names: the conv_arithmetic name of a classic figure, else the query."""
    name = matching_preset(view.spec)
    if name == CUSTOM:
        name = "convviz_" + view.spec.to_query().replace("&", "_").replace("=", "")
    parts = [name.replace(",", "x")]
    if view.style == "numbers":                     # its figure shows the values: name them
        parts += ["numbers", view.kernel if isinstance(view.kernel, str) else
                  "custom_kernel" if view.kernel else "", "custom_input" if view.values else "",
                  f"seed{view.seed}" if view.seed else "", "scatter" if view.scatter else ""]
    return "_".join(part for part in parts if part)


def matching_preset(spec: ConvSpec) -> str:
    """The name of the preset that is exactly ``spec``, else CUSTOM."""
    return next((name for name, preset in PRESETS.items() if preset.spec == spec), CUSTOM)


def table(array) -> views.Table:
    """An array's rows, or a data editor's, as a hashable tuple of tuples."""
    return tuple(map(tuple, array.tolist() if hasattr(array, "tolist") else array))


# ---- state -------------------------------------------------------------------------------
def init_state() -> None:
    """Session defaults; on a session's first run, the configuration from the link."""
    state = st.session_state
    state.setdefault("link_error", None)
    state.setdefault("last_good", PRESETS[DEFAULT].spec)
    for key in ("kernel_rows", "input_rows", "shown_values"):
        state.setdefault(key, None)
    for key, default in VALUE_WIDGETS.items():
        state[key] = state.setdefault(key, default)   # kept while the values panel is hidden
    if state.setdefault("link_read", False):
        return
    state.link_read = True
    view, state.link_error = view_from_link(st.query_params.to_dict())
    load(view.spec)
    state.figure, state.scatter = view.style, view.scatter
    load_values(view)


def view_from_link(params: dict[str, str]) -> tuple[views.View, str | None]:
    """The view a link describes and None, or the default view and why the link cannot work."""
    if not params.keys() - VIEW_KEYS:               # no spec in the link: the default figure's
        params = dict(parse_qsl(PRESETS[DEFAULT].spec.to_query())) | params
    try:
        view = views.View.from_query(params)
        check_showable(view.spec)
        check_values(view)
        return view, None
    except ConvVizError as error:
        return views.View(PRESETS[DEFAULT].spec), str(error)


def check_showable(spec: ConvSpec) -> None:
    """Refuse a valid spec that the app's controls cannot hold (mode, channels, ranges)."""
    if spec.mode not in MODES:
        raise ConvVizError(f"mode must be one of {', '.join(MODES)}, got {spec.mode!r}")
    if spec.padding_mode != "zeros":
        raise ConvVizError(f"the app shows zero padding only, got pm={spec.padding_mode}")
    if isinstance(spec.padding, str):
        raise ConvVizError(f"the app takes padding as numbers, got p={spec.padding}: "
                           f"write the padding it stands for, e.g. p=1")
    for field, (symbol, _, lowest, highest, _) in (CONTROLS | CHANNELS).items():
        value = getattr(spec, field)
        for number in value if isinstance(value, tuple) else (value,):
            if not lowest <= number <= highest:
                raise ConvVizError(f"{symbol} must be in {lowest}..{highest} in the app, "
                                   f"got {number}")


def check_values(view: views.View) -> None:
    """Refuse values the app's values panel cannot hold, and values that cannot work."""
    if (view.seed, view.kernel, view.values) == (0, None, None):
        return
    if channels.is_multichannel(view.spec):
        raise ConvVizError(f"the app takes seed, kernel and values for one channel, got "
                           f"mode={view.spec.mode}, cin={view.spec.in_channels}, "
                           f"cout={view.spec.out_channels}")
    if view.seed > MAX_SEED:
        raise ConvVizError(f"seed must be in 0..{MAX_SEED} in the app, got {view.seed}")
    values.values_for(view.spec, seed=view.seed, kernel=view.kernel, input=view.values)


def load(spec: ConvSpec) -> None:
    """Set every control to ``spec`` (before the widgets are drawn)."""
    state = st.session_state
    state.mode, state.nonsquare = spec.mode, not spec.square
    for field in CONTROLS:
        height, width = getattr(spec, field)
        state[field], state[f"{field}_h"], state[f"{field}_w"] = height, height, width
    for field in CHANNELS:
        state[field] = getattr(spec, field)


def load_values(view: views.View) -> None:
    """Set the values panel to ``view``'s seed, kernel and input (checked values)."""
    state, kernel = st.session_state, view.kernel
    text = isinstance(kernel, str)
    state.seed = view.seed
    state.kernel_choice = RANDOM if kernel is None else (
        (text and values.preset_name(kernel)) or CUSTOM)
    if state.kernel_choice == CUSTOM:
        state.kernel_rows = table(values.parse_kernel(kernel) if text else kernel)
    state.custom_input = view.values is not None
    if state.custom_input:
        state.input_rows = table(values.parse_values(view.values)
                                 if isinstance(view.values, str) else view.values)


def apply_preset() -> None:
    """Preset picker callback: load the chosen figure."""
    if st.session_state.preset != CUSTOM:
        load(PRESETS[st.session_state.preset].spec)


def square_changed() -> None:
    """Non-square toggle callback: carry the values over to the other set of controls."""
    state = st.session_state
    for field in CONTROLS:
        if state.nonsquare:
            state[f"{field}_h"] = state[f"{field}_w"] = state.get(field, 0)
        else:
            state[field] = state.get(f"{field}_h", 0)


def mode_changed() -> None:
    """Mode callback: a dilated convolution starts at its figure's d = 2, the multi-channel
    modes with their figure's channels (and 1 x 1 kernel for pointwise); others keep theirs."""
    state = st.session_state
    preset = PRESETS[MODE_PRESETS[state.mode]].spec if state.mode in MODE_PRESETS else None
    if state.mode == "dilated" and state.get("dilation") == 1 and not state.nonsquare:
        state.dilation = 2
    elif preset is not None and state.mode != "dilated":
        for field in CHANNELS:
            state[field] = getattr(preset, field)
        if state.mode == "pointwise":
            state.kernel_size = state.kernel_size_h = state.kernel_size_w = 1


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


def sync_link(view: views.View) -> None:
    """Write ``view`` to the URL query string, when it differs."""
    target = dict(parse_qsl(view.to_query()))
    if st.query_params.to_dict() != target:
        st.query_params.from_dict(target)


# ---- sidebar -----------------------------------------------------------------------------
def controls() -> tuple[views.View | None, str | None, object]:
    """The sidebar. Returns the view (or None and why it cannot work) and the p_t slot."""
    bar, state = st.sidebar, st.session_state
    bar.markdown("## Configuration")
    preset_slot = bar.container()
    bar.radio("Mode", list(MODES), format_func=MODES.get, key="mode", on_change=mode_changed)
    transposed = state.mode == "transposed"
    bar.segmented_control("Draw as", list(FIGURES), format_func=FIGURES.get, key="figure",
                          required=True, width="stretch",
                          help="Classic: the conv_arithmetic figure. Numbers: the values in "
                               "the cells and the running output.")
    if transposed and state.figure == "numbers":
        bar.toggle("As PyTorch computes it (scatter)", key="scatter",
                   help="One step per input cell: it stamps its value times the kernel onto "
                        "the output, which sums them up.")
    nonsquare = bar.toggle("Different height and width", key="nonsquare",
                           on_change=square_changed)
    fields, pt_slot = number_inputs(nonsquare, transposed)
    fields |= channel_inputs(state.mode)
    try:
        spec = ConvSpec(mode=state.mode, **fields)
        view, error = views.View(spec, style=state.figure,
                                 scatter=transposed and state.get("scatter", False)), None
    except ConvVizError as problem:
        view, error = None, str(problem)
    state.preset = matching_preset(view.spec) if view else CUSTOM
    preset_slot.selectbox("Start from a figure of the seed note", [CUSTOM, *showable_presets()],
                          format_func=preset_caption, key="preset", on_change=apply_preset)
    bar.caption("The page's link holds every value: share it to share this view.")
    return view, error, pt_slot


def number_inputs(nonsquare: bool, transposed: bool) -> tuple[dict, object]:
    """The numbers, two a row (square) or H and W side by side; returns them and p_t's slot."""
    fields, pt_slot = {}, None
    for first, second in ROWS:
        if first == "output_padding" and not transposed:
            continue
        for field in (first, second) if nonsquare else (first,):
            if field not in CONTROLS:
                continue
            cols = st.sidebar.columns(2, vertical_alignment="bottom")
            if nonsquare:
                fields[field] = tuple(number_input(col, field, f"_{axis}", f" ({axis.upper()})")
                                      for col, axis in zip(cols, "hw"))
            else:
                fields[field] = number_input(cols[0], field)
                if second in CONTROLS:
                    fields[second] = number_input(cols[1], second)
            if field == "padding" and transposed:
                pt_slot = (st.sidebar if nonsquare else cols[1]).empty()
    return fields, pt_slot


def channel_inputs(mode: str) -> dict[str, int]:
    """C_in and C_out, and the groups of a grouped convolution (the other modes set theirs)."""
    shown = ["in_channels", "out_channels"] + (["groups"] if mode == "grouped" else [])
    cols = st.sidebar.columns(2) * 2
    fields = {}
    for col, field in zip(cols, shown):
        _, label, lowest, highest, tip = CHANNELS[field]
        fields[field] = col.number_input(label, lowest, highest, step=1, help=tip, key=field)
    return fields


def number_input(col, field: str, suffix: str = "", axis: str = "") -> int:
    _, label, lowest, highest, tip = CONTROLS[field]
    return col.number_input(label + axis, lowest, highest, step=1, help=tip, key=field + suffix)


def showable_presets() -> list[str]:
    """Preset names the app's controls can hold."""
    names = []
    for name, preset in PRESETS.items():
        try:
            check_showable(preset.spec)
        except ConvVizError:
            continue
        names.append(name)
    return names


def preset_caption(name: str) -> str:
    return "Custom" if name == CUSTOM else PRESETS[name].caption


def actual_padding(slot, spec: ConvSpec) -> None:
    """The seed's actual padding p_t next to PyTorch's p (transposed mode)."""
    pt = spec.actual_padding
    shown = pt[0] if spec.square else f"{pt[0]}, {pt[1]}"
    slot.markdown(f"<div class='pt'>p<sub>t</sub> = {shown}<br><small>seed's actual padding"
                  f"</small></div>", unsafe_allow_html=True,
                  help="The seed note writes a transposed convolution with its actual "
                       "padding p_t = d·(k − 1) − p, PyTorch with p.")


# ---- main area ---------------------------------------------------------------------------
def header() -> None:
    st.markdown("# convviz <span class='tagline'>convolution arithmetic, step by step</span>",
                unsafe_allow_html=True)


def problems(error: str | None) -> None:
    """A link or a combination that cannot work: the reason, and a way back."""
    link_error = st.session_state.pop("link_error", None)   # shown once, until a change
    if link_error:
        st.error(f"**This link cannot be shown:** {plain(link_error)}. "
                 f"Showing *{PRESETS[DEFAULT].caption}* instead.", icon=":material/link_off:")
    if error:
        good = st.session_state.last_good
        st.error(f"**This combination cannot work:** {plain(error)}. Change the value it "
                 f"names, or go back to the last one that worked.", icon=":material/error:")
        st.button(f"Back to {good.torch_line()} on a {size_text(good.input_size)} input",
                  key="restore", on_click=load, args=(good,), type="primary")


def plain(text: str) -> str:
    """``text`` as written, inside Markdown (a message's ``*`` or ``_`` stay as they are)."""
    return re.sub(r"([\\`*_{}\[\]<>#|~$!-])", r"\\\1", text)


def size_text(pair: tuple[int, int]) -> str:
    return f"{pair[0]} × {pair[1]}"


def formula(spec: ConvSpec) -> None:
    """The output-size formula, as written and with this configuration's numbers; the size."""
    result = output_formula(spec)
    with st.container(border=True, key="formula"):
        lines, size = st.columns([6, 1], vertical_alignment="center")
        with lines:
            st.caption("Output size")
            with st.container(key="symbolic"):
                st.latex(result.symbolic)
            for line in result.latex:
                st.latex(line)
        size.metric("Output", size_text(spec.output_size), border=False)


def animation(view: views.View) -> bool:
    """The figure with its step controls (played in the browser), and what it shows; False
    when it cannot be drawn here (the reason is on the page)."""
    try:
        count = views.frame_count(view)
        if count > MAX_FRAMES:
            st.info(f"**This animation has {count} steps**, one per kernel position; the page "
                    f"plays up to {MAX_FRAMES}. Use a smaller input or a larger stride, or draw "
                    f"it with `python -m convviz render`.", icon=":material/movie:")
            return False
        page = player_page(view)
    except ConvVizError as error:
        st.info(f"**This figure cannot be drawn here:** {plain(str(error))}.",
                icon=":material/movie:")
        return False
    st.iframe(page, height="content", alt=PLAYER_ALT)
    if view.style == "classic":
        legend(channels.is_multichannel(view.spec))
    return True


def legend(multichannel: bool) -> None:
    """What the classic figure's colours mean."""
    chips = [(style.INPUT, "input")] + ([(style.VIOLET, "next input channel")] if multichannel
                                        else []) + [(style.WHITE, "padding / inserted zeros"),
             (style.blend(style.WHITE, style.KERNEL, style.KERNEL_ALPHA), "kernel"),
             (style.OUTPUT, "output"),
             (style.blend(style.OUTPUT, style.KERNEL, style.KERNEL_ALPHA), "this step's output")]
    st.markdown(" ".join(f"<span class='chip'><i style='background:{style.hex_colour(rgb)}'>"
                         f"</i>{text}</span>" for rgb, text in chips), unsafe_allow_html=True)


# ---- values: what the numbers figure draws and the captions compute with ------------------
def values_panel(view: views.View, notes) -> views.View:
    """Kernel, seed and custom grids, with the input, weights and output they give (one
    channel); returns ``view`` with those values. Problems with them go to ``notes``."""
    if channels.is_multichannel(view.spec):
        return view
    try:
        views.numbers_figure(views.View(view.spec))           # within the numbers' size?
    except ConvVizError as error:
        st.caption(f"The step captions name the output cell only: {plain(str(error))}.")
        return view
    state = st.session_state
    fit_custom(view.spec, notes)
    custom = state.kernel_choice == CUSTOM or state.custom_input
    with st.expander("Values: input x, weights w, output y", icon=":material/grid_on:",
                     expanded=view.style == "numbers" or custom):
        value_controls()
        grids = st.container(horizontal=True, gap="medium", key="grids")  # side by side, as
        x_box, w_box, y_box = (grids.container(width="content") for _ in "xwy")  # wide as they are
        view = chosen_values(view, x_box, w_box, notes)
        figure = views.numbers_figure(view)
        state.shown_values = (table(figure.x), table(figure.weight))
        for box, name, array, edited in ((x_box, "x", figure.x, state.custom_input),
                                         (w_box, "w", figure.weight,
                                          state.kernel_choice == CUSTOM),
                                         (y_box, "y", figure.output, False)):
            if not edited:                            # an edited grid shows itself
                box.markdown(f"**{name}**")
                box.table([[values.format_number(v) for v in row] for row in array.tolist()],
                          hide_index=True, hide_header=True, width="content")
        st.caption(values_caption(view))
    return view


def value_controls() -> None:
    """The kernel choice, the seed and the custom input toggle, in one row."""
    (low, high), (w_low, w_high) = values.INPUT_RANGE, values.KERNEL_RANGE
    pick, seed, own = st.columns([8, 5, 7], vertical_alignment="bottom")
    pick.selectbox("Kernel", [RANDOM, *values.KERNEL_PRESETS, CUSTOM], key="kernel_choice",
                   format_func=lambda name: KERNELS.get(name, name.replace("_", " ")),
                   on_change=kernel_changed,
                   help="Presets are the usual 3 × 3 image kernels, as PyTorch applies them "
                        "(no flip). Custom: edit the weights in the grid below.")
    seed.number_input("Seed", 0, MAX_SEED, step=1, key="seed",
                      help=f"Seeds the random small integers: input {low}..{high}, weights "
                           f"{w_low}..{w_high}.")
    own.toggle("Custom input", key="custom_input", on_change=input_changed,
               help="Edit the input's values in the grid below.")


def chosen_values(view: views.View, x_box, w_box, notes) -> views.View:
    """``view`` with the seed, kernel and input the panel holds (the custom ones edited in
    grids); a kernel or input that cannot work is left out, and ``notes`` say why."""
    state = st.session_state
    view = replace(view, seed=state.seed)
    kernel = state.kernel_choice if state.kernel_choice in values.KERNEL_PRESETS else None
    if state.kernel_choice == CUSTOM:
        kernel = grid_editor(w_box, "w", "kernel_grid", state.kernel_rows)
    given = grid_editor(x_box, "x", "input_grid", state.input_rows) if state.custom_input else None
    kernel = usable(values.kernel_weight, view, kernel, "kernel", notes)
    given = usable(values.input_values, view, given, "input", notes)
    if state.kernel_choice == CUSTOM and kernel:
        state.kernel_rows = kernel                        # edits survive a hidden editor
    if given:
        state.input_rows = given
    return replace(view, kernel=kernel, values=given)


def grid_editor(box, name: str, key: str, rows: views.Table) -> views.Table:
    """A grid of numbers prefilled with ``rows``; returns them as the user left them."""
    box.markdown(f"**{name}** (edit)")
    edited = box.data_editor([[float(value) for value in row] for row in rows], key=key,
                             column_config={str(j): st.column_config.NumberColumn(
                                 format="%g", width=44) for j, _ in enumerate(rows[0])},
                             width="content")
    return table(edited)


def usable(check, view: views.View, rows, what: str, notes):
    """``rows`` when ``check`` (a values function) accepts them for the view's spec, else
    None, with the reason in ``notes``."""
    if rows is None:
        return None
    problem = refusal(check, view.spec, rows)
    if problem is None:
        return rows
    instead = "weights" if what == "kernel" else "input values"
    notes.error(f"**This {what} cannot be used:** {plain(problem)}. The figure uses "
                f"random {instead} (seed {view.seed}) instead.", icon=":material/error:")
    return None


def fit_custom(spec: ConvSpec, notes) -> None:
    """Custom grids of another size than the spec's (it changed) go back to random values."""
    state = st.session_state
    if state.kernel_choice == CUSTOM and (state.kernel_rows is None or refusal(
            values.kernel_weight, spec, state.kernel_rows)):
        state.kernel_choice = RANDOM
        notes.info(f"The custom kernel does not fit a {size_text(spec.kernel_size)} kernel: "
                   f"back to random weights (seed {state.seed}).", icon=":material/grid_on:")
    if state.custom_input and (state.input_rows is None or refusal(
            values.input_values, spec, state.input_rows)):
        state.custom_input = False
        notes.info(f"The custom input does not fit a {size_text(spec.input_size)} input: "
                   f"back to random values (seed {state.seed}).", icon=":material/grid_on:")


def refusal(check, spec: ConvSpec, rows) -> str | None:
    """Why ``check`` (a values function) refuses ``rows`` for ``spec``, or None."""
    try:
        check(spec, rows)
    except ConvVizError as error:
        return str(error)
    return None


def values_caption(view: views.View) -> str:
    """Where the values come from, and what the steps do with them."""
    kernel = ("your weights" if view.kernel and view.kernel not in values.KERNEL_PRESETS else
              f"the {KERNELS[view.kernel]} preset" if view.kernel else
              f"random small integers (seed {view.seed})")
    given = "your input" if view.values else f"random small integers (seed {view.seed})"
    return (f"x: {given}; w: {kernel}; y comes from convviz's engine, equal to PyTorch's. "
            f"Each step multiplies the cells under the kernel by the weights over them"
            + (", which the transposed figure draws flipped." if view.spec.transposed else "."))


def pytorch(spec: ConvSpec) -> None:
    """The PyTorch line that computes this convolution, and its shapes."""
    st.markdown("#### In PyTorch")
    shape = ", ".join(map(str, spec.input_shape))
    st.code(f"import torch\nfrom torch import nn\n\nlayer = {spec.torch_line()}\n"
            f"y = layer(torch.randn({shape}))\n"
            f"y.shape  # torch.Size({list(spec.output_shape)})", language="python",
            wrap_lines=True)
    sizes = counts.count(spec)
    st.caption(f"{sizes.parameters:,} parameters ({sizes.weights:,} weights + {sizes.biases} "
               f"biases) · {sizes.macs:,} multiply-adds, {sizes.macs_per_output:.3g} per "
               f"output value")
    if spec.in_channels > 1 and not spec.transposed and spec.mode != "separable":
        both = counts.compare(spec)
        st.caption(f"A depthwise-separable convolution of these sizes needs "
                   f"{both.separable.weights:,} weights and {both.separable.macs:,} "
                   f"multiply-adds: {both.weight_ratio:.0%} of the standard one's "
                   f"{both.standard.weights:,} and {both.standard.macs:,}.")


def share(view: views.View) -> None:
    """The link to this exact view."""
    st.markdown("#### Share")
    st.code(f"{st.context.url or ''}?{view.to_query()}", language=None, wrap_lines=True)


@st.fragment
def downloads(view: views.View) -> None:
    """GIF/MP4 of the animation, PNG/SVG/PDF of one step; each made only when asked for (a
    drawable view: :func:`animation` said so)."""
    st.markdown("#### Download")
    stem = file_stem(view)
    for col, (fmt, mime) in zip(st.columns(2), ANIMATION_MIME.items()):
        col.download_button(f"Animation ({fmt.upper()})",
                            lambda fmt=fmt: animation_file(view, fmt),
                            file_name=f"{stem}.{fmt}", mime=mime, key=f"dl_{fmt}",
                            on_click="ignore", icon=":material/movie:", width="stretch")
    labels = {index: f"Step {number}: {short(caption)}"
              for index, (number, caption) in enumerate(enumerate(step_captions(view), start=1))}
    index = st.selectbox("Still for notes", list(labels), format_func=labels.get,
                         key="still_step")
    suffix = labels[index].split(":")[0].replace(" ", "").lower()
    vector = vector_still(view)
    for col, (fmt, mime) in zip(st.columns(3), STILL_MIME.items()):
        col.download_button(fmt.upper(), lambda fmt=fmt: still_file(view, index, fmt),
                            file_name=f"{stem}_{suffix}.{fmt}", mime=mime, key=f"dl_{fmt}",
                            on_click="ignore", icon=":material/download:", width="stretch",
                            help=None if vector or fmt == "png" else "This figure is drawn "
                            "as pixels: the page holds the PNG frame at its full size.")


def short(caption: str) -> str:
    """A step caption up to what it computes: ``y[0,2] = 3·1 + …`` gives ``y[0,2]``."""
    return re.split(r" = | stamps|, every", caption)[0].replace(" stage:", "")


CSS = """
<style>
.block-container { padding-top: 1.6rem; }
h1 { padding-top: 0; }
.tagline { font-size: 1.05rem; font-weight: 400; color: #586e75; margin-left: .5rem; }
.st-key-formula .katex { font-size: 1.5em; }
.st-key-formula .katex-display { margin: .35em 0; overflow-x: auto; overflow-y: hidden; }
.st-key-symbolic .katex { font-size: 1.05em; color: #586e75; }
.st-key-formula [data-testid="stMetricValue"] { color: #2aa198; font-size: 2.6rem; }
.pt { line-height: 1.2; padding-bottom: .35rem; color: #002b36; }
.pt small { color: #586e75; }
.chip { display: inline-flex; align-items: center; gap: .3rem; margin-right: .9rem;
        font-size: .85rem; color: #586e75; }
.chip i { width: .95rem; height: .95rem; border: 1px solid #002b36; border-radius: 2px; }
</style>
"""


def main() -> None:
    st.set_page_config(page_title="convviz: convolution arithmetic", page_icon=str(ICON),
                       layout="wide")
    init_state()
    st.html(CSS)
    view, error, pt_slot = controls()
    header()
    problems(error)
    if view is None:
        return
    notes = st.container()                            # what the values panel has to say
    st.session_state.last_good = view.spec
    if pt_slot is not None:
        actual_padding(pt_slot, view.spec)
    formula(view.spec)
    left, right = st.columns([3, 2], gap="large")
    with left:
        figure = st.container()                       # drawn once the values are known
        view = values_panel(view, notes)
        with figure:
            drawn = animation(view)
    sync_link(view)
    with right:
        pytorch(view.spec)
        share(view)
        if drawn:
            downloads(view)


main()
