"""What each step of a figure computes, in numbers: the sums of the sliding window, the stamps
of a transposed convolution's scatter, and each step's :class:`~convviz.figures.base.Caption`.

The numbers come from a :class:`~convviz.values.Sample` (the engine's output for the spec's
input and weights); the cells from :mod:`convviz.geometry`. Every caption's total is the
engine's value.

>>> spec = ConvSpec(input_size=3, kernel_size=2)
>>> str(step_captions(spec, Numbers(kernel="1,0;0,-1", input="1,2,3;4,5,6;7,8,9"))[3])
'y[1,1] = 5·1 + 6·0 + 8·0 + 9·(−1) = −4'
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from ..geometry import (
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
from .sums import sum_text


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
    """

    spec: ConvSpec
    x: np.ndarray
    weight: np.ndarray
    grid: np.ndarray
    kind: np.ndarray
    taps: np.ndarray
    output: np.ndarray
    steps: tuple[Step, ...]


@lru_cache(maxsize=16)
def slide(spec: ConvSpec, numbers: Numbers) -> Slide:
    """The numbers of one-channel ``spec`` (channel 0 in, channel 0 out)."""
    sample = numbers.sample(spec)
    arrays = (sample.x[0], sample.weight[0, 0], grid_values(spec, sample.x)[0], grid(spec).kind,
              drawn_weight(spec, sample.weight)[0, 0], sample.output[0])
    for array in arrays:
        array.setflags(write=False)
    return Slide(spec, *arrays, layout(spec))


def step_equation(data: Slide, index: int) -> Caption:
    """The sum sliding-window step ``index`` computes, with the engine's value as its total:
    ``y[1,2] = 3·0 + 1·2 + … = 17``. Every product is shown, padding and inserted zeros
    included; beyond :data:`~convviz.figures.sums.MAX_TERMS` the zero ones are left out
    (and counted), then the middle ones elided (:func:`~convviz.figures.sums.sum_text`)."""
    step = data.steps[index]
    total = data.output[step.out]
    products = step_products(step, data.grid[None], data.taps[None])
    assert np.isclose(products.sum(), total), "geometry's products must sum to the engine's"
    values = data.grid[np.ix_(step.rows, step.cols)].ravel().tolist()
    text = sum_text(values, data.taps.ravel().tolist())
    body, _, note = text.partition("   (")
    return Caption(_cell("y", step.out),
                   f"{body} = {format_number(total)}" + (f"   ({note}" if note else ""))


def _cell(name: str, at: tuple[int, int]) -> str:
    return f"{name}[{at[0]},{at[1]}]"


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
        return tuple(Caption(_cell("y", step.out)) for step in steps)
    data = slide(spec, numbers)
    return tuple(step_equation(data, i) for i in range(len(steps)))


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
    step = scatter_steps(data.spec)[index]
    value = data.x[step.source]
    head = f"{format_number(value)} stamps {factor(value)}·w"
    if not len(step.out):
        return Caption(_cell("x", step.source),
                       f"{head} entirely into the cropped padding: y does not change")
    (dh, dw), taps = data.spec.dilation, data.weight.size
    text = f"{head} onto y[{_span(step.out[:, 0], dh)}, {_span(step.out[:, 1], dw)}]"
    if len(step.out) < taps:
        text += f" ({len(step.out)} of {taps} taps land, padding crops the rest)"
    return Caption(_cell("x", step.source), text)
