"""Random questions of a difficulty level, drawn from a seeded generator so that one seed gives
a whole class the same set.

Level 1: direct convolutions with stride and padding whose divisions come out exact.
Level 2: the floor, dilation, and transposed convolutions.
Level 3: output_padding, dilated transposed convolutions, non-square inputs, and questions
whose answer is "none".

Every question drawn stays inside what the app's controls hold (n <= 16, k <= 7, s <= 4,
p <= 8, d <= 4, a <= 3) and what its player plays (at most 400 steps), so that its revealed
figure can always be shown.

>>> import random
>>> q = draw("size", 1, random.Random("doc"))
>>> q.kind, q.spec.dilation
('size', (1, 1))
"""
from __future__ import annotations

import math
import random
from collections.abc import Callable

from ..errors import ConvVizError
from ..ops.spec import ConvSpec
from .base import Question
from .cells import CellsQuestion
from .inverse import InverseQuestion
from .param import ParamQuestion
from .size import SizeQuestion

LEVELS = {1: "stride and padding, exact divisions",
          2: "the floor, dilation, transposed convolutions",
          3: "output_padding, dilated transposed, non-square, no-answer questions"}
"""Each difficulty level and what it adds."""
RANGES = {"input_size": 16, "kernel_size": 7, "stride": 4, "padding": 8, "dilation": 4,
          "output_padding": 3}
"""The largest value of each field a drawn question uses (the app's controls' ranges)."""
MAX_STEPS = 400
"""The most output cells a drawn question's figure has (the app's player plays that many)."""
TRIES = 500


def _conv(r: random.Random, level: int) -> ConvSpec:
    """A direct convolution of ``level`` (level 1: exact divisions)."""
    if level == 1:
        n, k = r.randint(4, 9), r.choice((2, 3, 3, 4))
        spec = ConvSpec(input_size=n, kernel_size=k, stride=r.choice((1, 2, 2)),
                        padding=r.randint(0, min(2, k - 1)))
        if (n + 2 * spec.padding[0] - k) % spec.stride[0]:
            raise ConvVizError("not a level-1 convolution")
        return spec
    d = r.choice((1, 1, 2, 3)) if level == 3 else r.choice((1, 1, 1, 2))
    k = r.randint(2, 5 if d == 1 else 3)
    n = (r.randint(5, 12), r.randint(5, 12)) if level == 3 and r.random() < 0.3 else \
        r.randint(5, 12)
    return ConvSpec(input_size=n, kernel_size=k, stride=r.choice((1, 2, 2, 3)),
                    padding=r.randint(0, 3 if level == 3 else min(2, d * (k - 1))), dilation=d)


def _transposed(r: random.Random, level: int) -> ConvSpec:
    """A transposed convolution (level 3: output_padding and dilation)."""
    k, s = r.randint(2, 4), r.choice((1, 2, 2, 3) if level == 3 else (1, 2))
    d = r.choice((1, 2)) if level == 3 else 1
    a = r.randint(0, max(s, d) - 1) if level == 3 else 0
    return ConvSpec(mode="transposed", input_size=r.randint(2, 5), kernel_size=k, stride=s,
                    padding=r.randint(0, d * (k - 1)), dilation=d, output_padding=a)


def size_question(r: random.Random, level: int) -> SizeQuestion:
    """Output size: level 1 exact convolutions; then floors, dilation, transposed."""
    spec = _conv(r, level) if level == 1 or r.random() < 0.5 else _transposed(r, level)
    if min(spec.output_size) < 2:
        raise ConvVizError("an output of one cell asks little")
    return SizeQuestion(spec)


