"""What each operation accepts and the shape it gives: the checks and output-size formulas.

The engine (:mod:`convviz.ops.engine`), the loop reference (:mod:`convviz.ops.reference`) and
:class:`~convviz.ops.spec.ConvSpec` all call these, so an array call and a configuration are
accepted or refused by the same code, with PyTorch's rules. Each function states its op's
output-size formula once.

>>> conv2d_output_shape((1, 1, 5, 5), (1, 1, 3, 3), stride=2, padding=1)
(1, 1, 3, 3)
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import ConvVizError
from ..text import show
from .args import Pair, at_least, pair

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")
PAD_MODES = ("constant", "reflect", "replicate", "circular")
"""The modes of :func:`~convviz.ops.engine.pad` (``torch.nn.functional.pad``'s)."""
NUMPY_PAD_MODE = {"zeros": "constant", "reflect": "reflect", "replicate": "edge",
                   "circular": "wrap"}


def resolve_padding(padding: int | Sequence[int] | str, kernel_size: Pair,
                    dilation: Pair, stride: Pair = (1, 1)) -> tuple[int, int, int, int]:
    """Padding per side ``(top, bottom, left, right)`` as PyTorch applies it.

    ``'valid'`` is no padding; ``'same'`` pads ``d*(k-1)`` in all, the odd cell on the
    bottom/right, and is refused for strided convolutions as in PyTorch.

    >>> resolve_padding("same", (4, 3), (1, 1))
    (1, 2, 1, 1)
    """
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0, 0, 0)
        if padding != "same":
            raise ConvVizError(f"padding must be an int, a pair, 'same' or 'valid', "
                               f"got {padding!r}")
        if stride != (1, 1):
            raise ConvVizError(f"padding='same' needs stride 1, got stride {show(stride)}")
        total = [d * (k - 1) for k, d in zip(kernel_size, dilation)]
        return (total[0] // 2, total[0] - total[0] // 2, total[1] // 2, total[1] - total[1] // 2)
    pH, pW = at_least(pair(padding, "padding"), 0, "padding")
    return (pH, pH, pW, pW)


def check_padding_mode(padding_mode: str, pads: tuple[int, ...], size: Pair) -> None:
    """Refuse a padding mode PyTorch refuses for these pads on an ``(H, W)`` input."""
    if padding_mode not in PADDING_MODES:
        raise ConvVizError(f"padding_mode must be one of {', '.join(PADDING_MODES)}, "
                           f"got {padding_mode!r}")
    limit = {"reflect": 1, "circular": 0}.get(padding_mode)
    if limit is None:
        return
    for pad, n in zip(pads, (size[0], size[0], size[1], size[1])):
        if pad > n - limit:
            raise ConvVizError(f"padding {pad} with padding_mode={padding_mode!r} must be "
                               f"<= {n - limit} for an input of size {size[0]} x {size[1]}")


def _check_common(input_shape: Sequence[int], weight_shape: Sequence[int], groups: int,
                  stride: int | Pair, dilation: int | Pair) -> tuple[tuple[int, ...], Pair, Pair]:
    """What both ops check alike: the input's ``(N, C, H, W)`` (a 3-D shape gets N = 1),
    the weight's rank, groups, and ``stride``, ``dilation`` as pairs >= 1."""
    if len(input_shape) not in (3, 4) or min(input_shape[-3:]) < 1 or min(input_shape) < 0:
        raise ConvVizError(f"input must have shape (C, H, W) or (N, C, H, W) with C, H, W >= 1, "
                           f"got {tuple(input_shape)}")
    if len(weight_shape) != 4 or min(weight_shape) < 1:
        raise ConvVizError(f"weight must have shape (C_out, C_in/groups, kH, kW) with sizes "
                           f">= 1, got {tuple(weight_shape)}")
    if isinstance(groups, bool) or not isinstance(groups, (int, np.integer)) or groups < 1:
        raise ConvVizError(f"groups must be an int >= 1, got {groups!r}")
    shape = tuple(input_shape) if len(input_shape) == 4 else (1, *input_shape)
    return (shape, at_least(pair(stride, "stride"), 1, "stride"),
            at_least(pair(dilation, "dilation"), 1, "dilation"))


def conv2d_output_shape(input_shape: Sequence[int], weight_shape: Sequence[int],
                        stride: int | Pair = 1, padding: int | Pair | str = 0,
                        dilation: int | Pair = 1, groups: int = 1, *,
                        padding_mode: str = "zeros") -> tuple[int, int, int, int]:
    """Shape ``(N, C_out, H_out, W_out)`` of :func:`conv2d`, or the ConvVizError it raises.

    ``H_out = floor((H + pad_top + pad_bottom - dH*(kH-1) - 1) / sH) + 1``, likewise W.

    >>> conv2d_output_shape((1, 1, 5, 5), (1, 1, 3, 3), stride=2, padding=1)
    (1, 1, 3, 3)
    """
    (n, c, h, w), stride, dilation = _check_common(input_shape, weight_shape, groups, stride,
                                                   dilation)
    c_out, c_in_g, kh, kw = weight_shape
    pads = resolve_padding(padding, (kh, kw), dilation, stride)
    check_padding_mode(padding_mode, pads, (h, w))
    if c_in_g * groups != c:
        raise ConvVizError(f"input has {c} channels, but weight {tuple(weight_shape)} with "
                           f"groups={groups} needs C_in = {c_in_g * groups}")
    if c_out % groups:
        raise ConvVizError(f"out_channels must be divisible by groups={groups}, got {c_out}")
    padded = (h + pads[0] + pads[1], w + pads[2] + pads[3])
    span = tuple(d * (k - 1) + 1 for k, d in zip((kh, kw), dilation))
    if span[0] > padded[0] or span[1] > padded[1]:
        most = tuple((p - 1) // d + 1 for p, d in zip(padded, dilation))
        raise ConvVizError(f"kernel_size must be <= {show(most)} for a padded input of "
                           f"{padded[0]} x {padded[1]} with dilation {show(dilation)}, got "
                           f"{show((kh, kw))} (spans {span[0]} x {span[1]}); or pad more")
    out = tuple((p - e) // s + 1 for p, e, s in zip(padded, span, stride))
    return (n, c_out, *out)


def conv_transpose2d_output_shape(input_shape: Sequence[int], weight_shape: Sequence[int],
                                  stride: int | Pair = 1, padding: int | Pair = 0,
                                  output_padding: int | Pair = 0, groups: int = 1,
                                  dilation: int | Pair = 1) -> tuple[int, int, int, int]:
    """Shape ``(N, C_out, H_out, W_out)`` of :func:`conv_transpose2d`, or its ConvVizError.

    ``H_out = (H - 1)*sH - 2*pH + dH*(kH-1) + output_padding_H + 1``, likewise W.

    >>> conv_transpose2d_output_shape((1, 1, 3, 3), (1, 1, 3, 3), stride=2, padding=1)
    (1, 1, 5, 5)
    """
    (n, c, h, w), stride, dilation = _check_common(input_shape, weight_shape, groups, stride,
                                                   dilation)
    c_in, c_out_g, kh, kw = weight_shape
    if isinstance(padding, str):
        raise ConvVizError(f"padding of a transposed convolution must be an int or a pair, "
                           f"got {padding!r}")
    padding = at_least(pair(padding, "padding"), 0, "padding")
    output_padding = at_least(pair(output_padding, "output_padding"), 0, "output_padding")
    if c_in != c:
        raise ConvVizError(f"input has {c} channels, but weight {tuple(weight_shape)} of a "
                           f"transposed convolution needs C_in = {c_in}")
    if c_in % groups:
        raise ConvVizError(f"in_channels must be divisible by groups={groups}, got {c_in}")
    for a, s, d in zip(output_padding, stride, dilation):
        if a >= max(s, d):
            raise ConvVizError(f"output_padding must be < max(stride, dilation) = {max(s, d)}, "
                               f"got {show(output_padding)}")
    out = tuple((i - 1) * s - 2 * p + d * (k - 1) + a + 1 for i, s, p, d, k, a in
                zip((h, w), stride, padding, dilation, (kh, kw), output_padding))
    if min(out) < 1:
        most = tuple(((i - 1) * s + d * (k - 1) + a) // 2 for i, s, d, k, a in
                     zip((h, w), stride, dilation, (kh, kw), output_padding))
        raise ConvVizError(f"padding must be <= {show(most)} here (it crops the output), got "
                           f"{show(padding)}, which leaves {out[0]} x {out[1]}")
    return (n, c_out_g * groups, *out)


def pad_output_shape(input_shape: Sequence[int], pad: Sequence[int],
                     mode: str = "constant") -> tuple[int, ...]:
    """Shape of :func:`~convviz.ops.engine.pad`, or the ConvVizError it raises (PyTorch's
    rules for ``torch.nn.functional.pad``).

    ``pad`` holds ``(before, after)`` pairs for the last axis first: ``(left, right, top,
    bottom, ...)``. A negative entry crops. ``"constant"`` pads any axes; the other modes
    pad the last 1, 2 or 3 axes of an input with one or two more axes than that, and a
    reflection (``< size``) or a wrap (``<=`` the size left after cropping) never goes round
    more than once.

    >>> pad_output_shape((1, 1, 3, 3), (0, 1, 2, 3))
    (1, 1, 8, 4)
    """
    if isinstance(pad, (str, bytes)) or not all(
            isinstance(p, (int, np.integer)) and not isinstance(p, bool) for p in pad):
        raise ConvVizError(f"pad must be a sequence of ints, got {pad!r}")
    pad, shape = tuple(int(p) for p in pad), tuple(input_shape)
    if len(pad) % 2 or len(pad) > 2 * len(shape):
        raise ConvVizError(f"pad must hold an even number of ints, at most 2 * {len(shape)} "
                           f"for a {len(shape)}-D input, got {len(pad)}")
    if mode not in PAD_MODES:
        raise ConvVizError(f"mode must be one of {', '.join(PAD_MODES)}, got {mode!r}")
    axes = len(pad) // 2
    if mode != "constant" and (not 1 <= axes <= 3 or len(shape) not in (axes + 1, axes + 2)):
        raise ConvVizError(f"mode={mode!r} pads the last 1, 2 or 3 axes of an input with 1 or "
                           f"2 more axes, got {len(pad)} pads for a {len(shape)}-D input")
    out = list(shape)
    for axis in range(axes):
        before, after = pad[2 * axis:2 * axis + 2]
        size = shape[-1 - axis]
        kept = size - max(-before, 0) - max(-after, 0)     # circular wraps what is kept
        if (kept if mode in ("constant", "circular") else size + before + after - 1) < 0:
            raise ConvVizError(f"pad {(before, after)} of axis {len(shape) - 1 - axis} crops "
                               f"more than its size {size}")
        limit = {"reflect": size - 1, "circular": kept}.get(mode)
        if limit is not None and max(before, after) > limit:
            raise ConvVizError(f"pad {(before, after)} of axis {len(shape) - 1 - axis} must be "
                               f"<= {limit} for mode={mode!r} on a size of {size}")
        out[-1 - axis] = size + before + after
    return tuple(out)


def unread(n: int, k: int, s: int, d: int, before: int, out: int) -> tuple[int, ...]:
    """Cells of an input axis of length ``n`` that a direct convolution never reads: kernel
    ``k``, stride ``s``, dilation ``d``, ``before`` cells of padding, ``out`` outputs.

    >>> unread(6, 3, 2, 1, 0, 2)
    (5,)
    """
    read = {o * s + t * d - before for o in range(out) for t in range(k)}
    return tuple(i for i in range(n) if i not in read)
