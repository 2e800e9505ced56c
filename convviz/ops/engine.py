"""2-D convolution and transposed convolution on NumPy arrays, with PyTorch's semantics.

The ops mirror ``torch.nn.functional.conv2d`` and ``conv_transpose2d``: the same names,
positional order, defaults, accepted values and refusals, on NCHW arrays. The 1-D ops are in
:mod:`convviz.ops.engine1d`, pooling in :mod:`convviz.ops.pooling`. Every refusal is a
one-line :class:`~convviz.errors.ConvVizError`. The checks live in :mod:`convviz.ops.shapes`,
which :class:`~convviz.ops.spec.ConvSpec` calls too, so a configuration and an array call are
accepted or refused by the same code.

>>> conv2d(np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2))).shape
(1, 1, 2, 2)
>>> conv_transpose2d(np.ones((1, 1, 3, 3)), np.ones((1, 1, 3, 3)), stride=2, padding=1).shape
(1, 1, 5, 5)
>>> pad(np.ones((1, 1, 2, 2)), (0, 1, 1, 0)).shape    # (left, right, top, bottom)
(1, 1, 3, 3)
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import ConvVizError
from .args import Pair, pair
from .shapes import (
    NUMPY_PAD_MODE,
    conv2d_output_shape,
    conv_transpose2d_output_shape,
    pad_output_shape,
    resolve_padding,
)


def _batched(input: np.ndarray) -> np.ndarray:
    """A 3-D ``(C, H, W)`` input as ``(1, C, H, W)``; a 4-D one unchanged."""
    return input[None] if input.ndim == 3 else input


def _checked_bias(bias: np.ndarray | None, c_out: int) -> np.ndarray | None:
    """``bias`` as a ``(C_out,)`` array (or None), refused before any work if misshapen."""
    if bias is not None and np.shape(bias) != (c_out,):
        raise ConvVizError(f"bias must have shape ({c_out},), got {np.shape(bias)}")
    return None if bias is None else np.asarray(bias)


def _add_bias(out: np.ndarray, bias: np.ndarray | None) -> np.ndarray:
    """``out`` ``(N, C_out, H_out, W_out)``, a fresh array, plus ``bias`` ``(C_out,)``."""
    if bias is None:
        return out
    if np.result_type(out, bias) != out.dtype:
        return out + bias.reshape(-1, 1, 1)
    out += bias.reshape(-1, 1, 1)
    return out


def _pad(x: np.ndarray, pads: tuple[int, int, int, int], padding_mode: str) -> np.ndarray:
    """``x`` ``(N, C, H, W)`` padded to ``(N, C, H + top + bottom, W + left + right)``."""
    top, bottom, left, right = pads
    if padding_mode != "zeros":
        return np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)),
                      mode=NUMPY_PAD_MODE[padding_mode])
    if not any(pads):
        return x
    n, c, h, w = x.shape
    out = np.zeros((n, c, h + top + bottom, w + left + right), dtype=x.dtype)
    out[:, :, top:top + h, left:left + w] = x
    return out


def _phase(xt: np.ndarray, pads: tuple[int, int, int, int], start: Pair,
           step: Pair) -> np.ndarray:
    """Cells ``start[0]::sH, start[1]::sW`` of ``xt`` ``(C, N, H, W)`` zero-padded by ``pads``,
    as one contiguous array, without building the padded input first."""
    (c, n, h, w), (top, bottom, left, right), (a, b), (sh, sw) = xt.shape, pads, start, step
    if not any(pads):
        return np.ascontiguousarray(xt[:, :, a::sh, b::sw])
    out = np.zeros((c, n, len(range(a, h + top + bottom, sh)),
                    len(range(b, w + left + right, sw))), dtype=xt.dtype)
    i0, j0 = max(0, -(-(top - a) // sh)), max(0, -(-(left - b) // sw))  # first input cells
    cells = xt[:, :, a + i0 * sh - top::sh, b + j0 * sw - left::sw]
    out[:, :, i0:i0 + cells.shape[2], j0:j0 + cells.shape[3]] = cells
    return out


def _conv(x: np.ndarray, pads: tuple[int, int, int, int], weight: np.ndarray, groups: int,
          rows: Sequence[int], cols: Sequence[int], size: Pair,
          step: Pair = (1, 1)) -> np.ndarray:
    """``x`` ``(N, C, H, W)``, zero-padded by ``pads`` ``(top, bottom, left, right)``,
    convolved with ``weight`` ``(C_out, C/G, T_h, T_w)``.

    Tap ``(u, v)`` reads padded cell ``(rows[u] + i*sH, cols[v] + j*sW)`` for output cell
    ``(i, j)`` of ``size`` ``(H_out, W_out)``. im2col: the cells each tap reads are copied tap
    by tap into one ``(C*T_h*T_w, N*H_out*W_out)`` matrix, then one matmul per group gives
    ``(N, C_out, H_out, W_out)``.
    """
    (n, c), (h_out, w_out), (sh, sw) = x.shape[:2], size, step
    patches = np.empty((c, len(rows), len(cols), n, h_out, w_out), dtype=x.dtype)
    xt = x.transpose(1, 0, 2, 3)                                    # (C, N, H, W)
    phases = {}           # padded x[..., a::sH, b::sW], built once: strided copies are slow
    for u, r in enumerate(rows):
        for v, q in enumerate(cols):
            a, b = r % sh, q % sw
            if (a, b) not in phases:
                phases[a, b] = _phase(xt, pads, (a, b), (sh, sw))
            patches[:, u, v] = phases[a, b][:, :, r // sh:r // sh + h_out, q // sw:q // sw + w_out]
    c_out, k = weight.shape[0], weight[0].size
    patches = patches.reshape(groups, k, n * h_out * w_out)         # (G, C/G*T, N*H_out*W_out)
    out = weight.reshape(groups, c_out // groups, k) @ patches      # (G, C_out/G, N*H_out*W_out)
    return out.reshape(c_out, n, h_out, w_out).transpose(1, 0, 2, 3)


def conv2d(input: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None,
           stride: int | Pair = 1, padding: int | Pair | str = 0, dilation: int | Pair = 1,
           groups: int = 1, *, padding_mode: str = "zeros") -> np.ndarray:
    """2-D convolution (cross-correlation, as in PyTorch): im2col and one matmul per group.

    Parameters
    ----------
    input : ndarray, shape (N, C, H, W) or (C, H, W)
    weight : ndarray, shape (C_out, C/groups, kH, kW)
    bias : ndarray, shape (C_out,), optional
    stride, dilation : int or (sH, sW), (dH, dW)
    padding : int, (pH, pW), 'same' or 'valid'
    groups : int, divides C and C_out
    padding_mode : {'zeros', 'reflect', 'replicate', 'circular'}, keyword only
        What the padding holds, as ``nn.Conv2d``'s ``padding_mode``.

    Returns
    -------
    ndarray, shape (N, C_out, H_out, W_out) (no N for a 3-D input), dtype of input*weight
        ``H_out = floor((H + 2*pH - dH*(kH-1) - 1) / sH) + 1``, likewise W.

    >>> conv2d(np.arange(9.0).reshape(1, 1, 3, 3), np.ones((1, 1, 2, 2)))[0, 0]
    array([[ 8., 12.],
           [20., 24.]])
    """
    input, weight = np.asarray(input), np.asarray(weight)
    n, c_out, h_out, w_out = conv2d_output_shape(input.shape, weight.shape, stride, padding,
                                                 dilation, groups, padding_mode=padding_mode)
    bias = _checked_bias(bias, c_out)
    (sh, sw), (dh, dw) = pair(stride, "stride"), pair(dilation, "dilation")
    kh, kw = weight.shape[2:]
    pads = resolve_padding(padding, (kh, kw), (dh, dw), (sh, sw))
    x = _batched(input)                                             # (N, C, H, W)
    if padding_mode != "zeros":             # other modes pad first; zeros pad while gathering
        x, pads = _pad(x, pads, padding_mode), (0, 0, 0, 0)
    out = _conv(x, pads, weight, groups, range(0, dh * kh, dh), range(0, dw * kw, dw),
                (h_out, w_out), (sh, sw))                           # (N, C_out, H_out, W_out)
    out = _add_bias(np.ascontiguousarray(out), bias)
    return out if input.ndim == 4 else out[0]


def _phases(n_in: int, n_out: int, k: int, s: int, p: int, d: int) -> tuple[list, Pair]:
    """One axis of a transposed convolution, split into output phases (cells a, a + s, ...).

    Output cell ``a + q*s`` takes tap ``t`` from input cell ``(a + p - t*d) / s + q`` when the
    division is exact, so each phase is a unit-stride convolution over the taps that divide.
    Returns ``(a, taps, starts, count)`` per phase (``starts``: each tap's input cell for
    ``q = 0``; ``count``: output cells) and the zeros ``(before, after)`` the input needs.
    """
    phases = []
    for a in range(min(s, n_out)):
        taps = [t for t in range(k) if (a + p - t * d) % s == 0]
        phases.append((a, taps, [(a + p - t * d) // s for t in taps], len(range(a, n_out, s))))
    spans = [(r, r + count) for _, _, starts, count in phases for r in starts] or [(0, 0)]
    return phases, (max(0, -min(r for r, _ in spans)), max(0, max(e for _, e in spans) - n_in))


def conv_transpose2d(input: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None,
                     stride: int | Pair = 1, padding: int | Pair = 0,
                     output_padding: int | Pair = 0, groups: int = 1,
                     dilation: int | Pair = 1) -> np.ndarray:
    """2-D transposed convolution (the gradient of :func:`conv2d` with respect to its input).

    Each input cell ``(i, j)`` adds ``x[i, j] * w`` into the full output at ``(i*sH, j*sW)``,
    taps spaced by the dilation; ``padding`` is cropped from every side and ``output_padding``
    rows/columns are added at the bottom/right. It is computed by gathering rather than
    scattering: each output phase ``(a, b)``, the cells ``(a + q*sH, b + r*sW)``, is a
    unit-stride convolution over the taps that reach it (see ``_phases``), so nothing is
    scattered and no inserted zeros are multiplied.

    Parameters
    ----------
    input : ndarray, shape (N, C, H, W) or (C, H, W)
    weight : ndarray, shape (C, C_out/groups, kH, kW)
    bias : ndarray, shape (C_out,), optional
    stride, padding, output_padding, dilation : int or pair (H, W)
    groups : int, divides C and C_out

    Returns
    -------
    ndarray, shape (N, C_out, H_out, W_out) (no N for a 3-D input), dtype of input*weight
        ``H_out = (H - 1)*sH - 2*pH + dH*(kH-1) + output_padding_H + 1``, likewise W.

    >>> conv_transpose2d(np.ones((1, 1, 2, 2)), np.ones((1, 1, 2, 2)))[0, 0]
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    input, weight = np.asarray(input), np.asarray(weight)
    n, c_out, h_out, w_out = conv_transpose2d_output_shape(
        input.shape, weight.shape, stride, padding, output_padding, groups, dilation)
    bias = _checked_bias(bias, c_out)
    (c, h, w), (kh, kw) = input.shape[-3:], weight.shape[2:]
    (sh, sw), (dh, dw) = pair(stride, "stride"), pair(dilation, "dilation")
    ph, pw = pair(padding, "padding")
    rows, pad_h = _phases(h, h_out, kh, sh, ph, dh)
    cols, pad_w = _phases(w, w_out, kw, sw, pw, dw)
    x = _pad(_batched(input), pad_h + pad_w, "zeros")               # (N, C, H_pad, W_pad)
    wg = weight.reshape(groups, c // groups, c_out // groups, kh, kw).transpose(0, 2, 1, 3, 4)
    one = len(rows) * len(cols) == 1                # stride 1: the one phase is the output
    out = None if one else np.empty((n, c_out, h_out, w_out), dtype=np.result_type(x, weight))
    for a, taps_h, starts_h, count_h in rows:
        for b, taps_w, starts_w, count_w in cols:
            w_ab = wg[:, :, :, taps_h][..., taps_w]                 # (G, C_out/G, C/G, T_h, T_w)
            w_ab = w_ab.reshape(c_out, c // groups, len(taps_h), len(taps_w))
            part = _conv(x, (0, 0, 0, 0), w_ab, groups, [r + pad_h[0] for r in starts_h],
                         [q + pad_w[0] for q in starts_w], (count_h, count_w))
            if one:
                out = np.ascontiguousarray(part)
            else:
                out[:, :, a::sh, b::sw] = part
    out = _add_bias(out, bias)
    return out if input.ndim == 4 else out[0]


def _sources(size: int, before: int, after: int, mode: str) -> np.ndarray:
    """The input index each cell of one padded axis reads (``mode`` not "constant"):
    ``size + before + after`` indices, a negative ``before``/``after`` cropping."""
    i = np.arange(-before, size + after)
    if mode == "replicate":
        return np.clip(i, 0, size - 1)
    if mode == "circular":                 # PyTorch crops first, then wraps what is left
        start, kept = max(-before, 0), size - max(-before, 0) - max(-after, 0)
        return start + np.arange(-max(before, 0), kept + max(after, 0)) % max(kept, 1)
    i = np.abs(i)                                       # reflect: the edge is not repeated
    return (size - 1) - np.abs((size - 1) - i)


def pad(input: np.ndarray, pad: Sequence[int], mode: str = "constant",
        value: float | None = None) -> np.ndarray:
    """Pad (or, with negative entries, crop) the last axes, as ``torch.nn.functional.pad``.

    Parameters
    ----------
    input : ndarray, any shape, e.g. (N, C, H, W)
    pad : sequence of ints
        ``(before, after)`` pairs, the last axis first: ``(left, right)`` pads W,
        ``(left, right, top, bottom)`` pads W and H. A negative entry crops that side.
    mode : {'constant', 'reflect', 'replicate', 'circular'}
        What the new cells hold; the last three pad the last 1-3 axes of an input with one
        or two more axes (PyTorch's rule).
    value : float, optional
        The constant (0 when None), cast to the input's dtype.

    Returns
    -------
    ndarray, the input's dtype; with a 4-D input and ``(left, right, top, bottom)``, shape
        (N, C, H + top + bottom, W + left + right).

    >>> pad(np.arange(3), (2, 1), value=9)
    array([9, 9, 0, 1, 2, 9])
    >>> pad(np.arange(3.0)[None], (2, 1), mode="reflect")
    array([[2., 1., 0., 1., 2., 1.]])
    """
    input = np.asarray(input)
    shape = pad_output_shape(input.shape, pad, mode)
    if mode != "constant" and value is not None:
        raise ConvVizError(f"value must be None for mode={mode!r} (it pads with the input's "
                           f"own cells), got {value!r}")
    sides = [tuple(pad[i:i + 2]) for i in range(0, len(pad), 2)]  # last axis first
    if mode != "constant":
        out = input
        for axis, (before, after) in enumerate(sides, start=1):
            out = np.take(out, _sources(input.shape[-axis], before, after, mode), axis=-axis)
        return out
    out = np.zeros(shape, dtype=input.dtype)
    if value:
        out[...] = value                                # cast as PyTorch does: -2.7 -> -2
    src, dst = [slice(None)] * input.ndim, [slice(None)] * input.ndim
    for axis, (before, after) in enumerate(sides, start=1):
        kept = max(input.shape[-axis] - max(-before, 0) - max(-after, 0), 0)
        src[-axis] = slice(max(-before, 0), max(-before, 0) + kept)     # what stays
        dst[-axis] = slice(max(before, 0), max(before, 0) + kept)       # where it goes
    out[tuple(dst)] = input[tuple(src)]
    return out
