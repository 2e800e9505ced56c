"""Max and average pooling as plain loops: the definitions, to read and to test.

The slow, obvious versions of :mod:`convviz.ops.pooling`'s ops, with the same signatures and
checks (:mod:`convviz.ops.pool_shapes`). Each output cell visits the input cells its window
covers, as PyTorch's CPU kernels do: max pooling keeps the first largest value (NaN wins) and
its flat index, starting from the window's first tap inside the input; average pooling sums
the covered cells and divides by what the window counts.

>>> max_pool2d(np.arange(16.0).reshape(1, 1, 4, 4), 2, return_indices=True)[1][0, 0]
array([[ 5,  7],
       [13, 15]])
"""
from __future__ import annotations

import numpy as np

from .args import single
from .pool_shapes import (
    Size,
    avg_pool1d_output_shape,
    check_divisor,
    default_stride,
    flag,
    max_pool1d_output_shape,
    pool_geometry,
)
from .pooling import lowest


def _first(start: int, dilation: int) -> int:
    """The first tap of a window starting at ``start`` that lies at or after cell 0."""
    while start < 0:
        start += dilation
    return start


def max_pool2d(input: np.ndarray, kernel_size: Size, stride: Size | None = None,
               padding: Size = 0, dilation: Size = 1, ceil_mode: bool = False,
               return_indices: bool = False) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """2-D max pooling, one output cell at a time (parameters and shapes as
    :func:`convviz.ops.pooling.max_pool2d`).

    ``out[b, c, i, j]`` is the largest ``x[b, c, r, q]`` over the window's taps inside the
    input, ``r = i*sH - pH + u*dH``, ``q = j*sW - pW + v*dW``; padding is never read.
    """
    input = np.asarray(input)
    shape, ((kh, kw), (sh, sw), (ph, pw), (dh, dw)) = pool_geometry(
        input.shape, kernel_size, stride, padding, dilation, ceil_mode, 2)
    x = input if input.ndim == 4 else input[None]
    h, w = x.shape[2:]
    out, index = np.empty(shape, dtype=x.dtype), np.empty(shape, dtype=np.int64)
    for b, c, i, j in np.ndindex(shape):
        r0, q0 = i * sh - ph, j * sw - pw                # the window's first cell
        r1, q1 = min(r0 + dh * (kh - 1) + 1, h), min(q0 + dw * (kw - 1) + 1, w)
        r0, q0 = _first(r0, dh), _first(q0, dw)
        best, where = lowest(x.dtype), r0 * w + q0
        for r in range(r0, r1, dh):
            for q in range(q0, q1, dw):
                value = x[b, c, r, q]
                if value > best or np.isnan(value):
                    best, where = value, r * w + q
        out[b, c, i, j], index[b, c, i, j] = best, where
    if input.ndim == 3:
        out, index = out[0], index[0]
    return (out, index) if return_indices else out


def _quotient(total, divisor: int, dtype: np.dtype):
    """``total / divisor`` as ``dtype`` holds it; integers round toward zero, as in C."""
    if np.issubdtype(dtype, np.integer):
        q = abs(int(total)) // abs(divisor)
        return q if (total >= 0) == (divisor > 0) else -q
    return total / dtype.type(divisor)


def avg_pool2d(input: np.ndarray, kernel_size: Size, stride: Size | None = None,
               padding: Size = 0, ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: int | None = None) -> np.ndarray:
    """2-D average pooling, one output cell at a time (parameters and shapes as
    :func:`convviz.ops.pooling.avg_pool2d`).

    A window spans ``[i*sH - pH, i*sH - pH + kH)`` rows, cut at the end of the bottom padding;
    it sums the input cells inside it and divides by ``divisor_override``, else by its cells
    (padding included) or, without ``count_include_pad``, by its input cells.
    """
    input = np.asarray(input)
    flag(count_include_pad, "count_include_pad")
    divisor_override = check_divisor(divisor_override)
    shape, ((kh, kw), (sh, sw), (ph, pw), _) = pool_geometry(
        input.shape, kernel_size, stride, padding, 1, ceil_mode, 2)
    x = input if input.ndim == 4 else input[None]
    h, w = x.shape[2:]
    out = np.empty(shape, dtype=x.dtype)
    for b, c, i, j in np.ndindex(shape):
        r0, q0 = i * sh - ph, j * sw - pw
        r1, q1 = min(r0 + kh, h + ph), min(q0 + kw, w + pw)    # past the padding: not counted
        cells = (r1 - r0) * (q1 - q0)                           # padding included
        r0, q0, r1, q1 = max(r0, 0), max(q0, 0), min(r1, h), min(q1, w)
        with np.errstate(invalid="ignore"):                   # inf - inf is NaN, as in torch
            total = x[b, c, r0:r1, q0:q1].sum(dtype=np.int64 if x.dtype.kind in "iu" else None)
        divisor = divisor_override or (cells if count_include_pad else (r1 - r0) * (q1 - q0))
        out[b, c, i, j] = _quotient(total, divisor, x.dtype)
    return out if input.ndim == 4 else out[0]


def max_pool1d(input: np.ndarray, kernel_size: Size, stride: Size | None = None,
               padding: Size = 0, dilation: Size = 1, ceil_mode: bool = False,
               return_indices: bool = False) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """1-D max pooling: :func:`max_pool2d` on a ``(1, L)`` plane (shapes ``(N, C, L)``)."""
    input = np.asarray(input)
    max_pool1d_output_shape(input.shape, kernel_size, stride, padding, dilation, ceil_mode)
    k = single(kernel_size, "kernel_size")
    s = single(default_stride(stride, k), "stride")
    out = max_pool2d(input[..., None, :], (1, k), (1, s), (0, single(padding, "padding")),
                     (1, single(dilation, "dilation")), ceil_mode, True)
    out, index = out[0][..., 0, :], out[1][..., 0, :]
    return (out, index) if return_indices else out


def avg_pool1d(input: np.ndarray, kernel_size: Size, stride: Size | None = None,
               padding: Size = 0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> np.ndarray:
    """1-D average pooling: :func:`avg_pool2d` on a ``(1, L)`` plane (shapes ``(N, C, L)``)."""
    input = np.asarray(input)
    avg_pool1d_output_shape(input.shape, kernel_size, stride, padding, ceil_mode,
                            count_include_pad)
    k = single(kernel_size, "kernel_size")
    s = single(default_stride(stride, k), "stride")
    return avg_pool2d(input[..., None, :], (1, k), (1, s), (0, single(padding, "padding")),
                      ceil_mode, count_include_pad)[..., 0, :]
