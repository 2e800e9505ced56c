"""Convolution and transposed convolution as plain loops: the definitions, to read and to test.

These are the slow, obvious versions of :func:`convviz.ops.engine.conv2d`,
:func:`~convviz.ops.engine.conv_transpose2d` and their 1-D twins, with the same signatures,
the same checks (they call :mod:`convviz.ops.shapes`) and the same numbers. A direct
convolution visits every output cell and sums its window times the kernel; a transposed one
visits every input cell and adds the kernel, scaled by that cell, into the output. The tests
use them as an oracle for the vectorised engine. Pooling's loops are in
:mod:`convviz.ops.pool_reference`.

>>> conv2d(np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)), stride=2, padding=1)[0, 0]
array([[4., 6., 4.],
       [6., 9., 6.],
       [4., 6., 4.]])
"""
from __future__ import annotations

import numpy as np

from ..errors import ConvVizError
from .args import Pair, pair, single
from .shapes import (
    conv1d_output_shape,
    conv2d_output_shape,
    conv_transpose1d_output_shape,
    conv_transpose2d_output_shape,
    resolve_padding,
)


def _source(i: int, n: int, padding_mode: str) -> int | None:
    """The input index a padded position ``i`` (``< 0`` or ``>= n`` in the padding) reads.

    ``None`` means the position holds a zero. The checks guarantee that a reflection or a
    wrap never has to go round more than once.

    >>> [_source(i, 3, "reflect") for i in range(-2, 5)]
    [2, 1, 0, 1, 2, 1, 0]
    """
    if 0 <= i < n:
        return i
    if padding_mode == "zeros":
        return None
    if padding_mode == "replicate":
        return min(max(i, 0), n - 1)
    if padding_mode == "circular":
        return i % n
    return -i if i < 0 else 2 * (n - 1) - i          # reflect: mirror, edge cell not repeated


def pad(x: np.ndarray, pads: tuple[int, int, int, int], padding_mode: str) -> np.ndarray:
    """``x`` (N, C, H, W) padded by ``(top, bottom, left, right)`` cells, one cell at a time."""
    n, c, h, w = x.shape
    top, bottom, left, right = pads
    out = np.zeros((n, c, h + top + bottom, w + left + right), dtype=x.dtype)
    for r, q in np.ndindex(out.shape[2:]):
        i, j = _source(r - top, h, padding_mode), _source(q - left, w, padding_mode)
        if i is not None and j is not None:
            out[:, :, r, q] = x[:, :, i, j]
    return out


def _with_bias(out: np.ndarray, bias: np.ndarray | None) -> np.ndarray:
    """``out`` (N, C_out, H_out, W_out) or (N, C_out, L_out) plus ``bias`` (C_out,) on each
    channel."""
    if bias is None:
        return out
    bias = np.asarray(bias)
    if bias.shape != (out.shape[1],):
        raise ConvVizError(f"bias must have shape ({out.shape[1]},), got {bias.shape}")
    return out + bias.reshape(-1, *(1,) * (out.ndim - 2))


