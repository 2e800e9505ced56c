"""1-D convolution and transposed convolution on NumPy arrays, with PyTorch's semantics.

``conv1d`` and ``conv_transpose1d`` mirror ``torch.nn.functional``'s (names, positional order,
defaults, refusals) on ``(N, C, L)`` arrays; ``conv1d`` also takes ``nn.Conv1d``'s
``padding_mode``. Each is its 2-D twin (:mod:`convviz.ops.engine`) on a ``(1, L)`` plane, as
PyTorch computes it too; the checks, with 1-D messages, are :mod:`convviz.ops.shapes`'.

>>> conv1d(np.ones((1, 1, 8)), np.ones((1, 1, 3))).shape
(1, 1, 6)
"""
from __future__ import annotations

import numpy as np

from .args import single
from .engine import conv2d, conv_transpose2d
from .shapes import conv1d_output_shape, conv_transpose1d_output_shape


def conv1d(input: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None,
           stride: int = 1, padding: int | str = 0, dilation: int = 1, groups: int = 1, *,
           padding_mode: str = "zeros") -> np.ndarray:
    """1-D convolution (cross-correlation): :func:`conv2d` on a ``(1, L)`` plane.

    Parameters
    ----------
    input : ndarray, shape (N, C, L) or (C, L)
    weight : ndarray, shape (C_out, C/groups, k)
    bias : ndarray, shape (C_out,), optional
    stride, dilation : int (or a one-element sequence)
    padding : int, 'same' or 'valid'
    groups : int, divides C and C_out
    padding_mode : {'zeros', 'reflect', 'replicate', 'circular'}, keyword only, as
        ``nn.Conv1d``'s

    Returns
    -------
    ndarray, shape (N, C_out, L_out) (no N for a 2-D input)
        ``L_out = floor((L + 2*p - d*(k-1) - 1) / s) + 1``.

    >>> conv1d(np.arange(5.0).reshape(1, 1, 5), np.ones((1, 1, 2)))[0, 0]
    array([1., 3., 5., 7.])
    """
    input, weight = np.asarray(input), np.asarray(weight)
    conv1d_output_shape(input.shape, weight.shape, stride, padding, dilation, groups,
                        padding_mode=padding_mode)
    pads = padding if isinstance(padding, str) else (0, single(padding, "padding"))
    out = conv2d(input[..., None, :], weight[..., None, :], bias, (1, single(stride, "stride")),
                 pads, (1, single(dilation, "dilation")), groups, padding_mode=padding_mode)
    return out[..., 0, :]                                           # (N, C_out, L_out)


def conv_transpose1d(input: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None,
                     stride: int = 1, padding: int = 0, output_padding: int = 0,
                     groups: int = 1, dilation: int = 1) -> np.ndarray:
    """1-D transposed convolution: :func:`conv_transpose2d` on a ``(1, L)`` plane.

    Parameters
    ----------
    input : ndarray, shape (N, C, L) or (C, L)
    weight : ndarray, shape (C, C_out/groups, k)
    bias : ndarray, shape (C_out,), optional
    stride, padding, output_padding, dilation : int (or a one-element sequence)
    groups : int, divides C and C_out

    Returns
    -------
    ndarray, shape (N, C_out, L_out) (no N for a 2-D input)
        ``L_out = (L - 1)*s - 2*p + d*(k-1) + output_padding + 1``.

    >>> conv_transpose1d(np.ones((1, 1, 3)), np.ones((1, 1, 2)), stride=2)[0, 0]
    array([1., 1., 1., 1., 1., 1.])
    """
    input, weight = np.asarray(input), np.asarray(weight)
    conv_transpose1d_output_shape(input.shape, weight.shape, stride, padding, output_padding,
                                  groups, dilation)
    out = conv_transpose2d(input[..., None, :], weight[..., None, :], bias,
                           (1, single(stride, "stride")), (0, single(padding, "padding")),
                           (0, single(output_padding, "output_padding")), groups,
                           (1, single(dilation, "dilation")))
    return out[..., 0, :]                                           # (N, C_out, L_out)
