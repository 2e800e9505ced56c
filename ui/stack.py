"""The stack page: layers typed in the short form or pasted from PyTorch, a preset, the input;
the table of every layer's output, receptive field, jump, start and counts; the figure of the
stack with a chosen output cell's field lit on every map (a cell picker, the player, cells to
point at); downloads and the link. Everything shown comes from convviz
(:mod:`convviz.stack_views`); the state and the link are :mod:`ui.stack_state`'s.
"""
from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from convviz import ConvVizError, stack_views
from convviz.figures.style import hex_colour
from convviz.ops.stack import MAX_CHANNELS
from convviz.ops.stack_text import PRESETS
from convviz.stack_views import ALT, StackView
from convviz.text import size_text

from .cache import one_at_a_time
from .messages import plain
from .stack_state import (
    CUSTOM,
    ZOOM_LABELS,
    current_preset,
    init_stack_state,
    player_page,
    preset_changed,
    stack_file,
    stack_query,
    stack_still,
    sync_stack_link,
    text_changed,
)
from .theme import css

TEXT_HELP = ("One layer per line or separated by ';': conv, transposed, dilated, depthwise, "
             "grouped, pointwise, separable, maxpool, avgpool with k (kernel), s (stride), "
             "p (padding), d (dilation), a (output padding), c (out channels), g (groups), ceil; "
             "relu, batchnorm, dropout... keep the shape. Or paste PyTorch: nn.Conv2d(...) lines, "
             "an nn.Sequential(...) block, or what print(model) shows. The text is read, never "
             "run.")
COLUMNS = {"rf": "Receptive field: how many input cells an output cell of this layer sees, per "
                 "axis (a range where the cells' fields differ)",
           "jump": "Input cells between neighbouring output cells' fields: the product of the "
                   "strides (a transposed layer divides by its stride)",
           "start": "The centre of output cell 0's field, in input cells (cell i's centre is i)"}
MIME = {"gif": "image/gif", "mp4": "video/mp4", "html": "text/html", "png": "image/png",
        "svg": "image/svg+xml", "pdf": "application/pdf"}


@one_at_a_time
def stack_page() -> None:
    """The page, top to bottom."""
    link_error = init_stack_state()
    st.html(css())
    st.markdown("# Stacks of layers <span class='tagline'>shapes through a network, and what one "
                "output cell sees</span>", unsafe_allow_html=True)
    if link_error:
        st.error(f"**This link cannot be shown:** {plain(link_error)}.",
                 icon=":material/link_off:")
    view = controls(say_why=not link_error)              # a broken link said it already
    if view is None:
        return
    table(view)
    left, right = st.columns([3, 2], gap="large")
    with right:
        view = cell_picker(view)
    with left:
        figure(view)
    with right:
        downloads(view)
        st.markdown("#### Share")
        st.code(f"{st.context.url or ''}?{urlencode(view.query(), safe=',;')}", language=None,
                wrap_lines=True)
    sync_stack_link(view)


def controls(say_why: bool = True) -> StackView | None:
    """The layers, the preset, the input size and channels; the view, or None (and, when
    ``say_why``, why on the page) when they do not make a stack."""
    state = st.session_state
    state.stack_preset = current_preset()                   # before its widget is drawn
    text, side = st.columns([2, 1], gap="medium")
    text.text_area("Layers", key="stack_text", height=150, help=TEXT_HELP, on_change=text_changed,
                   placeholder="conv k3 s1 p1; conv k3 s2 p1; maxpool k2; conv k3 d2 p2")
    side.selectbox("Preset", [CUSTOM, *PRESETS], key="stack_preset", on_change=preset_changed,
                   format_func=lambda name: "Custom" if name == CUSTOM else PRESETS[name].label)
    size, channels = side.columns(2)
    size.text_input("Input size", key="stack_n", help="n for n × n, or H,W")
    channels.number_input("Channels", 0, MAX_CHANNELS, step=1, key="stack_cin",
                          help="The input's channels; 0: the first layer's (PyTorch's "
                               "in_channels), else 1.")
    side.segmented_control("Maps", list(ZOOM_LABELS), format_func=ZOOM_LABELS.get,
                           key="stack_zoom", required=True, width="stretch",
                           help="To scale: every map whole, at one cell size. Zoomed: a window "
                                "of each map around the field, cells large enough to see. "
                                "Auto: zoomed where whole maps would be too small to show "
                                "their cells.")
    if state.stack_preset != CUSTOM:
        side.caption(PRESETS[state.stack_preset].note)
    query = stack_query()
    query.pop("cell", None)
    try:
        return StackView.from_query(query)
    except ConvVizError as error:
        if say_why:
            st.error(f"**This stack cannot work:** {plain(str(error))}.",
                     icon=":material/error:")
        return None