def cells_question(r: random.Random, level: int) -> CellsQuestion:
    """Which cells: level 1 unit stride, no padding; 2 padding and stride; 3 dilation and
    transposed convolutions."""
    if level == 1:
        spec = ConvSpec(input_size=r.randint(3, 6), kernel_size=r.choice((2, 3)))
    elif level == 2:
        spec = ConvSpec(input_size=r.randint(4, 6), kernel_size=3, stride=r.choice((1, 2)),
                        padding=1)
    elif r.random() < 0.5:
        spec = ConvSpec(input_size=r.randint(5, 7), kernel_size=r.choice((2, 3)), dilation=2,
                        stride=r.choice((1, 2)), padding=r.randint(0, 2))
    else:
        k = r.choice((2, 3))
        spec = ConvSpec(mode="transposed", input_size=r.randint(2, 4), kernel_size=k,
                        stride=2, padding=r.randint(0, k - 1))
    rows, cols = spec.output_size
    return CellsQuestion(spec, (r.randrange(rows), r.randrange(cols)))


def param_question(r: random.Random, level: int) -> ParamQuestion:
    """Find the parameter: level 1 p or s with one answer; 2 any of k, s, p, d; 3 transposed
    ones too, and about one in three with no answer."""
    spec = _conv(r, 1 if level == 1 else 2) if level < 3 or r.random() < 0.5 else \
        _transposed(r, 2)
    if not spec.square:
        raise ConvVizError("a param question is square")
    unknown = r.choice(("padding", "stride") if level == 1 else
                       ("kernel_size", "stride", "padding", "dilation"))
    fields = ("kernel_size", "stride", "padding", "dilation") + (
        ("output_padding",) if spec.transposed else ())
    known = tuple((name, getattr(spec, name)[0]) for name in fields if name != unknown)
    m = spec.output_size[0]
    if level == 3 and r.random() < 0.35:
        m = max(1, m + r.choice((-1, 1)))
    question = ParamQuestion(spec.mode, spec.input_size[0], m, unknown, known)
    if level == 1 and len(question.answers()) != 1:
        raise ConvVizError("a level-1 param question has one answer")
    if level == 3 and m != spec.output_size[0] and question.answers():
        raise ConvVizError("meant to have no answer")
    return question


def inverse_question(r: random.Random, level: int) -> InverseQuestion:
    """Transposed inverse: level 1 the usual upsampling layers; 2 other strides and
    paddings, sometimes no answer; 3 dilation wider than the stride (several answers)."""
    if level == 1:
        k, s, p, d = r.choice((3, 4)), 2, 1, 1
    elif level == 2:
        k, s, p, d = r.randint(2, 5), r.choice((2, 3)), r.randint(0, 2), 1
    else:
        s = r.choice((1, 2))
        k, p, d = r.choice((2, 3)), r.randint(0, 2), r.choice((2, 3)) + s - 1
    n, a = r.randint(2, 6), r.randint(0, max(s, d) - 1)
    m = (n - 1) * s - 2 * p + d * (k - 1) + a + 1
    if level == 2 and r.random() < 0.2:
        m = d * (k - 1) + 1 - 2 * p - 1                  # one below the smallest output
    return InverseQuestion(k, s, p, d, m)


DRAW: dict[str, Callable[[random.Random, int], Question]] = {
    "size": size_question, "cells": cells_question, "param": param_question,
    "inverse": inverse_question}
"""Each kind of question -> how to draw one."""


def fits(question: Question) -> bool:
    """Whether the revealed figure of ``question`` stays in the app's ranges."""
    spec = question.spec
    if spec is None:
        return True
    for name, most in RANGES.items():
        if max(getattr(spec, name)) > most:
            return False
    return math.prod(spec.output_size) <= MAX_STEPS


def draw(kind: str, level: int, r: random.Random) -> Question:
    """One question of ``kind`` and ``level`` from the generator ``r`` (drawing again
    where a draw cannot run or leaves the app's ranges)."""
    for _ in range(TRIES):
        try:
            question = DRAW[kind](r, level)
        except ConvVizError:
            continue
        if fits(question) and _sizes_fit(question):
            return question
    raise AssertionError(f"no {kind} question of level {level} after {TRIES} draws")


def _sizes_fit(question: Question) -> bool:
    """A question's own output size fits too (a no-answer question has no spec)."""
    m = dict(question.givens()).get("m", "?")
    return m == "?" or int(m) <= 20
