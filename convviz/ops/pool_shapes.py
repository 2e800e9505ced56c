"""What pooling accepts and the shape it gives: PyTorch's checks and its output-size formula.

Pooling takes no weight: a window of ``kernel_size`` cells (taps ``dilation`` apart, max
pooling only) moves by ``stride``, which defaults to the kernel size. Padding may be at most
half the kernel size. In ceil mode the output rounds up, but a last window that would start in
the right padding (or past it) is dropped: every window starts inside the input or the left
padding. :mod:`convviz.ops.pooling` computes these ops; the 1-D ones are the 2-D ones on a
``(1, L)`` plane.

>>> max_pool2d_output_shape((1, 1, 5, 5), 2)
(1, 1, 2, 2)
>>> avg_pool2d_output_shape((1, 1, 5, 5), 2, ceil_mode=True)
(1, 1, 3, 3)
>>> pooled_length(5, 2, stride=2, padding=1, ceil_mode=True)
(3, True)
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import ConvVizError
from ..text import show
from .args import at_least
from .shapes import check_input, ints, sizes_text

Size = int | Sequence[int]


def flag(value, name: str) -> bool:
    """``value`` when it is a bool (PyTorch refuses 0, 1 and NumPy bools here too)."""
    if not isinstance(value, bool):
        raise ConvVizError(f"{name} must be True or False, got {value!r}")
    return value


def check_divisor(value) -> int | None:
    """``divisor_override`` as an int, or None; PyTorch refuses 0, floats and bools."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) \
            or value == 0:
        raise ConvVizError(f"divisor_override must be a nonzero int or None, got {value!r}")
    return int(value)


def default_stride(stride: Size | None, kernel_size: Size) -> Size:
    """``stride``, or ``kernel_size`` where it is None or empty (PyTorch's default)."""
    empty = isinstance(stride, (tuple, list)) and not stride
    return kernel_size if stride is None or empty else stride


def pooled_length(size: int, kernel: int, stride: int, padding: int = 0, dilation: int = 1,
                  ceil_mode: bool = False) -> tuple[int, bool]:
    """Output length along one axis, and whether ceil mode dropped a last window.

    ``floor((n + 2p - d*(k-1) - 1)/s) + 1``; in ceil mode ``ceil`` instead of ``floor``,
    less one when that last window would start at ``(m-1)*s >= n + p``, i.e. in the right
    padding or past it (PyTorch's ``pooling_output_shape``).
    """
    top = size + 2 * padding - dilation * (kernel - 1) - 1
    out = (top + (stride - 1 if ceil_mode else 0)) // stride + 1
    dropped = bool(ceil_mode and (out - 1) * stride >= size + padding)
    return out - dropped, dropped


def overhang(size: int, kernel: int, stride: int, padding: int, dilation: int,
             out: int) -> int:
    """Cells the last of ``out`` windows reaches past the right padding (ceil mode), else 0.

    >>> overhang(5, 2, 2, 0, 1, 3)
    1
    """
    return max(0, (out - 1) * stride + dilation * (kernel - 1) + 1 - (size + 2 * padding))