def conv2d(input: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None,
           stride: int | Pair = 1, padding: int | Pair | str = 0, dilation: int | Pair = 1,
           groups: int = 1, *, padding_mode: str = "zeros") -> np.ndarray:
    """2-D convolution (cross-correlation, as in PyTorch), one output cell at a time.

    ``out[b, o, i, j] = bias[o] + sum(window * weight[o])``, where the window is the
    ``(C/groups, kH, kW)`` block of the padded input that output channel ``o``'s group
    reads, starting at row ``i*sH`` and column ``j*sW``, taps ``dH`` and ``dW`` apart.

    Parameters
    ----------
    input : ndarray, shape (N, C, H, W) or (C, H, W)
    weight : ndarray, shape (C_out, C/groups, kH, kW)
    bias : ndarray, shape (C_out,), optional
    stride, dilation : int or (sH, sW), (dH, dW)
    padding : int, (pH, pW), 'same' or 'valid'
    groups : int, divides C and C_out
    padding_mode : {'zeros', 'reflect', 'replicate', 'circular'}, keyword only

    Returns
    -------
    ndarray, shape (N, C_out, H_out, W_out) (no N for a 3-D input)
        ``H_out = floor((H + pad_top + pad_bottom - dH*(kH-1) - 1) / sH) + 1``, likewise W.

    >>> conv2d(np.arange(9.0).reshape(1, 3, 3), np.ones((1, 1, 2, 2)), padding="same")[0]
    array([[ 8., 12.,  7.],
           [20., 24., 13.],
           [13., 15.,  8.]])
    """
    input, weight = np.asarray(input), np.asarray(weight)
    n, c_out, h_out, w_out = conv2d_output_shape(input.shape, weight.shape, stride, padding,
                                                 dilation, groups, padding_mode=padding_mode)
    x = input if input.ndim == 4 else input[None]
    (sh, sw), (dh, dw) = pair(stride, "stride"), pair(dilation, "dilation")
    c_g, kh, kw = weight.shape[1:]                      # input channels per group, kernel
    pads = resolve_padding(padding, (kh, kw), (dh, dw), (sh, sw))   # 'same': odd cell last
    xp = pad(x, pads, padding_mode)                     # (N, C, H_pad, W_pad)
    out = np.zeros((n, c_out, h_out, w_out), dtype=np.result_type(x, weight))
    for b, o, i, j in np.ndindex(out.shape):
        g = o // (c_out // groups)                      # the group of output channel o
        window = xp[b, g * c_g:(g + 1) * c_g,
                    i * sh:i * sh + dh * (kh - 1) + 1:dh,
                    j * sw:j * sw + dw * (kw - 1) + 1:dw]   # (C/groups, kH, kW)
        out[b, o, i, j] = np.sum(window * weight[o])
    out = _with_bias(out, bias)
    return out if input.ndim == 4 else out[0]


def conv_transpose2d(input: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None,
                     stride: int | Pair = 1, padding: int | Pair = 0,
                     output_padding: int | Pair = 0, groups: int = 1,
                     dilation: int | Pair = 1) -> np.ndarray:
    """2-D transposed convolution, one input cell at a time.

    Input cell ``(b, c, i, j)`` adds ``input[b, c, i, j] * weight[c]`` (a
    ``(C_out/groups, kH, kW)`` block) into its group's output channels, with the kernel's
    top-left tap at ``(i*sH, j*sW)`` and taps ``dH`` and ``dW`` apart. Then ``padding``
    cells are cropped from each side; ``output_padding`` keeps extra rows and columns at
    the bottom and right.

    Parameters
    ----------
    input : ndarray, shape (N, C, H, W) or (C, H, W)
    weight : ndarray, shape (C, C_out/groups, kH, kW)
    bias : ndarray, shape (C_out,), optional
    stride, padding, output_padding, dilation : int or pair (H, W)
    groups : int, divides C and C_out

    Returns
    -------
    ndarray, shape (N, C_out, H_out, W_out) (no N for a 3-D input)
        ``H_out = (H - 1)*sH - 2*pH + dH*(kH-1) + output_padding_H + 1``, likewise W.

    >>> conv_transpose2d(np.ones((1, 1, 2, 2)), np.ones((1, 1, 2, 2)), stride=2)[0, 0]
    array([[1., 1., 1., 1.],
           [1., 1., 1., 1.],
           [1., 1., 1., 1.],
           [1., 1., 1., 1.]])
    """
    input, weight = np.asarray(input), np.asarray(weight)
    n, c_out, h_out, w_out = conv_transpose2d_output_shape(
        input.shape, weight.shape, stride, padding, output_padding, groups, dilation)
    x = input if input.ndim == 4 else input[None]
    (sh, sw), (dh, dw) = pair(stride, "stride"), pair(dilation, "dilation")
    (ph, pw), (ah, aw) = pair(padding, "padding"), pair(output_padding, "output_padding")
    c, h, w = x.shape[1:]
    c_g, (kh, kw) = c // groups, weight.shape[2:]       # input channels per group, kernel
    full = np.zeros((n, c_out, (h - 1) * sh + dh * (kh - 1) + 1 + ah,
                     (w - 1) * sw + dw * (kw - 1) + 1 + aw),
                    dtype=np.result_type(x, weight))    # (N, C_out, H_full, W_full)
    o_g = c_out // groups                               # output channels per group
    for b, ci, i, j in np.ndindex(x.shape):
        g = ci // c_g                                   # the group of input channel ci
        full[b, g * o_g:(g + 1) * o_g,
             i * sh:i * sh + dh * (kh - 1) + 1:dh,
             j * sw:j * sw + dw * (kw - 1) + 1:dw] += x[b, ci, i, j] * weight[ci]
    out = _with_bias(full[:, :, ph:ph + h_out, pw:pw + w_out], bias)
    return out if input.ndim == 4 else out[0]


