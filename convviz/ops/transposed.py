"""The two ways of computing a transposed convolution, as arithmetic on one axis at a time.

- By output phases (:func:`phases`): output cells ``a, a + s, ...`` take their taps from input
  cells one apart, so each phase is a unit-stride convolution over the taps that reach it;
  :func:`convviz.ops.engine.conv_transpose2d` gathers them (fast, nothing scattered, no
  inserted zeros multiplied).
- As PyTorch's CPU kernel does (:func:`landings`, :func:`col2im`): one matmul multiplies every
  input cell by every tap (the "columns"), then each tap's products are added where they land.
  Only input cells are ever multiplied, so a nan or inf weight reaches exactly the output
  cells its tap lands on; the engine goes this way for a weight that is not finite.

>>> landings(2, 4, 3, 1, 0, 1)       # n_in 2, n_out 4, k 3, s 1, p 0, d 1
[(0, 0, 2, 0), (1, 0, 2, 1), (2, 0, 2, 2)]
>>> phases(2, 5, 3, 2, 0, 1)[0][1]    # stride 2: output cells 1, 3 take tap 1 only
(1, [1], [0], 2)
"""
from __future__ import annotations

import numpy as np

from .args import Pair


def phases(n_in: int, n_out: int, k: int, s: int, p: int, d: int) -> tuple[list, Pair]:
    """One axis of a transposed convolution, split into output phases (cells a, a + s, ...).

    Output cell ``a + q*s`` takes tap ``t`` from input cell ``(a + p - t*d) / s + q`` when the
    division is exact, so each phase is a unit-stride convolution over the taps that reach it;
    phases that no tap reaches stay zero (only ``k`` at most are listed, however large ``s``).
    Returns ``(a, taps, starts, count)`` per phase (``starts``: each tap's input cell for
    ``q = 0``; ``count``: output cells) and the zeros ``(before, after)`` the input needs.
    """
    reached: dict[int, list[int]] = {}
    for t in range(k):
        a = (t * d - p) % s                               # the phase tap t feeds
        if a < n_out:
            reached.setdefault(a, []).append(t)
    phases = [(a, taps, [(a + p - t * d) // s for t in taps], len(range(a, n_out, s)))
              for a, taps in sorted(reached.items())]
    spans = [(r, r + count) for _, _, starts, count in phases for r in starts] or [(0, 0)]
    return phases, (max(0, -min(r for r, _ in spans)), max(0, max(e for _, e in spans) - n_in))


def landings(n_in: int, n_out: int, k: int, s: int, p: int, d: int) -> list[tuple]:
    """One axis of a transposed convolution, tap by tap: input cell ``i`` lands on output cell
    ``i*s - p + t*d`` through tap ``t``. Returns ``(t, i0, i1, o0)`` for each tap that lands
    inside the output at all: input cells ``i0:i1`` land on ``o0, o0 + s, ...``."""
    landed = []
    for t in range(k):
        shift = t * d - p                                 # where input cell 0 lands
        i0 = max(0, -(shift // s))                        # first cell landing at >= 0
        i1 = min(n_in, (n_out - 1 - shift) // s + 1)     # one past the last landing inside
        if i0 < i1:
            landed.append((t, i0, i1, i0 * s + shift))
    return landed


def col2im(x: np.ndarray, weight: np.ndarray, groups: int, size: Pair, taps_h: list,
            taps_w: list, step: Pair) -> np.ndarray:
    """``x`` ``(N, C, H, W)`` times every tap of ``weight`` ``(C, C_out/G, kH, kW)`` in one
    matmul per group (the columns), each tap's products then added where ``taps_h`` and
    ``taps_w`` (from :func:`landings`) say they land: ``(N, C_out, H_out, W_out)``."""
    (n, c, h, w), (_, c_out_g, kh, kw), (sh, sw) = x.shape, weight.shape, step
    x = x.reshape(n, groups, c // groups, h * w)
    x = x.transpose(1, 2, 0, 3).reshape(groups, c // groups, n * h * w)   # (G, C/G, N*H*W)
    wg = weight.reshape(groups, c // groups, c_out_g * kh * kw)
    columns = wg.transpose(0, 2, 1) @ x                       # (G, C_out/G * kH*kW, N*H*W)
    columns = columns.reshape(groups, c_out_g, kh, kw, n, h, w)
    out = np.zeros((groups, c_out_g, n, *size), x.dtype)      # (G, C_out/G, N, H_out, W_out)
    for u, i0, i1, r0 in taps_h:
        for v, j0, j1, q0 in taps_w:
            out[..., r0:r0 + (i1 - i0 - 1) * sh + 1:sh, q0:q0 + (j1 - j0 - 1) * sw + 1:sw] += \
                columns[:, :, u, v, :, i0:i1, j0:j1]          # each tap where it lands
    out = out.reshape(groups * c_out_g, n, *size).transpose(1, 0, 2, 3)
    return np.ascontiguousarray(out)                          # (N, C_out, H_out, W_out)
