"""Which input cells a direct convolution's kernel reaches, worked out by arithmetic.

With a stride or a dilation, some input rows and columns are never under a tap. Each cell is
settled in constant time (a linear congruence), never by looping over output cells or taps, so
a kernel a billion cells wide costs what a small one does; :func:`convviz.ops.shapes.unread`
lists them for inputs of up to :data:`MAX_LISTED` cells a side.

>>> [j for j in range(6) if not is_read(j, 3, 2, 1, 2)]      # k 3, s 2, d 1, 2 outputs
[5]
"""
from __future__ import annotations

import math

MAX_LISTED = 2 ** 16
"""Largest input side whose unread rows and columns :func:`convviz.ops.shapes.unread` lists."""


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
