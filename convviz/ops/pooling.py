"""Max and average pooling, 2-D and 1-D, on NumPy arrays, with PyTorch's semantics.

The four ops mirror ``torch.nn.functional.max_pool2d``, ``avg_pool2d``, ``max_pool1d`` and
``avg_pool1d``: names, positional order, defaults, accepted values and refusals
(:mod:`convviz.ops.pool_shapes`). Pooling reads the same windows a convolution's kernel does
(tinygrad's ``_pool``) and reduces them with a maximum or a mean instead of a weighted sum.
It is computed tap by tap: each of the ``kH*kW`` taps is one strided view
``(N, C, H_out, W_out)`` of the padded input, and the reduction runs over the views.

- Max pooling pads with ``-inf`` (the lowest int for integer arrays), so padding never wins.
  NaN wins, and of equal values the first tap (row-major) does, as in PyTorch.
  ``return_indices=True`` also gives each maximum's flat index ``h*W + w`` in its input plane.
- Average pooling pads with zeros and divides each window's sum by ``divisor_override``, else
  by the cells it covers: padding included (``count_include_pad``) or not. Cells a ceil-mode
  window reaches past the padding are never counted. Integer arrays divide as PyTorch's do
  (rounding toward zero).

>>> x = np.arange(16.0).reshape(1, 1, 4, 4)
>>> max_pool2d(x, 2)[0, 0]
array([[ 5.,  7.],
       [13., 15.]])
>>> avg_pool1d(np.arange(5.0).reshape(1, 1, 5), 2, ceil_mode=True)[0, 0]
array([0.5, 2.5, 4. ])
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from ..errors import ConvVizError
from .args import single
from .pool_shapes import (
    Size,
    avg_pool1d_output_shape,
    check_divisor,
    default_stride,
    flag,
    max_pool1d_output_shape,
    overhang,
    pool_geometry,
)

Window = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], tuple[int, ...]]
"""A pooling window's ``(kernel, stride, padding, dilation)``, one entry per axis."""


def _numbers(input) -> np.ndarray:
    """``input`` as an array of numbers (ints or floats); bools and others are refused, as
    PyTorch's pooling refuses them."""
    array = np.asarray(input)
    if array.dtype.kind not in "iuf":
        raise ConvVizError(f"input must hold ints or floats, got dtype {array.dtype}")
    return array


def lowest(dtype: np.dtype):
    """What max pooling pads with: ``-inf``, or the lowest value of an integer dtype."""
    return np.iinfo(dtype).min if np.issubdtype(dtype, np.integer) else -np.inf


def _padded(x: np.ndarray, size: Sequence[int], window: Window, value) -> np.ndarray:
    """``x`` ``(N, C, H, W)`` padded with ``value``: ``p`` cells on every side, plus the
    cells ceil mode's last windows reach past the bottom/right padding."""
    kernel, stride, padding, dilation = window
    extra = [overhang(n, k, s, p, d, o) for n, k, s, p, d, o in
             zip(x.shape[2:], kernel, stride, padding, dilation, size)]
    (ph, pw), (h, w) = padding, x.shape[2:]
    if not any(padding) and not any(extra):
        return x
    out = np.full((*x.shape[:2], h + 2 * ph + extra[0], w + 2 * pw + extra[1]), value,
                  dtype=x.dtype)
    out[:, :, ph:ph + h, pw:pw + w] = x
    return out                                          # (N, C, H_pad, W_pad)


def _taps(xp: np.ndarray, size: Sequence[int], window: Window) -> Iterator[tuple]:
    """``((i, j), view)`` per tap: the padded cells tap ``(i, j)`` reads for every output
    cell, a strided view ``(N, C, H_out, W_out)``."""
    (kh, kw), (sh, sw), _, (dh, dw) = window
    oh, ow = size
    for i in range(kh):
        for j in range(kw):
            yield (i, j), xp[:, :, i * dh:i * dh + (oh - 1) * sh + 1:sh,
                             j * dw:j * dw + (ow - 1) * sw + 1:sw]


def _first_tap(out: int, stride: int, padding: int, dilation: int) -> np.ndarray:
    """Per output cell of one axis, the first tap at or after input cell 0 (where PyTorch
    starts each window's index)."""
    start = np.arange(out) * stride - padding
    return np.where(start < 0, start % dilation, start)   # a padding start steps in by d


