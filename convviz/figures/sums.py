"""How a step's sum is written, and what each step of a multi-channel figure computes.

:func:`sum_text` writes a sum of products for a caption: every product while there are few,
and for a long sum (a large kernel, a transposed convolution's inserted zeros) the products
with a non-zero value first, saying how many zero ones it leaves out, so a caption never
hides the terms that make its total.

:func:`channel_captions` gives one caption per frame of a multi-channel figure, one line per
output channel, with the engine's numbers: the sum over the group's input channels of each
channel's window times its kernel (``y[o=1, 0, 0] = Σc x[c]⋆w[1,c] = 12 + (−3) + 8 = 17``).

>>> sum_text([0, 2, 0, 0, 3, 0, 0, 0, 0, 0, 0], [1] * 11)
'2·1 + 3·1   (11 products; 9 with a 0 left out)'
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..geometry import Step, drawn_weight, grid_values, layout
from ..ops.spec import ConvSpec
from ..sample import Numbers
from ..text import factor, format_number, size_text
from .base import Caption

MAX_TERMS = 9
"""Longer sums leave out their zero products, then show their first four and last two."""
MAX_LINES = 4
"""Output channels a multi-channel caption writes out; the rest get their values only."""


def sum_text(values: Sequence[float], weights: Sequence[float]) -> str:
    """``v·w + …`` of the products of ``values`` and ``weights`` (the total is not written)."""
    pairs = list(zip(values, weights))
    note = ""
    if len(pairs) > MAX_TERMS:
        shown = [(v, w) for v, w in pairs if v != 0]
        left_out = len(pairs) - len(shown)
        note = f"   ({len(pairs)} products" + (
            f"; {left_out} with a 0 left out)" if left_out else ")")
        pairs = shown or pairs[:1]
    terms = [f"{factor(v)}·{factor(w)}" for v, w in pairs]
    if len(terms) > MAX_TERMS:
        terms = terms[:4] + ["…"] + terms[-2:]
    return " + ".join(terms) + note


def stage_numbers(spec: ConvSpec, numbers: Numbers) -> list[tuple]:
    """Per stage of ``spec``: its spec, the drawn grid's values ``(C_in, GH, GW)``, the drawn
    taps (the weight, flipped where transposed) and the output ``(C_out, H_out, W_out)``."""
    sample = numbers.sample(spec)
    inputs = (sample.x, *sample.outputs[:-1])
    return [(conv, grid_values(conv, x), drawn_weight(conv, w), y)
            for conv, x, w, y in zip(spec.stages(), inputs, sample.weights, sample.outputs)]


def taps_of(conv: ConvSpec, taps: np.ndarray, o: int) -> tuple[list[int], np.ndarray]:
    """The input channels output channel ``o`` reads (its group's) and their taps,
    ``(C_in/G, kH, kW)``: ``w[o, c]`` of a direct convolution, ``w[c, o mod C_out/G]`` of a
    transposed one (drawn flipped)."""
    per_in, per_out = conv.in_channels // conv.groups, conv.out_channels // conv.groups
    group = o // per_out
    channels = list(range(group * per_in, (group + 1) * per_in))
    if conv.transposed:
        return channels, taps[channels, o % per_out]
    return channels, taps[o]


def channel_line(conv: ConvSpec, grid: np.ndarray, taps: np.ndarray, y: np.ndarray, step: Step,
          o: int) -> str:
    """Output channel ``o``'s value at ``step`` as its sum over the group's input channels
    (``grid`` (C_in, GH, GW) and ``taps`` from :func:`stage_numbers`, ``y`` (C_out, ...))."""
    channels, w = taps_of(conv, taps, o)
    window = grid[channels][:, step.rows[:, None], step.cols[None, :]]      # (C, kH, kW)
    total = format_number(y[(o, *step.out)])
    head = f"y[o={o}, {step.out[0]}, {step.out[1]}] = "
    if len(channels) == 1:                                  # one channel: its own products
        body = sum_text(window.ravel().tolist(), w.ravel().tolist())
        return f"{head}x[c={channels[0]}]⋆w[{o}] = {body} = {total}"
    if w.shape[-2:] == (1, 1):                              # 1 x 1: one product per channel
        body = sum_text(window.ravel().tolist(), w.ravel().tolist())
        return f"{head}Σc x[c]·w[{o},c] = {body} = {total}   (c = {_span(channels)})"
    partial = (window * w).sum(axis=(1, 2)).tolist()                            # (C,)
    terms = " + ".join(factor(v) for v in partial)
    return f"{head}Σc x[c]⋆w[{o},c] = {terms} = {total}   (c = {_span(channels)})"


def _span(channels: list[int]) -> str:
    return ", ".join(map(str, channels)) if len(channels) <= 4 else \
        f"{channels[0]}…{channels[-1]}"


def _rest(y: np.ndarray, step: Step, first: int) -> str:
    """The values of output channels ``first``.. at ``step``, without their sums."""
    values = ", ".join(format_number(v) for v in y[first:, step.out[0], step.out[1]].tolist())
    return f"y[o={first}…{len(y) - 1}, {step.out[0]}, {step.out[1]}] = {values}"


def stage_name(conv: ConvSpec) -> str:
    """A stage's name with its kernel: ``"depthwise 3×3"``, ``"pointwise 1×1"``."""
    return f"{conv.mode} {size_text(conv.kernel_size).replace(' ', '')}"


def channel_captions(spec: ConvSpec, numbers: Numbers) -> tuple[Caption, ...]:
    """One caption per kernel position of each stage of a multi-channel figure: one line per
    output channel (its sum over the group's input channels, with ``numbers``), the first
    :data:`MAX_LINES` written out and the rest by value; ``stage`` names the stage of a
    staged mode (``"depthwise 3×3"``)."""
    staged = len(spec.stages()) > 1
    captions = []
    for conv, grid, taps, y in stage_numbers(spec, numbers):
        for step in layout(conv):
            lines = [channel_line(conv, grid, taps, y, step, o)
                     for o in range(min(len(y), MAX_LINES))]
            if len(y) > MAX_LINES:
                lines.append(_rest(y, step, MAX_LINES))
            captions.append(Caption(f"y[:, {step.out[0]}, {step.out[1]}]", "",
                                    stage_name(conv) if staged else "", tuple(lines)))
    return tuple(captions)
