"""Which input cells feed which output cells: the taps of :func:`convviz.geometry.layout`'s
steps, as a relation in cells (pure data, no pixels), so that a page can point at a cell and
show every cell it feeds or reads.

A window is a row window times a column window, so the relation is kept per axis. For a
transposed convolution it is the scatter view's stamp (:func:`convviz.geometry.scatter`);
under a non-zero ``padding_mode`` a tap on padding reads a copy of an input cell, and counts
as reading it.

>>> spec = ConvSpec(mode="transposed", input_size=3, kernel_size=3, stride=2, padding=1)
>>> links(spec).feeds(0, 0), int(links(spec).taps[0, 0])
([(0, 0), (0, 1), (1, 0), (1, 1)], 1)
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .geometry import grid_shape
from .ops.shapes import NUMPY_PAD_MODE
from .ops.spec import ConvSpec


def _axis(spec: ConvSpec, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """Along ``axis`` (0 rows, 1 columns) of the drawn grid: the input index each drawn line
    shows (under a non-zero ``padding_mode`` a padding line shows a copy of one; -1 for zeros)
    and whether it is a real input line, both shape (GH,) or (GW,)."""
    n, length = spec.input_size[axis], grid_shape(spec)[axis]
    if spec.transposed:
        s, at = spec.stride[axis], np.arange(length) - spec.actual_padding[axis]
        source = np.where((at % s == 0) & (at >= 0) & (at <= (n - 1) * s), at // s, -1)
        return source, source >= 0
    before = spec.pads[2 * axis]
    after = length - n - before             # the padding, and ceil-mode pooling's reach past it
    real = np.pad(np.ones(n, bool), (before, after))
    if spec.padding_mode == "zeros":
        return np.where(real, np.arange(length) - before, -1), real
    return np.pad(np.arange(n), (before, after), mode=NUMPY_PAD_MODE[spec.padding_mode]), real


@dataclass(frozen=True, eq=False)
class Links:
    """Which input cells each output cell's sum reads. A window is a row window times a
    column window, so the relation is kept per axis.

    Attributes
    ----------
    rows : ndarray, shape (H, H_out), bool
        Input row ``i`` is read by output row ``o`` (a padding copy of it counts).
    cols : ndarray, shape (W, W_out), bool
    taps : ndarray, shape (H_out, W_out), int
        How many of each step's taps land on real input cells; the other ``kernel_taps -
        taps`` read padding or inserted zeros.
    kernel_taps : int
        ``kH * kW``.
    """

    rows: np.ndarray
    cols: np.ndarray
    taps: np.ndarray
    kernel_taps: int

    def feeds(self, row: int, col: int) -> list[tuple[int, int]]:
        """The output cells whose sums read input cell ``(row, col)``, row-major."""
        cols = np.flatnonzero(self.cols[col]).tolist()
        return [(o, q) for o in np.flatnonzero(self.rows[row]).tolist() for q in cols]

    def reads(self, row: int, col: int) -> list[tuple[int, int]]:
        """The input cells output cell ``(row, col)`` reads, row-major."""
        cols = np.flatnonzero(self.cols[:, col]).tolist()
        return [(i, j) for i in np.flatnonzero(self.rows[:, row]).tolist() for j in cols]

    def then(self, other: Links) -> Links:
        """The links of this convolution followed by ``other`` (input to final output)."""
        rows = (self.rows.astype(np.int64) @ other.rows) > 0
        cols = (self.cols.astype(np.int64) @ other.cols) > 0
        return Links(rows, cols, other.taps, other.kernel_taps)


def links(spec: ConvSpec) -> Links:
    """The input cells each output cell of one-stage ``spec`` reads: the taps of
    :func:`layout`'s steps, per axis (for a transposed spec this is the scatter view's
    stamp, :func:`scatter`).

    >>> spec = ConvSpec(input_size=5, kernel_size=3, stride=2, padding=1)
    >>> links(spec).feeds(1, 1), links(spec).reads(0, 0)
    ([(0, 0), (0, 1), (1, 0), (1, 1)], [(0, 0), (0, 1), (1, 0), (1, 1)])
    """
    stride = (1, 1) if spec.transposed else spec.stride
    per_axis = []
    for axis in (0, 1):
        source, real = _axis(spec, axis)
        k, d, out = spec.kernel_size[axis], spec.dilation[axis], spec.output_size[axis]
        taps = np.arange(out)[:, None] * stride[axis] + d * np.arange(k)   # (out, k) lines
        read = np.zeros((spec.input_size[axis], out), bool)
        o, t = np.nonzero(source[taps] >= 0)
        read[source[taps][o, t], o] = True
        per_axis.append((read, real[taps].sum(axis=1)))               # (n, out), (out,)
    (rows, on_rows), (cols, on_cols) = per_axis
    return Links(rows, cols, on_rows[:, None] * on_cols[None, :],
                 spec.kernel_size[0] * spec.kernel_size[1])