def _max_indices(xp: np.ndarray, size: Sequence[int], window: Window,
                 width: int) -> tuple[np.ndarray, np.ndarray]:
    """Running maximum and its flat input index ``h*W + w``; NaN wins, the first of equal
    values stays (PyTorch's ``val > max || isnan(val)``)."""
    _, stride, padding, dilation = window
    best = np.full((*xp.shape[:2], *size), lowest(xp.dtype), dtype=xp.dtype)
    rows, cols = (_first_tap(o, s, p, d) for o, s, p, d in zip(size, stride, padding, dilation))
    index = np.broadcast_to(rows[:, None] * width + cols[None, :], best.shape).astype(np.int64)
    base = ((np.arange(size[0]) * stride[0] - padding[0])[:, None] * width
            + (np.arange(size[1]) * stride[1] - padding[1])[None, :])    # (H_out, W_out)
    floating = np.issubdtype(xp.dtype, np.floating)
    for (i, j), view in _taps(xp, size, window):
        take = (view > best) | np.isnan(view) if floating else view > best
        best = np.where(take, view, best)
        index = np.where(take, base + i * dilation[0] * width + j * dilation[1], index)
    return best, index


def max_pool2d(input: np.ndarray, kernel_size: Size, stride: Size | None = None,
               padding: Size = 0, dilation: Size = 1, ceil_mode: bool = False,
               return_indices: bool = False) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """2-D max pooling: each output cell is the largest value in its window.

    Parameters
    ----------
    input : ndarray, shape (N, C, H, W) or (C, H, W)
    kernel_size : int or (kH, kW)
    stride : int or (sH, sW), optional; None (or ``()``): the kernel size
    padding : int or (pH, pW), at most half the kernel size; pads with -inf
    dilation : int or (dH, dW)
    ceil_mode : bool
        Round the output size up; a window must still start inside the input or the left
        (top) padding.
    return_indices : bool
        Also return each maximum's flat index ``h*W + w`` in its ``(H, W)`` plane.

    Returns
    -------
    ndarray, shape (N, C, H_out, W_out) (no N for a 3-D input), dtype of input; with
    ``return_indices``, also the int64 indices of that shape
        ``H_out = floor((H + 2*pH - dH*(kH-1) - 1) / sH) + 1``, likewise W (ceil mode:
        :func:`~convviz.ops.pool_shapes.pooled_length`).
    """
    input = _numbers(input)
    shape, window = pool_geometry(input.shape, kernel_size, stride, padding, dilation,
                                  ceil_mode, 2)
    x = input if input.ndim == 4 else input[None]               # (N, C, H, W)
    size = shape[2:]
    xp = _padded(x, size, window, lowest(x.dtype))              # (N, C, H_pad, W_pad)
    if return_indices:
        out, index = _max_indices(xp, size, window, x.shape[3])
        return (out, index) if input.ndim == 4 else (out[0], index[0])
    out = None
    for _, view in _taps(xp, size, window):                     # (N, C, H_out, W_out) each
        out = view.copy() if out is None else np.maximum(out, view, out=out)
    return out if input.ndim == 4 else out[0]


def _divisors(size: Sequence[int], shape: Sequence[int], window: Window,
              count_include_pad: bool) -> np.ndarray:
    """``(H_out, W_out)``: the cells each window averages over (never those past the
    padding; padding only with ``count_include_pad``)."""
    kernel, stride, padding, _ = window
    counts = []
    for n, k, s, p, o in zip(shape, kernel, stride, padding, size):
        start = np.arange(o) * s - p
        end = np.minimum(start + k, n + p)
        counts.append(end - start if count_include_pad else
                      np.minimum(end, n) - np.maximum(start, 0))
    return counts[0][:, None] * counts[1][None, :]


def _divide(total: np.ndarray, divisor, dtype: np.dtype) -> np.ndarray:
    """``total / divisor`` in ``dtype``; integers round toward zero, as in C."""
    if np.issubdtype(dtype, np.integer):
        quotient = np.abs(total) // np.abs(divisor) * np.sign(total) * np.sign(divisor)
        return quotient.astype(dtype)
    return total / np.asarray(divisor, dtype=dtype)


