"""What each operation accepts and the shape it gives: the checks and output-size formulas.

The engine (:mod:`convviz.ops.engine`), the loop reference
(:mod:`convviz.ops.reference`) and :class:`~convviz.ops.spec.ConvSpec` all call these, so an
array call and a configuration are accepted or refused by the same code, with PyTorch's rules.
Each function states its op's output-size formula once. 1-D and 2-D ops share one check per
kind (as ``torch.nn.modules.conv._ConvNd`` does): ``dims`` is the number of spatial axes.
Pooling's checks are in :mod:`convviz.ops.pool_shapes`.

>>> conv2d_output_shape((1, 1, 5, 5), (1, 1, 3, 3), stride=2, padding=1)
(1, 1, 3, 3)
>>> conv1d_output_shape((1, 1, 8), (1, 1, 3))
(1, 1, 6)
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import ConvVizError
from ..text import show
from .args import Pair, at_least, pair, single

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")
PAD_MODES = ("constant", "reflect", "replicate", "circular")
"""The modes of :func:`~convviz.ops.engine.pad` (``torch.nn.functional.pad``'s)."""
NUMPY_PAD_MODE = {"zeros": "constant", "reflect": "reflect", "replicate": "edge",
                   "circular": "wrap"}
_AXES = {1: "L", 2: "H, W"}
_KERNEL = {1: "k", 2: "kH, kW"}


def ints(value: int | Sequence[int], name: str, dims: int) -> tuple[int, ...]:
    """``value`` as a ``dims``-tuple: PyTorch's ``_pair`` (2-D) or ``_single`` (1-D)."""
    return pair(value, name) if dims == 2 else (single(value, name),)


def sizes_text(size: Sequence[int]) -> str:
    """``'5 x 7'`` or, for one axis, ``'8'``: a size as messages write it."""
    return " x ".join(str(v) for v in size)


def resolve_padding(padding: int | Sequence[int] | str, kernel_size: tuple[int, ...],
                    dilation: tuple[int, ...],
                    stride: tuple[int, ...] | None = None) -> tuple[int, ...]:
    """Padding per side ``(top, bottom, left, right)`` (1-D: ``(left, right)``) as PyTorch
    applies it, for as many axes as ``kernel_size`` has.

    ``'valid'`` is no padding; ``'same'`` pads ``d*(k-1)`` in all, the odd cell on the
    bottom/right, and is refused for strided convolutions as in PyTorch.

    >>> resolve_padding("same", (4, 3), (1, 1)), resolve_padding(2, (3,), (1,))
    ((1, 2, 1, 1), (2, 2))
    """
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0) * len(kernel_size)
        if padding != "same":
            raise ConvVizError(f"padding must be an int, a pair, 'same' or 'valid', "
                               f"got {padding!r}")
        if stride is not None and any(s != 1 for s in stride):
            raise ConvVizError(f"padding='same' needs stride 1, got stride {show(stride)}")
        totals = [d * (k - 1) for k, d in zip(kernel_size, dilation)]
        return tuple(v for total in totals for v in (total // 2, total - total // 2))
    pads = at_least(ints(padding, "padding", len(kernel_size)), 0, "padding")
    return tuple(v for p in pads for v in (p, p))


def check_padding_mode(padding_mode: str, pads: tuple[int, ...], size: tuple[int, ...]) -> None:
    """Refuse a padding mode PyTorch refuses for these pads (two per axis) on an input of
    ``size`` (``(H, W)`` or ``(L,)``)."""
    if padding_mode not in PADDING_MODES:
        raise ConvVizError(f"padding_mode must be one of {', '.join(PADDING_MODES)}, "
                           f"got {padding_mode!r}")
    limit = {"reflect": 1, "circular": 0}.get(padding_mode)
    if limit is None:
        return
    for pad, n in zip(pads, (n for n in size for _ in range(2))):
        if pad > n - limit:
            raise ConvVizError(f"padding {pad} with padding_mode={padding_mode!r} must be "
                               f"<= {n - limit} for an input of size {sizes_text(size)}")


def check_input(input_shape: Sequence[int], dims: int) -> tuple[int, ...]:
    """The input's ``(N, C, *spatial)`` (an unbatched shape gets N = 1), or the refusal:
    C and the spatial sizes must be >= 1; N may be 0."""
    if len(input_shape) not in (dims + 1, dims + 2) or min(input_shape[-dims - 1:]) < 1 \
            or min(input_shape) < 0:
        axes = _AXES[dims]
        raise ConvVizError(f"input must have shape (C, {axes}) or (N, C, {axes}) with C, "
                           f"{axes} >= 1, got {tuple(input_shape)}")
    return tuple(input_shape) if len(input_shape) == dims + 2 else (1, *input_shape)


def check_span(padded: tuple[int, ...], kernel: tuple[int, ...],
               dilation: tuple[int, ...]) -> None:
    """Refuse a kernel whose footprint ``d*(k-1) + 1`` is longer than the padded input."""
    span = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))
    if any(e > p for e, p in zip(span, padded)):
        most = tuple((p - 1) // d + 1 for p, d in zip(padded, dilation))
        raise ConvVizError(f"kernel_size must be <= {show(most)} for a padded input of "
                           f"{sizes_text(padded)} with dilation {show(dilation)}, got "
                           f"{show(kernel)} (spans {sizes_text(span)}); or pad more")


def _check_common(input_shape: Sequence[int], weight_shape: Sequence[int], groups: int,
                  stride, dilation, dims: int) -> tuple[tuple[int, ...], tuple, tuple]:
    """What every convolution checks alike: the input's ``(N, C, *spatial)``, the weight's
    rank, groups, and ``stride``, ``dilation`` as ``dims``-tuples >= 1."""
    shape = check_input(input_shape, dims)
    if len(weight_shape) != dims + 2 or min(weight_shape) < 1:
        raise ConvVizError(f"weight must have shape (C_out, C_in/groups, {_KERNEL[dims]}) with "
                           f"sizes >= 1, got {tuple(weight_shape)}")
    if isinstance(groups, bool) or not isinstance(groups, (int, np.integer)) or groups < 1:
        raise ConvVizError(f"groups must be an int >= 1, got {groups!r}")
    return (shape, at_least(ints(stride, "stride", dims), 1, "stride"),
            at_least(ints(dilation, "dilation", dims), 1, "dilation"))


def _conv_shape(input_shape, weight_shape, stride, padding, dilation, groups, padding_mode,
                dims: int) -> tuple[int, ...]:
    """``(N, C_out, *out)`` of a direct convolution over ``dims`` axes (see conv2d's)."""
    (n, c, *size), stride, dilation = _check_common(input_shape, weight_shape, groups, stride,
                                                    dilation, dims)
    c_out, c_in_g, *kernel = weight_shape
    pads = resolve_padding(padding, tuple(kernel), dilation, stride)
    check_padding_mode(padding_mode, pads, tuple(size))
    if c_in_g * groups != c:
        raise ConvVizError(f"input has {c} channels, but weight {tuple(weight_shape)} with "
                           f"groups={groups} needs C_in = {c_in_g * groups}")
    if c_out % groups:
        raise ConvVizError(f"out_channels must be divisible by groups={groups}, got {c_out}")
    padded = tuple(v + pads[2 * i] + pads[2 * i + 1] for i, v in enumerate(size))
    check_span(padded, tuple(kernel), dilation)
    out = tuple((p - d * (k - 1) - 1) // s + 1
                for p, k, d, s in zip(padded, kernel, dilation, stride))
    return (n, c_out, *out)


def conv2d_output_shape(input_shape: Sequence[int], weight_shape: Sequence[int],
                        stride: int | Pair = 1, padding: int | Pair | str = 0,
                        dilation: int | Pair = 1, groups: int = 1, *,
                        padding_mode: str = "zeros") -> tuple[int, int, int, int]:
    """Shape ``(N, C_out, H_out, W_out)`` of :func:`conv2d`, or the ConvVizError it raises.

    ``H_out = floor((H + pad_top + pad_bottom - dH*(kH-1) - 1) / sH) + 1``, likewise W.

    >>> conv2d_output_shape((1, 1, 5, 5), (1, 1, 3, 3), stride=2, padding=1)
    (1, 1, 3, 3)
    """
    return _conv_shape(input_shape, weight_shape, stride, padding, dilation, groups,
                       padding_mode, 2)


def conv1d_output_shape(input_shape: Sequence[int], weight_shape: Sequence[int],
                        stride: int = 1, padding: int | str = 0, dilation: int = 1,
                        groups: int = 1, *, padding_mode: str = "zeros") -> tuple[int, int, int]:
    """Shape ``(N, C_out, L_out)`` of :func:`conv1d`, or the ConvVizError it raises.

    ``L_out = floor((L + pad_left + pad_right - d*(k-1) - 1) / s) + 1``.

    >>> conv1d_output_shape((1, 1, 8), (1, 1, 3), padding="same")
    (1, 1, 8)
    """
    return _conv_shape(input_shape, weight_shape, stride, padding, dilation, groups,
                       padding_mode, 1)


def _transposed_shape(input_shape, weight_shape, stride, padding, output_padding, groups,
                      dilation, dims: int) -> tuple[int, ...]:
    """``(N, C_out, *out)`` of a transposed convolution over ``dims`` axes."""
    (n, c, *size), stride, dilation = _check_common(input_shape, weight_shape, groups, stride,
                                                    dilation, dims)
    c_in, c_out_g, *kernel = weight_shape
    if isinstance(padding, str):
        raise ConvVizError(f"padding of a transposed convolution must be an int or a pair, "
                           f"got {padding!r}")
    padding = at_least(ints(padding, "padding", dims), 0, "padding")
    output_padding = at_least(ints(output_padding, "output_padding", dims), 0,
                              "output_padding")
    if c_in != c:
        raise ConvVizError(f"input has {c} channels, but weight {tuple(weight_shape)} of a "
                           f"transposed convolution needs C_in = {c_in}")
    if c_in % groups:
        raise ConvVizError(f"in_channels must be divisible by groups={groups}, got {c_in}")
    for a, s, d in zip(output_padding, stride, dilation):
        if a >= max(s, d):
            raise ConvVizError(f"output_padding must be < max(stride, dilation) = {max(s, d)}, "
                               f"got {show(output_padding)}")
    axes = list(zip(size, stride, dilation, kernel, output_padding))
    out = tuple((i - 1) * s - 2 * p + d * (k - 1) + a + 1
                for (i, s, d, k, a), p in zip(axes, padding))
    if min(out) < 1:
        most = tuple(((i - 1) * s + d * (k - 1) + a) // 2 for i, s, d, k, a in axes)
        raise ConvVizError(f"padding must be <= {show(most)} here (it crops the output), got "
                           f"{show(padding)}, which leaves {sizes_text(out)}")
    return (n, c_out_g * groups, *out)


def conv_transpose2d_output_shape(input_shape: Sequence[int], weight_shape: Sequence[int],
                                  stride: int | Pair = 1, padding: int | Pair = 0,
                                  output_padding: int | Pair = 0, groups: int = 1,
                                  dilation: int | Pair = 1) -> tuple[int, int, int, int]:
    """Shape ``(N, C_out, H_out, W_out)`` of :func:`conv_transpose2d`, or its ConvVizError.

    ``H_out = (H - 1)*sH - 2*pH + dH*(kH-1) + output_padding_H + 1``, likewise W.

    >>> conv_transpose2d_output_shape((1, 1, 3, 3), (1, 1, 3, 3), stride=2, padding=1)
    (1, 1, 5, 5)
    """
    return _transposed_shape(input_shape, weight_shape, stride, padding, output_padding,
                             groups, dilation, 2)


def conv_transpose1d_output_shape(input_shape: Sequence[int], weight_shape: Sequence[int],
                                  stride: int = 1, padding: int = 0, output_padding: int = 0,
                                  groups: int = 1, dilation: int = 1) -> tuple[int, int, int]:
    """Shape ``(N, C_out, L_out)`` of :func:`conv_transpose1d`, or its ConvVizError.

    ``L_out = (L - 1)*s - 2*p + d*(k-1) + output_padding + 1``.

    >>> conv_transpose1d_output_shape((1, 1, 3), (1, 1, 3), stride=2, padding=1)
    (1, 1, 5)
    """
    return _transposed_shape(input_shape, weight_shape, stride, padding, output_padding,
                             groups, dilation, 1)


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
