"""The input cells one output cell of a stack depends on, followed through every map.

A window is a row window times a column window, and so is a chain of them, so the region is
followed per axis: the output cell's row is read by some rows of the map below (the layer's
:func:`convviz.links.links`: padding reads no input, a ``reflect`` padding reads the cell it
copies), those by some rows of the map below that, and so on down to the input. The region is
the rows found times the columns found: exact, clipped to every map on the way (a cell that
reads only padding depends on nothing), and with holes where dilation or strides skip cells.
Each map's *reach* is what the layer above reads of it, padding included, as a figure shows it.

>>> from convviz.ops.stack_text import parse_stack
>>> found = region(parse_stack("conv k3 d2 p2; conv k3 d2 p2", input_size=9), (4, 4))
>>> found.box, found.holes, found.rows[0].tolist()
(((0, 9), (0, 9)), True, [0, 2, 4, 6, 8])
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .links import links
from .ops.args import check_int
from .ops.receptive import field_bounds, stages
from .ops.spec import ConvSpec
from .ops.stack import Stack

Bounds = tuple[tuple[int, int], tuple[int, int]]
"""Half-open ``((y0, y1), (x0, x1))``, in cells."""


@dataclass(frozen=True, eq=False)
class Region:
    """What output cell ``cell`` of a stack's last layer depends on.

    Attributes
    ----------
    cell : (row, col)
    rows, cols : tuple of ndarray, one per map (0 the input, last the output)
        The sorted rows and columns of each map the cell depends on (the output's: its own).
    reach : tuple of (ndarray, ndarray), one per map below the output
        The rows and columns of each map that the layer above reads for the cell, padding
        included (indices below 0 or past the map are padding; unread cells inside are holes).
    field : Bounds or None
        The field on the unbounded line (:func:`convviz.ops.receptive.field_bounds`): the
        region before clipping, in input cells.
    """

    cell: tuple[int, int]
    rows: tuple[np.ndarray, ...]
    cols: tuple[np.ndarray, ...]
    reach: tuple[tuple[np.ndarray, np.ndarray], ...]
    field: Bounds | None

    @property
    def box(self) -> Bounds | None:
        """The input cells read, as a half-open box ``((y0, y1), (x0, x1))``; None when the cell
        reads padding only."""
        rows, cols = self.rows[0], self.cols[0]
        if not len(rows) or not len(cols):
            return None
        return (int(rows[0]), int(rows[-1]) + 1), (int(cols[0]), int(cols[-1]) + 1)

    @property
    def count(self) -> int:
        """How many input cells the cell depends on."""
        return len(self.rows[0]) * len(self.cols[0])

    @property
    def holes(self) -> bool:
        """True when some input cells inside :attr:`box` are not read."""
        box = self.box
        return box is not None and self.count < (box[0][1] - box[0][0]) * (box[1][1] - box[1][0])

    def cells(self) -> list[list[int]]:
        """Every input cell read, ``[y, x]``, row-major."""
        return [[int(r), int(c)] for r in self.rows[0] for c in self.cols[0]]


@lru_cache(maxsize=16)
def _links(spec: ConvSpec) -> tuple[np.ndarray, np.ndarray]:
    found = links(spec)
    return found.rows, found.cols


def _read(spec: ConvSpec, axis: int, dependent: np.ndarray) -> np.ndarray:
    """The input indices (along ``axis``) of one-stage ``spec`` that outputs ``dependent``
    read."""
    return np.flatnonzero(_links(spec)[axis][:, dependent].any(axis=1))


def reach(spec: ConvSpec, axis: int, dependent: np.ndarray) -> np.ndarray:
    """The positions of one-stage ``spec``'s input (padding included: below 0 or past the
    input) that outputs ``dependent`` read along ``axis``; a transposed spec's real reads."""
    if spec.transposed:
        return _read(spec, axis, dependent)
    (k, s, d, p, _), = stages(spec, axis)
    return np.unique((dependent[:, None] * s - p + d * np.arange(k)).ravel())


def down(spec: ConvSpec, axis: int, dependent: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The input indices of ``spec`` that its outputs ``dependent`` depend on along ``axis``
    (through every stage), and the positions its first stage reads (:func:`reach`)."""
    steps = spec.stages()
    for stage in reversed(steps[1:]):
        dependent = _read(stage, axis, dependent)
    return _read(steps[0], axis, dependent), reach(steps[0], axis, dependent)


def region(stack: Stack, cell: tuple[int, int]) -> Region:
    """The :class:`Region` of output cell ``cell`` (row, column) of ``stack``'s last layer."""
    height, width = stack.output_size
    cell = (check_int(cell[0], "cell row", 0, height - 1),
            check_int(cell[1], "cell column", 0, width - 1))
    specs = stack.specs()
    rows, cols, reached = [np.array([cell[0]])], [np.array([cell[1]])], []
    for spec in reversed(specs):
        (row, row_reach), (col, col_reach) = down(spec, 0, rows[0]), down(spec, 1, cols[0])
        rows.insert(0, row)
        cols.insert(0, col)
        reached.insert(0, (row_reach, col_reach))
    return Region(cell, tuple(rows), tuple(cols), tuple(reached), field_bounds(specs, cell))


def clear_caches() -> None:
    """Forget the links kept for reuse."""
    _links.cache_clear()
