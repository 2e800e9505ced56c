"""Numerical figures: the values in the cells, each step's arithmetic, and a transposed
convolution as the scatter PyTorch computes.

Flat square cells as in the conv_arithmetic report's numerical figures, a caption below each
grid, columns left to right:

- ``view="slide"`` (default; one frame per output cell, row-major): the drawn input grid on
  the left (input cells blue; padding and inserted zeros white with dashed edges; for a
  transposed spec the conv_arithmetic picture of :mod:`convviz.geometry`: zeros inserted,
  actual padding, flipped kernel), the output on the right. The kernel is the translucent
  dark overlay with its weights as small bold numbers in the cells' bottom-right corners.
  Output values appear as they are computed; the current one is highlighted.
- ``view="scatter"`` (transposed specs; one frame per input cell, row-major): input ``x``
  with kernel ``w`` below it, the output ``y`` as a running sum, and the count map. The
  current input cell and the output cells it stamps are highlighted; a stamped cell shows its
  new running sum, with what was just added (``+6``) small below it. The count map shows how
  many products each output cell has received *so far* (white: none; violet: the most), so
  its last frame is :func:`overlap_counts`: a checkerboard when k is not a multiple of s.

One channel only (in_channels = out_channels = 1) and at most :data:`MAX_CELLS` cells per
side, so that numbers stay readable. Frames are uint8 ``(H, W, 3)`` composed from a base
image drawn once; equal figures give byte-identical frames.

>>> fig = numbers_figure(ConvSpec(input_size=4), "1,2,3,4;5,6,7,8;0,1,0,1;2,2,2,2", "sobel_x")
>>> len(list(frames(fig))), step_equation(fig, 1)
(4, 'y[0,1] = 2·(−1) + 3·0 + 4·1 + 6·(−2) + 7·0 + 8·2 + 1·(−1) + 0·0 + 1·1 = 6')
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from . import _numbers_paint as _paint
from ._numbers_paint import CellPainter, FigureLayout, Panel, arrange, readable_cell_px, signed
from .engine import conv2d, conv_transpose2d
from .errors import ConvVizError
from .geometry import (
    ScatterStep,
    Step,
    drawn_weight,
    grid,
    grid_values,
    layout,
    step_products,
)
from .geometry import scatter as _scatter_steps
from .spec import ConvSpec
from .style import MINUS
from .values import format_number, input_values, kernel_weight

__all__ = ["MAX_CELLS", "VIEWS", "FigureLayout", "NumbersFigure", "Panel", "ScatterSum",
           "figure_layout", "format_number", "frame", "frame_count", "frames",
           "numbers_figure", "overlap_counts",
           "scatter_equation", "scatter_frames", "scatter_sums", "step_equation"]
MAX_CELLS = 16
"""Most cells per side of any drawn grid; more would make the numbers illegible."""
VIEWS = ("slide", "scatter")
MAX_TERMS = 9
"""Longer sums show their first four and last two products around '…'."""


@dataclass(frozen=True, eq=False)
class NumbersFigure:
    """Exactly the numbers a numerical figure draws (read-only arrays).

    Attributes
    ----------
    spec : ConvSpec
    x : ndarray, shape (H, W), the input
    weight : ndarray, shape (kH, kW), the kernel as PyTorch holds it (``w[0, 0]``)
    grid : ndarray, shape (GH, GW), the drawn grid's values (:func:`geometry.grid_values`)
    kind : ndarray, shape (GH, GW), INPUT / PADDING / ZERO of each drawn cell
    taps : ndarray, shape (kH, kW), the weight of each tap (:func:`geometry.drawn_weight`)
    output : ndarray, shape (H_out, W_out), computed by :mod:`convviz.engine`
    steps : tuple of Step, the sliding-window positions (:func:`geometry.layout`)
    """

    spec: ConvSpec
    x: np.ndarray
    weight: np.ndarray
    grid: np.ndarray
    kind: np.ndarray
    taps: np.ndarray
    output: np.ndarray
    steps: tuple[Step, ...]


def _refuse(spec: ConvSpec) -> None:
    """Refuse a spec the numbers style cannot show legibly (the slide view's drawn grid is
    checked when it is drawn: the scatter view does not draw it)."""
    if spec.in_channels != 1 or spec.out_channels != 1:
        raise ConvVizError(f"the numbers style shows one channel: in_channels and out_channels "
                           f"must be 1, got {spec.in_channels} and {spec.out_channels}")
    if spec.mode == "separable":
        raise ConvVizError("mode 'separable' is two convolutions and the numbers style shows "
                           "one: use mode 'conv' or 'depthwise'")
    _fits(spec.input_size, "input")
    _fits(spec.output_size, "output")


def _fits(size: tuple[int, int], what: str) -> None:
    if max(size) > MAX_CELLS:
        raise ConvVizError(f"the numbers style draws at most {MAX_CELLS} cells per side, got a "
                           f"{size[0]} x {size[1]} {what}: lower input_size, padding or stride")


def numbers_figure(spec: ConvSpec, x, weight) -> NumbersFigure:
    """The numbers of ``spec`` with input ``x`` and ``weight``; the output from the engine.

    Parameters
    ----------
    x : array_like, shape (1, H, W) or (H, W); or text (see :func:`values.input_values`)
    weight : array_like, shape (1, 1, kH, kW) or (kH, kW); or a preset name or text
        (see :func:`values.kernel_weight`)

    Returns
    -------
    NumbersFigure
    """
    _refuse(spec)
    x, weight = input_values(spec, x), kernel_weight(spec, weight)  # (1, H, W), (1, 1, kH, kW)
    if spec.transposed:
        y = conv_transpose2d(x[None], weight, None, spec.stride, spec.padding,
                             spec.output_padding, spec.groups, spec.dilation)
    else:
        y = conv2d(x[None], weight, None, spec.stride, spec.padding, spec.dilation,
                   spec.groups, padding_mode=spec.padding_mode)
    arrays = (x[0], weight[0, 0], grid_values(spec, x)[0], grid(spec).kind,
              drawn_weight(spec, weight)[0, 0], y[0, 0])           # y: (1, 1, H_out, W_out)
    for array in arrays:
        array.setflags(write=False)
    return NumbersFigure(spec, *arrays, layout(spec))


@lru_cache(maxsize=16)
def _scatter(spec: ConvSpec) -> tuple[ScatterStep, ...]:
    if not spec.transposed:
        raise ConvVizError(f"the scatter view is for transposed convolutions: mode must be "
                           f"'transposed', got {spec.mode!r}")
    return _scatter_steps(spec)


def overlap_counts(spec: ConvSpec) -> np.ndarray:
    """How many products each output cell of a transposed spec sums (its contributions).

    Returns
    -------
    ndarray, shape (H_out, W_out), int64

    >>> overlap_counts(ConvSpec(mode="transposed", input_size=2, kernel_size=3, stride=2))
    array([[1, 1, 2, 1, 1],
           [1, 1, 2, 1, 1],
           [2, 2, 4, 2, 2],
           [1, 1, 2, 1, 1],
           [1, 1, 2, 1, 1]])
    """
    counts = np.zeros(spec.output_size, dtype=np.int64)
    for step in _scatter(spec):
        np.add.at(counts, tuple(step.out.T), 1)
    return counts


class ScatterSum(NamedTuple):
    """The state after one scatter step.

    Attributes
    ----------
    step : ScatterStep, the input cell and the output cells ``step.out`` (T, 2) it writes
    added : ndarray, shape (T,), what it adds there: ``x[step.source] * w[step.taps]``
    y : ndarray, shape (H_out, W_out), the output summed so far
    counts : ndarray, shape (H_out, W_out), int64, products each output cell has so far
    """

    step: ScatterStep
    added: np.ndarray
    y: np.ndarray
    counts: np.ndarray


def scatter_sums(figure: NumbersFigure) -> Iterator[ScatterSum]:
    """PyTorch's transposed convolution, one input cell at a time (row-major): each adds its
    value times the kernel onto the output. The last ``y`` is ``figure.output`` and the last
    ``counts`` is :func:`overlap_counts`."""
    y = np.zeros(figure.output.shape, dtype=figure.output.dtype)
    counts = np.zeros(figure.output.shape, dtype=np.int64)
    for step in _scatter(figure.spec):
        cells = tuple(step.out.T)                  # distinct cells: each tap writes its own
        added = figure.x[step.source] * figure.weight[tuple(step.taps.T)]   # (T,)
        y[cells] += added
        counts[cells] += 1
        yield ScatterSum(step, added, y.copy(), counts.copy())


# ---- text -------------------------------------------------------------------------------------
def _factor(value) -> str:
    """A number as a factor of a product: negative ones in parentheses."""
    text = format_number(value)
    return f"({text})" if text.startswith(MINUS) else text


def _index(index: int, count: int, name: str = "step_index") -> int:
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)) \
            or not 0 <= index < count:
        raise ConvVizError(f"{name} must be an int in 0..{count - 1}, got {index!r}")
    return int(index)


def step_equation(figure: NumbersFigure, step_index: int) -> str:
    """The sum one sliding-window step computes, with the engine's value as its total:
    ``y[1,2] = 3·0 + 1·2 + … = 17``. Every product is shown, padding and inserted zeros
    included; beyond :data:`MAX_TERMS` the middle ones are elided and all are counted.

    >>> fig = numbers_figure(ConvSpec(input_size=3, kernel_size=2), "1,2,3;4,5,6;7,8,9",
    ...                      "1,0;0,-1")
    >>> step_equation(fig, 3)
    'y[1,1] = 5·1 + 6·0 + 8·0 + 9·(−1) = −4'
    """
    step = figure.steps[_index(step_index, len(figure.steps))]
    products = step_products(step, figure.grid[None], figure.taps[None])[0]  # (kH, kW)
    total = figure.output[step.out]
    assert np.isclose(products.sum(), total), "geometry's products must sum to the engine's"
    values = figure.grid[np.ix_(step.rows, step.cols)].ravel().tolist()
    terms = [f"{_factor(v)}·{_factor(w)}" for v, w in zip(values, figure.taps.ravel().tolist())]
    count = ""
    if len(terms) > MAX_TERMS:
        terms, count = terms[:4] + ["…"] + terms[-2:], f"   ({len(values)} products)"
    return f"y[{step.out[0]},{step.out[1]}] = {' + '.join(terms)} = {format_number(total)}{count}"


def _span(indices: np.ndarray, step: int) -> str:
    """Output rows (or columns) of a stamp as a slice, ``start:stop`` or ``start:stop:step``."""
    start, stop = int(indices.min()), int(indices.max()) + 1
    return f"{start}:{stop}" if step == 1 else f"{start}:{stop}:{step}"


def scatter_equation(figure: NumbersFigure, step_index: int) -> str:
    """What one scatter step does: ``x[0,1] = 2 stamps 2·w onto y[0:3, 2:5]``.

    >>> spec = ConvSpec(mode="transposed", input_size=2, kernel_size=3, stride=2, padding=1)
    >>> scatter_equation(numbers_figure(spec, "1,2;3,4", "box blur"), 1)
    'x[0,1] = 2 stamps 2·w onto y[0:2, 1:3] (4 of 9 taps land, padding crops the rest)'
    """
    steps = _scatter(figure.spec)
    step = steps[_index(step_index, len(steps))]
    value = figure.x[step.source]
    head = f"x[{step.source[0]},{step.source[1]}] = {format_number(value)} stamps " \
           f"{_factor(value)}·w"
    if not len(step.out):
        return f"{head} entirely into the cropped padding: y does not change"
    (dh, dw), taps = figure.spec.dilation, figure.weight.size
    text = f"{head} onto y[{_span(step.out[:, 0], dh)}, {_span(step.out[:, 1], dw)}]"
    if len(step.out) < taps:
        text += f" ({len(step.out)} of {taps} taps land, padding crops the rest)"
    return text


# ---- frames -----------------------------------------------------------------------------------
def _view(view: str) -> str:
    if view not in VIEWS:
        raise ConvVizError(f"view must be one of {', '.join(VIEWS)}, got {view!r}")
    return view


def _every(array: np.ndarray) -> set[str]:
    return {format_number(v) for v in array.ravel().tolist()}


def _shown(figure: NumbersFigure, view: str) -> dict[str, tuple[set[str], set[str]]]:
    """Panel name -> (its numbers, its small numbers), every one any frame of ``view`` shows."""
    if view == "slide":
        return {"input": (_every(figure.grid), _every(figure.taps)),
                "output": (_every(figure.output), set())}
    sums, adds = set(), set()
    for state in scatter_sums(figure):
        sums.update(format_number(v) for v in state.y[tuple(state.step.out.T)].tolist())
        adds.update(signed(v) for v in state.added.tolist())
    peak = int(overlap_counts(figure.spec).max())
    return {"input": (_every(figure.x), set()), "kernel": (_every(figure.weight), set()),
            "output": (sums, adds), "overlaps": ({str(c) for c in range(peak + 1)}, set())}


def _plan(figure: NumbersFigure, view: str,
          cell_px: int | None) -> tuple[FigureLayout, dict[str, CellPainter]]:
    """The layout of ``figure`` in ``view`` and a painter for each of its panels."""
    if _view(view) == "slide":
        _fits(figure.grid.shape, "drawn grid")
        what = "x, zeros inserted (small: w flipped)" if figure.spec.transposed else \
            "input x (small: kernel w)"
        columns = [[("input", figure.grid.shape, what)],
                   [("output", figure.output.shape, "output y")]]
    else:
        columns = [[("input", figure.x.shape, "input x"),
                    ("kernel", figure.weight.shape, "kernel w")],
                   [("output", figure.output.shape, "output y (running sum)")],
                   [("overlaps", figure.output.shape, "contributions so far")]]
    shown = _shown(figure, view)
    if cell_px is None:
        side = max(max(shape) for column in columns for _, shape, _ in column)
        cell_px = readable_cell_px(64 if side <= 6 else 48 if side <= 10 else 40, shown.values())
    if isinstance(cell_px, bool) or not isinstance(cell_px, int) or not 24 <= cell_px <= 128:
        raise ConvVizError(f"cell_px must be an int in 24..128, got {cell_px!r}")
    width, height, panels = arrange(columns, cell_px)
    painters = {name: CellPainter(panels[name], *shown[name]) for name in panels}
    return FigureLayout(width, height, **panels), painters


def figure_layout(figure: NumbersFigure, *, view: str = "slide",
                  cell_px: int | None = None) -> FigureLayout:
    """Where the grids of ``figure`` sit in ``view`` ('slide' or 'scatter'). By default
    ``cell_px`` is 64, 48 or 40 by the largest grid side (<= 6, <= 10, more), or more where
    wide numbers need it to stay readable."""
    return _plan(figure, view, cell_px)[0]


def _animate(figure: NumbersFigure, view: str, cell_px: int | None,
             start: int) -> Iterator[np.ndarray]:
    lay, paint = _plan(figure, view, cell_px)         # checks here, before the first frame
    if view == "slide":
        return _paint.slide_frames(figure, lay, paint, start)
    peak = int(overlap_counts(figure.spec).max())
    return _paint.scatter_frames(figure, scatter_sums(figure), peak, lay, paint, start)


def frames(figure: NumbersFigure, *, view: str = "slide",
           cell_px: int | None = None) -> Iterator[np.ndarray]:
    """The animation of ``figure``: one frame per output cell, row-major (for
    ``view="scatter"``, one per input cell: :func:`scatter_frames`).

    Returns
    -------
    iterator of ndarray, shape (H, W, 3), uint8
        ``(H, W)`` is ``figure_layout(figure, view=view)``'s ``(height, width)``. Frames are
        drawn as they are taken, so memory does not grow with the frame count; equal figures
        give byte-identical frames. A bad ``view`` or ``cell_px`` raises here, not later.
    """
    return _animate(figure, view, cell_px, 0)


def scatter_frames(figure: NumbersFigure, *, cell_px: int | None = None) -> Iterator[np.ndarray]:
    """A transposed convolution as PyTorch computes it: one frame per input cell, row-major,
    each stamping its value times the kernel onto the output (the arrays of
    :func:`scatter_sums`).

    Returns
    -------
    iterator of ndarray, shape (H, W, 3), uint8, as :func:`frames`
    """
    return _animate(figure, "scatter", cell_px, 0)


def frame_count(figure: NumbersFigure, *, view: str = "slide") -> int:
    """How many frames :func:`frames` gives in ``view``."""
    return len(_scatter(figure.spec)) if _view(view) == "scatter" else len(figure.steps)


def frame(figure: NumbersFigure, index: int, *, view: str = "slide",
          cell_px: int | None = None) -> np.ndarray:
    """Frame ``index`` of :func:`frames` alone, e.g. for a slider.

    Returns
    -------
    ndarray, shape (H, W, 3), uint8
    """
    index = _index(index, frame_count(figure, view=view), "index")
    return next(_animate(figure, view, cell_px, index))
