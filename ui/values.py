"""The values panel: the kernel choice, the seed and custom grids, with the input x, weights w
and output y they give (one channel). The numbers figure draws these values and every step
caption computes with them; the numbers themselves come from convviz.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from convviz import ConvSpec, ConvVizError, views
from convviz.figures import layout_of
from convviz.sample import Table
from convviz.text import format_number, size_text
from convviz.values import INPUT_RANGE, KERNEL_PRESETS, KERNEL_RANGE, input_values, kernel_weight

from .fields import CUSTOM, MAX_SEED, RANDOM, kernel_label
from .messages import plain
from .state import input_changed, kernel_changed, table

Check = Callable[[ConvSpec, Table | str], object]
"""A convviz.values function that refuses a kernel or input (kernel_weight, input_values)."""


def values_panel(view: views.View, notes: DeltaGenerator) -> views.View:
    """Kernel, seed and custom grids, with the input, weights and output they give (one
    channel); returns ``view`` with those values. Problems with them go to ``notes``."""
    if layout_of(view.spec) == "channels":
        return view
    try:
        views.numbers_of(view)
    except ConvVizError as error:
        st.caption(f"The step captions name the output cell only: {plain(str(error))}.")
        return view
    state = st.session_state
    weights = view.spec.operation.weights
    if not weights:                                   # pooling: nothing to weigh with
        state.kernel_choice = RANDOM
    elif view.spec.dims == 1 and state.kernel_choice in KERNEL_PRESETS:
        state.kernel_choice = RANDOM
        notes.info(f"The {kernel_label(view.kernel or '')} preset is a 3 × 3 image kernel: "
                   f"back to random weights (seed {state.seed}) for a 1-D kernel.",
                   icon=":material/grid_on:")
    fit_custom(view.spec, notes)
    custom = state.kernel_choice == CUSTOM or state.custom_input
    title = "Values: input x, weights w, output y" if weights else "Values: input x, output y"
    with st.expander(title, icon=":material/grid_on:",
                     expanded=view.style == "numbers" or custom):
        value_controls(view.spec)
        grids = st.container(horizontal=True, gap="medium", key="grids")  # side by side, as
        x_box, w_box, y_box = (grids.container(width="content") for _ in "xwy")  # wide as they are
        view = chosen_values(view, x_box, w_box, notes)
        show_numbers(view, x_box, w_box, y_box)
        st.caption(values_caption(view))
    return view


def show_numbers(view: views.View, x_box: DeltaGenerator, w_box: DeltaGenerator,
                 y_box: DeltaGenerator) -> None:
    """The input, weights and output of ``view`` as tables (a grid being edited shows
    itself); the input and weights on the page are kept for a custom grid to start from."""
    state, numbers = st.session_state, views.numbers_of(view)
    weight = None if numbers.weight is None else table(numbers.weight)
    state.shown_values = (table(numbers.x), weight)
    for box, name, array, edited in ((x_box, "x", numbers.x, state.custom_input),
                                     (w_box, "w", numbers.weight, state.kernel_choice == CUSTOM),
                                     (y_box, "y", numbers.output, False)):
        if array is not None and not edited:
            box.markdown(grid_html(name, array.tolist()), unsafe_allow_html=True)


def grid_html(name: str, rows: list[list[float]]) -> str:
    """A grid of numbers, with its name above, as one small HTML table (one element on the
    page rather than a dataframe: a tenth of the server's work).

    >>> grid_html("w", [[1, -2]])
    "<table class='grid'><caption>w</caption><tr><td>1</td><td>−2</td></tr></table>"
    """
    body = "".join("<tr>" + "".join(f"<td>{format_number(value)}</td>" for value in row)
                   + "</tr>" for row in rows)
    return f"<table class='grid'><caption>{name}</caption>{body}</table>"


def value_controls(spec: ConvSpec) -> None:
    """The kernel choice (a mode with weights; the 3 × 3 presets in 2-D), the seed and the
    custom input toggle, in one row."""
    (low, high), (w_low, w_high) = INPUT_RANGE, KERNEL_RANGE
    weights = spec.operation.weights
    pick, seed, own = (st.columns([8, 5, 7], vertical_alignment="bottom") if weights else
                       (None, *st.columns([5, 7], vertical_alignment="bottom")))
    presets = list(KERNEL_PRESETS) if spec.dims == 2 else []
    if weights:
        pick.selectbox("Kernel", [RANDOM, *presets, CUSTOM], key="kernel_choice",
                       format_func=kernel_label, on_change=kernel_changed,
                       help="Presets are the usual 3 × 3 image kernels, as PyTorch applies "
                            "them (no flip). Custom: edit the weights in the grid below.")
    seed.number_input("Seed", 0, MAX_SEED, step=1, key="seed",
                      help=f"Seeds the random small integers: input {low}..{high}, weights "
                           f"{w_low}..{w_high}.")
    own.toggle("Custom input", key="custom_input", on_change=input_changed,
               help="Edit the input's values in the grid below.")


def chosen_values(view: views.View, x_box: DeltaGenerator, w_box: DeltaGenerator,
                  notes: DeltaGenerator) -> views.View:
    """``view`` with the seed, kernel and input the panel holds (the custom ones edited in
    grids); a kernel or input that cannot work is left out, and ``notes`` say why."""
    state = st.session_state
    view = replace(view, seed=state.seed)
    kernel = state.kernel_choice if state.kernel_choice in KERNEL_PRESETS else None
    if state.kernel_choice == CUSTOM:
        kernel = grid_editor(w_box, "w", "kernel_grid", state.kernel_rows)
    given = grid_editor(x_box, "x", "input_grid", state.input_rows) if state.custom_input else None
    kernel = usable(kernel_weight, view, kernel, "kernel", notes)
    given = usable(input_values, view, given, "input", notes)
    if state.kernel_choice == CUSTOM and kernel:
        state.kernel_rows = kernel                        # edits survive a hidden editor
    if given:
        state.input_rows = given
    return replace(view, kernel=kernel, values=given)


def grid_editor(box: DeltaGenerator, name: str, key: str, rows: Table) -> Table:
    """A grid of numbers prefilled with ``rows``; returns them as the user left them."""
    box.markdown(f"**{name}** (edit)")
    edited = box.data_editor([[float(value) for value in row] for row in rows], key=key,
                             column_config={str(j): st.column_config.NumberColumn(
                                 format="%g", width=44) for j, _ in enumerate(rows[0])},
                             width="content")
    return table(edited)


def usable(check: Check, view: views.View, rows: Table | str | None, what: str,
           notes: DeltaGenerator) -> Table | str | None:
    """``rows`` when ``check`` (a convviz.values function) accepts them for the view's spec,
    else None, with the reason in ``notes``."""
    if rows is None:
        return None
    problem = refusal(check, view.spec, rows)
    if problem is None:
        return rows
    instead = "weights" if what == "kernel" else "input values"
    notes.error(f"**This {what} cannot be used:** {plain(problem)}. The figure uses "
                f"random {instead} (seed {view.seed}) instead.", icon=":material/error:")
    return None


def fit_custom(spec: ConvSpec, notes: DeltaGenerator) -> None:
    """Custom grids of another size than the spec's (it changed) go back to random values."""
    state = st.session_state
    if state.kernel_choice == CUSTOM and (state.kernel_rows is None or refusal(
            kernel_weight, spec, state.kernel_rows)):
        state.kernel_choice = RANDOM
        kernel = size_text(spec.kernel_size[-spec.dims:])
        notes.info(f"The custom kernel does not fit a {kernel} kernel: "
                   f"back to random weights (seed {state.seed}).", icon=":material/grid_on:")
    if state.custom_input and (state.input_rows is None or refusal(
            input_values, spec, state.input_rows)):
        state.custom_input = False
        given = size_text(spec.input_size[-spec.dims:])
        notes.info(f"The custom input does not fit a {given} input: "
                   f"back to random values (seed {state.seed}).", icon=":material/grid_on:")


def refusal(check: Check, spec: ConvSpec, rows: Table | str) -> str | None:
    """Why ``check`` (a convviz.values function) refuses ``rows`` for ``spec``, or None."""
    try:
        check(spec, rows)
    except ConvVizError as error:
        return str(error)
    return None


def values_caption(view: views.View) -> str:
    """Where the values come from, and what the steps do with them."""
    kernel = ("your weights" if view.kernel and view.kernel not in KERNEL_PRESETS else
              f"the {kernel_label(view.kernel)} preset" if view.kernel else
              f"random small integers (seed {view.seed})")
    given = "your input" if view.values else f"random small integers (seed {view.seed})"
    op = view.spec.operation
    if not op.weights:
        step = ("takes the largest value under the window (padding is −∞)" if op.reduce == "max"
                else "averages the values under the window")
        return f"x: {given}; y comes from convviz's engine, equal to PyTorch's. Each step {step}."
    if view.scatter:
        steps = ("Each step takes one input cell and adds its value times the kernel w onto "
                 "the output, where the stamps of neighbouring cells overlap and add up.")
    else:
        steps = ("Each step multiplies the cells under the kernel by the weights over them"
                 + (", which the transposed figure draws flipped." if view.spec.transposed
                    else "."))
    return (f"x: {given}; w: {kernel}; y comes from convviz's engine, equal to PyTorch's. "
            + steps)