def conv1d(input: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None,
           stride: int = 1, padding: int | str = 0, dilation: int = 1, groups: int = 1, *,
           padding_mode: str = "zeros") -> np.ndarray:
    """1-D convolution, one output cell at a time.

    ``out[b, o, i] = bias[o] + sum(window * weight[o])``, where the window is the
    ``(C/groups, k)`` block of the padded input that output channel ``o``'s group reads,
    starting at cell ``i*s``, taps ``d`` apart.

    Parameters
    ----------
    input : ndarray, shape (N, C, L) or (C, L)
    weight : ndarray, shape (C_out, C/groups, k)
    bias : ndarray, shape (C_out,), optional
    stride, dilation : int
    padding : int, 'same' or 'valid'
    groups : int
    padding_mode : {'zeros', 'reflect', 'replicate', 'circular'}, keyword only

    Returns
    -------
    ndarray, shape (N, C_out, L_out) (no N for a 2-D input)
        ``L_out = floor((L + pad_left + pad_right - d*(k-1) - 1) / s) + 1``.
    """
    input, weight = np.asarray(input), np.asarray(weight)
    n, c_out, l_out = conv1d_output_shape(input.shape, weight.shape, stride, padding, dilation,
                                          groups, padding_mode=padding_mode)
    x = input if input.ndim == 3 else input[None]
    s, d = single(stride, "stride"), single(dilation, "dilation")
    c_g, k = weight.shape[1:]                           # input channels per group, kernel
    left, right = resolve_padding(padding, (k,), (d,), (s,))
    xp = pad(x[:, :, None, :], (0, 0, left, right), padding_mode)[:, :, 0]   # (N, C, L_pad)
    out = np.zeros((n, c_out, l_out), dtype=np.result_type(x, weight))
    for b, o, i in np.ndindex(out.shape):
        g = o // (c_out // groups)                      # the group of output channel o
        window = xp[b, g * c_g:(g + 1) * c_g, i * s:i * s + d * (k - 1) + 1:d]   # (C/G, k)
        out[b, o, i] = np.sum(window * weight[o])
    out = _with_bias(out, bias)
    return out if input.ndim == 3 else out[0]


def conv_transpose1d(input: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None,
                     stride: int = 1, padding: int = 0, output_padding: int = 0,
                     groups: int = 1, dilation: int = 1) -> np.ndarray:
    """1-D transposed convolution, one input cell at a time.

    Input cell ``(b, c, i)`` adds ``input[b, c, i] * weight[c]`` (a ``(C_out/groups, k)``
    block) into its group's output channels from cell ``i*s`` on, taps ``d`` apart; then
    ``padding`` cells are cropped from each end, ``output_padding`` kept at the right.

    Parameters
    ----------
    input : ndarray, shape (N, C, L) or (C, L)
    weight : ndarray, shape (C, C_out/groups, k)
    bias : ndarray, shape (C_out,), optional
    stride, padding, output_padding, dilation, groups : int

    Returns
    -------
    ndarray, shape (N, C_out, L_out) (no N for a 2-D input)
        ``L_out = (L - 1)*s - 2*p + d*(k-1) + output_padding + 1``.
    """
    input, weight = np.asarray(input), np.asarray(weight)
    n, c_out, l_out = conv_transpose1d_output_shape(input.shape, weight.shape, stride, padding,
                                                    output_padding, groups, dilation)
    x = input if input.ndim == 3 else input[None]
    s, d, p = single(stride, "stride"), single(dilation, "dilation"), single(padding, "padding")
    c, length = x.shape[1:]
    c_g, k, o_g = c // groups, weight.shape[2], c_out // groups
    full = np.zeros((n, c_out, (length - 1) * s + d * (k - 1) + 1 +
                     single(output_padding, "output_padding")), dtype=np.result_type(x, weight))
    for b, ci, i in np.ndindex(x.shape):
        g = ci // c_g                                   # the group of input channel ci
        full[b, g * o_g:(g + 1) * o_g, i * s:i * s + d * (k - 1) + 1:d] += x[b, ci, i] * weight[ci]
    out = _with_bias(full[:, :, p:p + l_out], bias)
    return out if input.ndim == 3 else out[0]