def pool_geometry(input_shape: Sequence[int], kernel_size: Size, stride: Size | None,
                  padding: Size, dilation: Size, ceil_mode: bool,
                  dims: int) -> tuple[tuple[int, ...], tuple[tuple[int, ...], ...]]:
    """PyTorch's checks of every pooling op, and ``(N, C, *out)`` with the window's
    ``(kernel, stride, padding, dilation)`` as ``dims``-tuples (``stride=None`` or ``()``:
    the kernel size)."""
    n, c, *size = check_input(input_shape, dims)
    kernel = at_least(ints(kernel_size, "kernel_size", dims), 1, "kernel_size")
    stride = at_least(ints(default_stride(stride, kernel), "stride", dims), 1, "stride")
    padding = at_least(ints(padding, "padding", dims), 0, "padding")
    dilation = at_least(ints(dilation, "dilation", dims), 1, "dilation")
    flag(ceil_mode, "ceil_mode")
    half = tuple(k // 2 for k in kernel)
    if any(p > h for p, h in zip(padding, half)):
        raise ConvVizError(f"padding must be <= kernel_size // 2 = {show(half)}, "
                           f"got {show(padding)}")
    out = tuple(pooled_length(*axis, ceil_mode)[0]
                for axis in zip(size, kernel, stride, padding, dilation))
    if min(out) < 1:
        _too_long(tuple(size), kernel, stride, padding, dilation, ceil_mode)
    return (n, c, *out), (kernel, stride, padding, dilation)


def _too_long(size: tuple[int, ...], kernel: tuple[int, ...], stride: tuple[int, ...],
              padding: tuple[int, ...], dilation: tuple[int, ...], ceil_mode: bool) -> None:
    """Refuse a window longer than the padded input (in ceil mode: by ``s`` cells or more)."""
    padded = tuple(n + 2 * p for n, p in zip(size, padding))
    room = tuple(q + (s - 1 if ceil_mode else 0) for q, s in zip(padded, stride))
    most = tuple((r - 1) // d + 1 for r, d in zip(room, dilation))
    span = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))
    where = f" and stride {show(stride)} in ceil mode" if ceil_mode else ""
    raise ConvVizError(f"kernel_size must be <= {show(most)} for a padded input of "
                       f"{sizes_text(padded)} with dilation {show(dilation)}{where}, got "
                       f"{show(kernel)} (spans {sizes_text(span)})")


def max_pool2d_output_shape(input_shape: Sequence[int], kernel_size: Size,
                            stride: Size | None = None, padding: Size = 0, dilation: Size = 1,
                            ceil_mode: bool = False) -> tuple[int, int, int, int]:
    """Shape ``(N, C, H_out, W_out)`` of :func:`max_pool2d`, or the ConvVizError it raises.

    ``H_out = floor((H + 2*pH - dH*(kH-1) - 1) / sH) + 1``, likewise W; in ceil mode see
    :func:`pooled_length`.
    """
    return pool_geometry(input_shape, kernel_size, stride, padding, dilation, ceil_mode, 2)[0]


def avg_pool2d_output_shape(input_shape: Sequence[int], kernel_size: Size,
                            stride: Size | None = None, padding: Size = 0,
                            ceil_mode: bool = False, count_include_pad: bool = True,
                            divisor_override: int | None = None) -> tuple[int, int, int, int]:
    """Shape ``(N, C, H_out, W_out)`` of :func:`avg_pool2d`, or the ConvVizError it raises.

    ``H_out = floor((H + 2*pH - kH) / sH) + 1``, likewise W; in ceil mode see
    :func:`pooled_length`.
    """
    flag(count_include_pad, "count_include_pad")
    check_divisor(divisor_override)
    return pool_geometry(input_shape, kernel_size, stride, padding, 1, ceil_mode, 2)[0]


def max_pool1d_output_shape(input_shape: Sequence[int], kernel_size: Size,
                            stride: Size | None = None, padding: Size = 0, dilation: Size = 1,
                            ceil_mode: bool = False) -> tuple[int, int, int]:
    """Shape ``(N, C, L_out)`` of :func:`max_pool1d`, or the ConvVizError it raises.

    ``L_out = floor((L + 2*p - d*(k-1) - 1) / s) + 1``; in ceil mode see
    :func:`pooled_length`.

    >>> max_pool1d_output_shape((1, 1, 8), 3, stride=2, padding=1)
    (1, 1, 4)
    """
    return pool_geometry(input_shape, kernel_size, stride, padding, dilation, ceil_mode, 1)[0]


def avg_pool1d_output_shape(input_shape: Sequence[int], kernel_size: Size,
                            stride: Size | None = None, padding: Size = 0,
                            ceil_mode: bool = False,
                            count_include_pad: bool = True) -> tuple[int, int, int]:
    """Shape ``(N, C, L_out)`` of :func:`avg_pool1d`, or the ConvVizError it raises.

    ``L_out = floor((L + 2*p - k) / s) + 1``; in ceil mode see :func:`pooled_length`.
    """
    flag(count_include_pad, "count_include_pad")
    return pool_geometry(input_shape, kernel_size, stride, padding, 1, ceil_mode, 1)[0]
