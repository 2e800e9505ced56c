"""Where the kernel goes: the drawn grid of a spec and its sliding-window steps, in cells.

Pure data, no pixels. A direct convolution is drawn over its padded input. A transposed one
is drawn the conv_arithmetic way: the input stretched by ``s - 1`` zeros between cells,
padded by the actual padding ``p_t = d*(k-1) - p`` (plus ``output_padding`` at the
bottom/right), and swept with unit stride by the flipped kernel. :func:`scatter` gives the
other view of a transposed convolution, the one PyTorch computes. A pooling window is swept
like a kernel; in ceil mode the grid grows by the cells its last windows reach past the
padding (drawn like padding, read by nothing). A 1-D spec is its one-row plane.

>>> spec = ConvSpec(input_size=5, kernel_size=3, stride=2, padding=1)
>>> grid(spec).shape, len(layout(spec))
((7, 7), 9)
>>> layout(spec)[1].rows, layout(spec)[1].cols
(array([0, 1, 2]), array([2, 3, 4]))
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .ops.pooling import lowest
from .ops.shapes import NUMPY_PAD_MODE
from .ops.spec import ConvSpec

PADDING, INPUT, ZERO, OUTSIDE = 0, 1, 2, 3
"""Kinds of drawn cells: padding, a real input cell, a zero inserted by a stride, and a cell
past the padding that a ceil-mode pooling window reaches but does not read."""


@dataclass(frozen=True, eq=False)
class Grid:
    """The plane the kernel sweeps.

    Attributes
    ----------
    kind : ndarray, shape (GH, GW), int8
        PADDING, INPUT or ZERO for every drawn cell.
    source : ndarray, shape (GH, GW, 2), int
        The input ``(row, col)`` an INPUT cell shows; -1 elsewhere.
    kernel_size, dilation, stride : (kH, kW), (dH, dW), (sH, sW)
        As the kernel moves over this grid (stride 1 for a transposed spec).
    flipped : bool
        True when tap ``(i, j)`` uses weight ``(kH-1-i, kW-1-j)`` (transposed specs).
    output_size : (H_out, W_out)
    """

    kind: np.ndarray
    source: np.ndarray
    kernel_size: tuple[int, int]
    dilation: tuple[int, int]
    stride: tuple[int, int]
    flipped: bool
    output_size: tuple[int, int]

    @property
    def shape(self) -> tuple[int, int]:
        """``(GH, GW)``, the drawn size in cells."""
        return self.kind.shape

    @property
    def span(self) -> tuple[int, int]:
        """The kernel footprint in cells, ``d*(k-1) + 1`` per axis."""
        return tuple(d * (k - 1) + 1 for k, d in zip(self.kernel_size, self.dilation))


@dataclass(frozen=True, eq=False)
class Step:
    """One kernel position.

    Attributes
    ----------
    index : int
        Position in the row-major sweep (the frame number).
    out : (row, col)
        The output cell this position computes.
    rows, cols : ndarray, shapes (kH,) and (kW,)
        Grid rows and columns of the kernel taps (spaced by the dilation).
    kind : ndarray, shape (kH, kW)
        PADDING / INPUT / ZERO of each tapped cell.
    source : ndarray, shape (kH, kW, 2)
        Input ``(row, col)`` each tap reads, -1 for padding and inserted zeros.
    """

    index: int
    out: tuple[int, int]
    rows: np.ndarray
    cols: np.ndarray
    kind: np.ndarray
    source: np.ndarray

    @property
    def padding_mask(self) -> np.ndarray:
        """``(kH, kW)`` bool: taps that read padding or inserted zeros, not input."""
        return self.kind != INPUT


def _direct_grid(spec: ConvSpec) -> Grid:
    """The padded input of a direct convolution (and past it, a ceil-mode window's reach)."""
    top, bottom, left, right = spec.pads
    (h, w) = spec.input_size
    kind = np.full(grid_shape(spec), OUTSIDE, dtype=np.int8)
    kind[:top + h + bottom, :left + w + right] = PADDING
    kind[top:top + h, left:left + w] = INPUT
    source = np.full(kind.shape + (2,), -1)
    source[top:top + h, left:left + w] = np.stack(np.mgrid[:h, :w], axis=-1)
    return Grid(kind, source, spec.kernel_size, spec.dilation, spec.stride, False,
                spec.output_size)


def _transposed_grid(spec: ConvSpec) -> Grid:
    """The stretched and padded input of a transposed convolution (may crop if p_t < 0)."""
    (h, w), (sh, sw) = spec.input_size, spec.stride
    pth, ptw = spec.actual_padding
    shape = grid_shape(spec)
    kind = np.full(shape, PADDING, dtype=np.int8)
    r0, r1 = max(pth, 0), min(pth + (h - 1) * sh + 1, shape[0])    # stretched span, clipped
    c0, c1 = max(ptw, 0), min(ptw + (w - 1) * sw + 1, shape[1])
    kind[r0:r1, c0:c1] = ZERO
    source = np.full(shape + (2,), -1)
    rows, cols = pth + sh * np.arange(h), ptw + sw * np.arange(w)   # grid row/col of input i
    rin, cin = (rows >= 0) & (rows < shape[0]), (cols >= 0) & (cols < shape[1])
    kind[np.ix_(rows[rin], cols[cin])] = INPUT
    source[np.ix_(rows[rin], cols[cin])] = np.stack(
        np.meshgrid(np.flatnonzero(rin), np.flatnonzero(cin), indexing="ij"), axis=-1)
    return Grid(kind, source, spec.kernel_size, spec.dilation, (1, 1), True, spec.output_size)


def grid_shape(spec: ConvSpec) -> tuple[int, int]:
    """``(GH, GW)``: the size in cells of :func:`grid`, from the spec's arithmetic alone
    (nothing is allocated, so figures check it before they draw).

    >>> grid_shape(ConvSpec(mode="transposed", input_size=3, stride=2, padding=1))
    (7, 7)
    """
    if not spec.transposed:
        top, bottom, left, right = spec.pads
        extra = _reach(spec)
        return (spec.input_size[0] + top + bottom + extra[0],
                spec.input_size[1] + left + right + extra[1])
    return tuple((n - 1) * s + 1 + 2 * pt + a for n, s, pt, a in
                 zip(spec.input_size, spec.stride, spec.actual_padding, spec.output_padding))


def _reach(spec: ConvSpec) -> tuple[int, int]:
    """Cells the last windows of a direct spec reach past the bottom/right padding: none but
    in ceil-mode pooling (:func:`convviz.ops.pool_shapes.overhang`)."""
    padded = (n + spec.pads[2 * i] + spec.pads[2 * i + 1] for i, n in enumerate(spec.input_size))
    return tuple(max(0, (o - 1) * s + d * (k - 1) + 1 - p) for p, k, s, d, o in
                 zip(padded, spec.kernel_size, spec.stride, spec.dilation, spec.output_size))


def grid(spec: ConvSpec) -> Grid:
    """The grid the figures of ``spec`` draw and the kernel sweeps (see the module doc)."""
    return _transposed_grid(spec) if spec.transposed else _direct_grid(spec)


@lru_cache(maxsize=32)
def layout(spec: ConvSpec) -> tuple[Step, ...]:
    """One :class:`Step` per output cell, row-major from the top-left.

    >>> [s.out for s in layout(ConvSpec(input_size=4, kernel_size=3))]
    [(0, 0), (0, 1), (1, 0), (1, 1)]
    """
    g = grid(spec)
    (kh, kw), (dh, dw), (sh, sw) = g.kernel_size, g.dilation, g.stride
    (oh, ow) = g.output_size
    steps = []
    for r in range(oh):
        rows = r * sh + dh * np.arange(kh)
        for c in range(ow):
            cols = c * sw + dw * np.arange(kw)
            cells = np.ix_(rows, cols)
            steps.append(Step(len(steps), (r, c), rows, cols, g.kind[cells], g.source[cells]))
    for step in steps:                  # shared by every caller (cached): read-only
        for array in (step.rows, step.cols, step.kind, step.source):
            array.setflags(write=False)
    return tuple(steps)


def grid_values(spec: ConvSpec, x: np.ndarray) -> np.ndarray:
    """The values each drawn cell holds: input, padding (per ``padding_mode``; max pooling's
    is -inf), zeros; cells past the padding hold what padding does.

    Parameters
    ----------
    x : ndarray, shape (C, H, W)

    Returns
    -------
    ndarray, shape (C, GH, GW) (float for max pooling)
    """
    g = grid(spec)
    if not spec.transposed:
        top, bottom, left, right = spec.pads
        extra = _reach(spec)
        widths = ((0, 0), (top, bottom + extra[0]), (left, right + extra[1]))
        if spec.operation.reduce == "max":
            x = x.astype(np.float64)
            return np.pad(x, widths, constant_values=lowest(x.dtype))
        return np.pad(x, widths, mode=NUMPY_PAD_MODE[spec.padding_mode])
    out = np.zeros((x.shape[0],) + g.shape, dtype=x.dtype)
    rows, cols = np.nonzero(g.kind == INPUT)
    out[:, rows, cols] = x[:, g.source[rows, cols, 0], g.source[rows, cols, 1]]
    return out


def drawn_weight(spec: ConvSpec, weight: np.ndarray) -> np.ndarray:
    """The weights as the taps of :func:`layout` use them: flipped for transposed specs.

    Parameters
    ----------
    weight : ndarray, shape (..., kH, kW)

    Returns
    -------
    ndarray, shape (..., kH, kW); entry ``[..., i, j]`` multiplies tap ``(i, j)``.
    """
    return weight[..., ::-1, ::-1] if spec.transposed else weight


def step_products(step: Step, values: np.ndarray, taps: np.ndarray) -> np.ndarray:
    """The products one step sums: each tapped cell's value times its tap weight.

    Parameters
    ----------
    values : ndarray, shape (C, GH, GW), from :func:`grid_values`
    taps : ndarray, shape (C, kH, kW), from :func:`drawn_weight` for one output channel

    Returns
    -------
    ndarray, shape (C, kH, kW); its sum is the output value at ``step.out``.
    """
    return values[:, step.rows[:, None], step.cols[None, :]] * taps


@dataclass(frozen=True, eq=False)
class ScatterStep:
    """One input cell of a transposed convolution and what it writes (PyTorch's view).

    Attributes
    ----------
    index : int
        Position in the row-major sweep over the input.
    source : (row, col)
        The input cell.
    out : ndarray, shape (T, 2)
        Output ``(row, col)`` of each tap that lands inside the output.
    taps : ndarray, shape (T, 2)
        Weight ``(i, j)`` that tap uses (not flipped).
    """

    index: int
    source: tuple[int, int]
    out: np.ndarray
    taps: np.ndarray


def scatter(spec: ConvSpec) -> tuple[ScatterStep, ...]:
    """Input cells of a transposed spec, row-major, with the output cells each one writes:
    ``out = source*s - p + tap*d``, kept where it falls inside the output.

    >>> spec = ConvSpec(mode="transposed", input_size=2, kernel_size=3, stride=2)
    >>> scatter(spec)[1].out[:2].tolist()
    [[0, 2], [0, 3]]
    """
    (kh, kw), (sh, sw), (dh, dw) = spec.kernel_size, spec.stride, spec.dilation
    (ph, pw), (oh, ow) = spec.padding, spec.output_size
    taps = np.stack(np.mgrid[:kh, :kw], axis=-1).reshape(-1, 2)      # (kH*kW, 2)
    steps = []
    for r in range(spec.input_size[0]):
        for c in range(spec.input_size[1]):
            out = np.array([r * sh - ph, c * sw - pw]) + taps * (dh, dw)
            inside = (out[:, 0] >= 0) & (out[:, 0] < oh) & (out[:, 1] >= 0) & (out[:, 1] < ow)
            steps.append(ScatterStep(len(steps), (r, c), out[inside], taps[inside]))
    return tuple(steps)