TABLE_ORDER = ("#", "layer", "output", "channels", "rf", "jump", "start", "parameters",
               "multiply-adds", "PyTorch")
"""The table's columns as shown: the sizes and the field first, so that a 1280 px projector
shows them without scrolling; the long PyTorch line last."""


def table(view: StackView) -> None:
    """Every layer: output, receptive field, jump, start, parameters, multiply-adds."""
    text, counts = st.column_config.TextColumn, st.column_config.NumberColumn(format="localized")
    st.dataframe(stack_views.table_rows(view), hide_index=True, key="stack_table",
                 column_order=TABLE_ORDER,
                 column_config={"parameters": counts, "multiply-adds": counts,
                                **{name: text(name, help=why) for name, why in COLUMNS.items()}})
    parameters, macs = stack_views.totals(view)
    st.caption(f"{parameters:,} parameters · {macs:,} multiply-adds for one "
               f"{size_text(view.stack.input_size)} input")


def cell_picker(view: StackView) -> StackView:
    """The output cell whose field the figure starts from; the view with it."""
    state = st.session_state
    wanted = (state.get("stack_row"), state.get("stack_col"))
    if state.stack_cell is not None and None in wanted:
        wanted = state.stack_cell
    try:
        chosen = StackView(view.stack, wanted, view.zoom)
    except ConvVizError:                                  # unset, or outside a new map
        chosen = StackView(view.stack, view.cells[0], view.zoom)
    state.stack_row, state.stack_col = chosen.cell
    st.markdown("#### Output cell")
    last_row, last_col = chosen.last_cell
    row, col = st.columns(2)
    row.number_input("Row i", 0, last_row, step=1, key="stack_row")
    col.number_input("Column j", 0, last_col, step=1, key="stack_col")
    state.stack_cell = (state.stack_row, state.stack_col)
    chosen = StackView(view.stack, state.stack_cell, view.zoom)
    st.markdown(f"**{plain(stack_views.describe(chosen))}**")
    return chosen


def figure(view: StackView) -> None:
    """The player of the stack figure, or why it cannot be drawn; its legend."""
    try:
        page = player_page(view)
    except ConvVizError as error:
        st.info(f"**The figure cannot be drawn here:** {plain(str(error))}.",
                icon=":material/layers:")
        return
    st.iframe(page, height="content", alt=ALT)
    chips = [f"<span class='chip'><i style='background:{hex_colour(swatch.rgb)}'></i>"
             f"{swatch.label}</span>" for swatch in stack_views.legend(view)]
    st.markdown(" ".join(chips), unsafe_allow_html=True)


@st.fragment
@one_at_a_time
def downloads(view: StackView) -> None:
    """The animation (GIF, MP4), the page that plays on its own, one step (PNG, SVG, PDF)."""
    try:
        steps = stack_views.captions(view)
    except ConvVizError:
        return
    st.markdown("#### Download")
    stem = stack_views.file_stem(view)
    for col, fmt in zip(st.columns(3), ("gif", "mp4", "html")):
        col.download_button(fmt.upper(), lambda fmt=fmt: stack_file(view, fmt),
                            file_name=f"{stem}.{fmt}", mime=MIME[fmt], key=f"stack_dl_{fmt}",
                            on_click="ignore", icon=":material/download:", width="stretch")
    index = st.selectbox("Still for notes", list(range(len(steps))), key="stack_still_step",
                         format_func=lambda i: f"Step {i + 1}: {steps[i].split(' ')[0]}")
    for col, fmt in zip(st.columns(3), ("png", "svg", "pdf")):
        col.download_button(fmt.upper(), lambda fmt=fmt: stack_still(view, index, fmt),
                            file_name=f"{stem}_step{index + 1}.{fmt}", mime=MIME[fmt],
                            key=f"stack_dl_{fmt}", on_click="ignore",
                            icon=":material/download:", width="stretch")
