"""Which input cells a direct convolution's kernel reaches, worked out by arithmetic.

With a stride or a dilation, some input rows and columns are never under a tap. Each cell is
settled in constant time (a linear congruence), never by looping over output cells or taps, so
a kernel a billion cells wide costs what a small one does; the list itself is given for inputs
of up to :data:`MAX_LISTED` cells a side.

>>> unread((6, 5), (3, 3), (2, 2), (1, 1), (0, 0), (2, 2))
((5,), ())
"""
from __future__ import annotations

import math

from ..errors import ConvVizError

MAX_LISTED = 2 ** 16
"""Largest input side whose unread rows and columns :func:`unread` lists."""


def unread(input_size: tuple[int, int], kernel_size: tuple[int, int], stride: tuple[int, int],
           dilation: tuple[int, int], before: tuple[int, int],
           output_size: tuple[int, int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Input rows and columns no tap of any output cell reads, per axis (H, then W).

    Parameters
    ----------
    input_size, kernel_size, stride, dilation, output_size : (H, W) pairs of a direct
        convolution; ``before`` is the padding above and to the left ``(top, left)``.
    """
    if max(input_size) > MAX_LISTED:
        raise ConvVizError(f"unread cells are listed for inputs up to {MAX_LISTED} cells a "
                           f"side, got {input_size[0]} x {input_size[1]}")
    return tuple(tuple(i for i in range(n) if not is_read(i + b, k, s, d, out))
                 for n, k, s, d, b, out in zip(input_size, kernel_size, stride, dilation,
                                               before, output_size))


def is_read(j: int, k: int, s: int, d: int, out: int) -> bool:
    """Whether padded cell ``j`` is under a tap: ``j = o*s + t*d`` for some output cell
    ``o < out`` and tap ``t < k``. ``t*d = j (mod s)`` holds for ``t = t0 (mod s/g)``
    (``g = gcd(d, s)``, which must divide ``j``); one such ``t`` must lie in the taps that
    keep ``o`` in range, ``ceil((j - (out-1)*s)/d) <= t <= min(k - 1, j // d)``.

    >>> [is_read(j, 3, 2, 1, 2) for j in range(6)]
    [True, True, True, True, True, False]
    """
    g = math.gcd(d, s)
    if j % g:
        return False
    m = s // g
    t0 = (j // g) * pow(d // g, -1, m) % m
    low, high = max(0, -(((out - 1) * s - j) // d)), min(k - 1, j // d)
    return low + (t0 - low) % m <= high
