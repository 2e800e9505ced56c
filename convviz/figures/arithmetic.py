"""What each step of a figure computes, in numbers: the sums of the sliding window, the stamps
of a transposed convolution's scatter, and each step's :class:`~convviz.figures.base.Caption`.

The numbers come from a :class:`~convviz.values.Sample` (the engine's output for the spec's
input and weights); the cells from :mod:`convviz.geometry`. Every caption's total is the
engine's value.

>>> spec = ConvSpec(input_size=3, kernel_size=2)
>>> str(step_captions(spec, Numbers(kernel="1,0;0,-1", input="1,2,3;4,5,6;7,8,9"))[3])
'y[1,1] = 5·1 + 6·0 + 8·0 + 9·(−1) = −4'
>>> pool = ConvSpec(mode="maxpool", input_size=4, kernel_size=2)
>>> str(step_captions(pool, Numbers(input="1,2,0,0;3,8,2,5;0,0,1,1;4,1,1,9"))[1])
'y[0,1] = max(0, 0, 2, 5) = 5'
>>> avg = ConvSpec(mode="avgpool1d", input_size=3, kernel_size=2, padding=1)
>>> str(step_captions(avg, Numbers(input="1,2,3"))[0])
'y[0] = (0 + 1)/2 = 0.5'
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from ..geometry import (
    INPUT,
    OUTSIDE,
    ScatterStep,
    Step,
    drawn_weight,
    grid,
    grid_values,
    layout,
    scatter,
    step_products,
)
from ..ops.spec import ConvSpec
from ..sample import Numbers
from ..text import factor, format_number
from . import sizing
from .base import Caption
from .sums import MAX_TERMS, sum_text


@dataclass(frozen=True, eq=False)
class Slide:
    """Exactly the numbers a one-channel sliding-window figure shows (read-only arrays).

    Attributes
    ----------
    spec : ConvSpec
    x : ndarray, shape (H, W), the input
    weight : ndarray, shape (kH, kW), the kernel as PyTorch holds it (``w[0, 0]``)
    grid : ndarray, shape (GH, GW), the drawn grid's values (:func:`geometry.grid_values`)
    kind : ndarray, shape (GH, GW), INPUT / PADDING / ZERO of each drawn cell
    taps : ndarray, shape (kH, kW), the weight of each tap (:func:`geometry.drawn_weight`)
    output : ndarray, shape (H_out, W_out), computed by the engine
    steps : tuple of Step, the sliding-window positions (:func:`geometry.layout`)
    indices : ndarray, shape (H_out, W_out), or None
        Max pooling: each maximum's flat index ``h*W + w`` in ``x`` (the engine's).

    Pooling has no ``weight`` or ``taps`` (None); a 1-D spec's arrays are its one-row planes.
    """

    spec: ConvSpec
    x: np.ndarray
    weight: np.ndarray | None
    grid: np.ndarray
    kind: np.ndarray
    taps: np.ndarray | None
    output: np.ndarray
    steps: tuple[Step, ...]
    indices: np.ndarray | None = None


@lru_cache(maxsize=16)
def slide(spec: ConvSpec, numbers: Numbers) -> Slide:
    """The numbers of one-channel ``spec`` (channel 0 in, channel 0 out), as planes."""
    sample = numbers.sample(spec)
    x = sample.x.reshape(-1, *spec.input_size)                      # (C, H, W)
    weight = None if sample.weight is None else sample.weight[0, 0].reshape(spec.kernel_size)
    indices = None if sample.indices is None else sample.indices[0].reshape(spec.output_size)
    arrays = (x[0], weight, grid_values(spec, x)[0], grid(spec).kind,
              None if weight is None else drawn_weight(spec, weight),
              sample.output[0].reshape(spec.output_size))
    for array in (*arrays, indices):
        if array is not None:
            array.setflags(write=False)
    return Slide(spec, *arrays, layout(spec), indices)


def step_equation(data: Slide, index: int) -> Caption:
    """The sum sliding-window step ``index`` computes, with the engine's value as its total:
    ``y[1,2] = 3·0 + 1·2 + … = 17``. Every product is shown, padding and inserted zeros
    included; beyond :data:`~convviz.figures.sums.MAX_TERMS` the zero ones are left out
    (and counted), then the middle ones elided (:func:`~convviz.figures.sums.sum_text`)."""
    step = data.steps[index]
    total = data.output[step.out]
    with np.errstate(all="ignore"):                       # inf and nan are shown as such
        products = step_products(step, data.grid[None], data.taps[None]).sum()
    assert not np.isfinite([products, total]).all() or np.isclose(products, total), \
        "geometry's products must sum to the engine's"
    values = data.grid[np.ix_(step.rows, step.cols)].ravel().tolist()
    text = sum_text(values, data.taps.ravel().tolist())
    body, _, note = text.partition("   (")
    return Caption(cell(data.spec, "y", step.out),
                   f"{body} = {format_number(total)}" + (f"   ({note}" if note else ""))


def pool_equation(data: Slide, index: int) -> Caption:
    """What pooling step ``index`` computes, with the engine's value as its result:
    ``y[1,0] = max(3, 8, 2, 5) = 8`` (padding shows as −∞), or ``y[0,0] = (1 + 2 + 0 + 0)/4 =
    0.75`` over the cells the divisor counts (padding only with count_include_pad or a
    divisor_override). Cells a ceil-mode window reaches past the padding are left out."""
    step, spec = data.steps[index], data.spec
    total = data.output[step.out]
    values = data.grid[np.ix_(step.rows, step.cols)].ravel()
    kinds = step.kind.ravel()
    if spec.operation.reduce == "max":
        shown = values[kinds != OUTSIDE]
        assert np.array_equal(shown.max(), total, equal_nan=True), "max must be the engine's"
        return Caption(cell(spec, "y", step.out),
                       f"max({_listed(shown, ', ')}) = {format_number(total)}")
    counted = spec.count_include_pad or spec.divisor_override is not None
    shown = values[(kinds != OUTSIDE) if counted else (kinds == INPUT)]
    divisor = spec.divisor_override or len(shown)
    assert np.isclose(shown.sum() / divisor, total), "the mean must be the engine's"
    sum_text = _listed(shown, " + ")
    sum_text = f"({sum_text})" if len(shown) > 1 else sum_text
    return Caption(cell(spec, "y", step.out),
                   f"{sum_text}/{factor(divisor)} = {format_number(total)}")


def max_cells(data: Slide) -> tuple[tuple[int, int] | None, ...]:
    """Per step of a max-pooling ``data``, the drawn grid cell ``(row, col)`` whose value wins
    (the engine's index), or None where the window reads no input cell."""
    top, _, left, _ = data.spec.pads
    width = data.x.shape[1]
    marks = []
    for step in data.steps:
        row, col = divmod(int(data.indices[step.out]), width)
        at = (row + top, col + left)
        inside = at[0] in step.rows and at[1] in step.cols
        marks.append(at if inside and data.kind[at] == INPUT else None)
    return tuple(marks)


def _listed(values: np.ndarray, sep: str) -> str:
    """Values joined by ``sep``; beyond :data:`MAX_TERMS` the middle ones elided."""
    texts = [format_number(v) for v in values.tolist()]
    if len(texts) > MAX_TERMS:
        texts = texts[:4] + ["…"] + texts[-2:]
    return sep.join(texts)


def cell(spec: ConvSpec, name: str, at: tuple[int, int]) -> str:
    """``y[1,2]``, or ``y[2]`` for a 1-D spec (its one-row plane's column)."""
    return f"{name}[{at[1]}]" if spec.dims == 1 else f"{name}[{at[0]},{at[1]}]"


def check_writable(spec: ConvSpec) -> None:
    """Refuse a spec whose input or output has more than
    :data:`~convviz.figures.sizing.MAX_NUMBER_CELLS` cells a side: too many to write out."""
    for size, what in ((spec.input_size, "input"), (spec.output_size, "output")):
        sizing.check_grid(size, sizing.MAX_NUMBER_CELLS, "numbers", what)


def step_captions(spec: ConvSpec, numbers: Numbers) -> tuple[Caption, ...]:
    """One caption per sliding-window step of one-channel ``spec``: its sum with real numbers,
    or only the output cell where the input or output is too large to write out
    (:func:`check_writable`)."""
    steps = layout(spec)
    if max(*spec.input_size, *spec.output_size) > sizing.MAX_NUMBER_CELLS:
        return tuple(Caption(cell(spec, "y", step.out)) for step in steps)
    data = slide(spec, numbers)
    equation = step_equation if spec.operation.weights else pool_equation
    return tuple(equation(data, i) for i in range(len(steps)))


# ---- the scatter view: a transposed convolution as PyTorch computes it -----------------------
@lru_cache(maxsize=16)
def scatter_steps(spec: ConvSpec) -> tuple[ScatterStep, ...]:
    """:func:`convviz.geometry.scatter`, cached."""
    return scatter(spec)


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
    for step in scatter_steps(spec):
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


def scatter_sums(data: Slide) -> Iterator[ScatterSum]:
    """PyTorch's transposed convolution, one input cell at a time (row-major): each adds its
    value times the kernel onto the output. The last ``y`` is ``data.output`` and the last
    ``counts`` is :func:`overlap_counts`."""
    y = np.zeros(data.output.shape, dtype=data.output.dtype)
    counts = np.zeros(data.output.shape, dtype=np.int64)
    for step in scatter_steps(data.spec):
        cells = tuple(step.out.T)                  # distinct cells: each tap writes its own
        with np.errstate(all="ignore"):            # inf and nan are shown as such
            added = data.x[step.source] * data.weight[tuple(step.taps.T)]   # (T,)
            y[cells] += added
        counts[cells] += 1
        yield ScatterSum(step, added, y.copy(), counts.copy())


def _span(indices: np.ndarray, step: int) -> str:
    """Output rows (or columns) of a stamp as a slice, ``start:stop`` or ``start:stop:step``."""
    start, stop = int(indices.min()), int(indices.max()) + 1
    return f"{start}:{stop}" if step == 1 else f"{start}:{stop}:{step}"


def scatter_equation(data: Slide, index: int) -> Caption:
    """What scatter step ``index`` does: ``x[0,1] = 2 stamps 2·w onto y[0:3, 2:5]``.

    >>> spec = ConvSpec(mode="transposed", input_size=2, kernel_size=3, stride=2, padding=1)
    >>> str(scatter_equation(slide(spec, Numbers(kernel="box blur", input="1,2;3,4")), 1))
    'x[0,1] = 2 stamps 2·w onto y[0:2, 1:3] (4 of 9 taps land, padding crops the rest)'
    """
    spec = data.spec
    step = scatter_steps(spec)[index]
    value = data.x[step.source]
    head = f"{format_number(value)} stamps {factor(value)}·w"
    if not len(step.out):
        return Caption(cell(spec, "x", step.source),
                       f"{head} entirely into the cropped padding: y does not change")
    (dh, dw), taps = spec.dilation, data.weight.size
    spans = [_span(step.out[:, 1], dw)]
    if spec.dims == 2:
        spans.insert(0, _span(step.out[:, 0], dh))
    text = f"{head} onto y[{', '.join(spans)}]"
    if len(step.out) < taps:
        text += f" ({len(step.out)} of {taps} taps land, padding crops the rest)"
    return Caption(cell(spec, "x", step.source), text)