def avg_pool2d(input: np.ndarray, kernel_size: Size, stride: Size | None = None,
               padding: Size = 0, ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: int | None = None) -> np.ndarray:
    """2-D average pooling: each output cell is the mean of its window.

    Parameters
    ----------
    input : ndarray, shape (N, C, H, W) or (C, H, W)
    kernel_size : int or (kH, kW)
    stride : int or (sH, sW), optional; None (or ``()``): the kernel size
    padding : int or (pH, pW), at most half the kernel size; pads with zeros
    ceil_mode : bool
        Round the output size up (see :func:`max_pool2d`).
    count_include_pad : bool
        Count the padding cells a window covers in its divisor.
    divisor_override : int, optional
        Divide every window's sum by this (nonzero) instead.

    Returns
    -------
    ndarray, shape (N, C, H_out, W_out) (no N for a 3-D input), dtype of input
        ``H_out = floor((H + 2*pH - kH) / sH) + 1``, likewise W (ceil mode:
        :func:`~convviz.ops.pool_shapes.pooled_length`).

    >>> avg_pool2d(np.ones((1, 1, 3, 3)), 2, padding=1, count_include_pad=False)[0, 0]
    array([[1., 1.],
           [1., 1.]])
    """
    input = _numbers(input)
    flag(count_include_pad, "count_include_pad")
    divisor = check_divisor(divisor_override)
    shape, window = pool_geometry(input.shape, kernel_size, stride, padding, 1, ceil_mode, 2)
    x = input if input.ndim == 4 else input[None]               # (N, C, H, W)
    size = shape[2:]
    integer = np.issubdtype(x.dtype, np.integer)
    xp = _padded(x.astype(np.int64) if integer else x, size, window, 0)
    total = None
    with np.errstate(invalid="ignore"):                         # inf - inf is NaN, as in torch
        for _, view in _taps(xp, size, window):                 # (N, C, H_out, W_out) each
            total = view.copy() if total is None else np.add(total, view, out=total)
    if divisor is None:
        divisor = _divisors(size, x.shape[2:], window, count_include_pad)
    out = _divide(total, divisor, x.dtype)
    return out if input.ndim == 4 else out[0]


def _plane(input: np.ndarray) -> np.ndarray:
    """A 1-D input ``(N, C, L)`` or ``(C, L)`` as a ``(1, L)`` plane of a 2-D one."""
    return input[..., None, :]


def max_pool1d(input: np.ndarray, kernel_size: Size, stride: Size | None = None,
               padding: Size = 0, dilation: Size = 1, ceil_mode: bool = False,
               return_indices: bool = False) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """1-D max pooling: :func:`max_pool2d` on a ``(1, L)`` plane.

    Parameters
    ----------
    input : ndarray, shape (N, C, L) or (C, L)
    kernel_size, stride, padding, dilation : int (or a one-element sequence); stride None:
        the kernel size
    ceil_mode, return_indices : bool, as :func:`max_pool2d`'s (indices are positions in L)

    Returns
    -------
    ndarray, shape (N, C, L_out) (no N for a 2-D input); with ``return_indices``, also the
    int64 indices of that shape
        ``L_out = floor((L + 2*p - d*(k-1) - 1) / s) + 1``.

    >>> max_pool1d(np.array([[[1.0, 3.0, 2.0, 5.0, 4.0]]]), 2, return_indices=True)
    (array([[[3., 5.]]]), array([[[1, 3]]]))
    """
    input = _numbers(input)
    max_pool1d_output_shape(input.shape, kernel_size, stride, padding, dilation, ceil_mode)
    k = single(kernel_size, "kernel_size")
    s = single(default_stride(stride, k), "stride")
    out = max_pool2d(_plane(input), (1, k), (1, s), (0, single(padding, "padding")),
                     (1, single(dilation, "dilation")), ceil_mode, return_indices)
    if return_indices:
        return out[0][..., 0, :], out[1][..., 0, :]
    return out[..., 0, :]                                       # (N, C, L_out)


def avg_pool1d(input: np.ndarray, kernel_size: Size, stride: Size | None = None,
               padding: Size = 0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> np.ndarray:
    """1-D average pooling: :func:`avg_pool2d` on a ``(1, L)`` plane (PyTorch's 1-D op has
    no ``divisor_override``).

    Parameters
    ----------
    input : ndarray, shape (N, C, L) or (C, L)
    kernel_size, stride, padding : int (or a one-element sequence); stride None: the kernel
        size
    ceil_mode, count_include_pad : bool, as :func:`avg_pool2d`'s

    Returns
    -------
    ndarray, shape (N, C, L_out) (no N for a 2-D input)
        ``L_out = floor((L + 2*p - k) / s) + 1``.
    """
    input = _numbers(input)
    avg_pool1d_output_shape(input.shape, kernel_size, stride, padding, ceil_mode,
                            count_include_pad)
    k = single(kernel_size, "kernel_size")
    s = single(default_stride(stride, k), "stride")
    out = avg_pool2d(_plane(input), (1, k), (1, s), (0, single(padding, "padding")), ceil_mode,
                     count_include_pad)
    return out[..., 0, :]                                       # (N, C, L_out)
