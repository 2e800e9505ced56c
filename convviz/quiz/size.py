"""Output size: the configuration and the general formula are given, the student gives m (or
H × W); a wrong answer gets the likely mistake by name, then the worked formula.

The mistakes are the ones course forums keep meeting: rounding up instead of down (the
floor), a dilated kernel taken as k cells wide instead of d·(k−1)+1, the seed note's p_t
used for PyTorch's p in a transposed convolution (or the direct formula used for one), the
padding left out or counted once, the stride left out, output_padding forgotten, and the
+ 1 of the first position dropped or doubled.

>>> q = SizeQuestion(ConvSpec(input_size=7, kernel_size=3, stride=2))
>>> q.check("4").message
'Off by one: (n + 2p − d·(k−1) − 1)/s counts the strides after the first position, and + 1 \
adds the first position once.'
>>> q.check("3").correct
True
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl

from ..ops.formula import output_formula
from ..ops.spec import ConvSpec
from ..text import show, size_text
from .base import (
    Drawn,
    Feedback,
    Question,
    check_spec,
    not_an_answer,
    read_numbers,
    torch_code,
    whole,
)

Mistake = tuple[str, int, str]
"""``(name, the size it gives, what the hint says)``."""

FLOOR = ("You rounded up: the formula rounds the division down (⌊ ⌋), because a last "
         "position where the kernel would stick out past the padding does not count.")
WHOLE = ("Sizes are whole cells: the formula rounds the division down (⌊ ⌋), so a last "
         "position where the kernel would stick out does not count.")
OFF_SHORT = "Off by one: the + 1 counts the kernel's first position."
OFF_LONG = ("Off by one: (n + 2p − d·(k−1) − 1)/s counts the strides after the first "
            "position, and + 1 adds the first position once.")
OFF_SHORT_T = "Off by one: the last + 1 counts the cell the kernel's first tap stands on."
OFF_LONG_T = ("Off by one: n input cells have n − 1 gaps of s between them, and the kernel "
              "adds d·(k−1) + 1 cells.")


def _span(d: int, k: int, span: int) -> str:
    return (f"The dilated kernel spans d·(k−1) + 1 = {span} cells, not k = {k}: its taps are "
            f"d = {d} apart.")


def conv_mistakes(n: int, k: int, s: int, d: int, before: int, after: int,
                  m: int) -> Iterator[Mistake]:
    """The sizes the usual mistakes give along one axis of a direct convolution."""
    span, pad = d * (k - 1) + 1, before + after
    body = n + pad - span
    yield "floor", -(-body // s) + 1, FLOOR
    if d > 1:
        yield "span", (n + pad - k) // s + 1, _span(d, k, span)
    if pad:
        yield "padding", (n - span) // s + 1, ("You left out the padding: it adds p cells on "
                                               "each side, 2p in all.")
        yield "one side", (n + pad // 2 - span) // s + 1, ("Padding goes on both sides: the "
                                                           "input grows by 2p, not p.")
    if s > 1:
        yield "stride", body + 1, (f"The kernel moves s = {s} cells a step: divide by s "
                                   f"before adding 1.")
    yield "transposed", (n - 1) * s - pad + span, (
        "That is a transposed convolution's formula; a convolution maps the other way: "
        "m = ⌊(n + 2p − d·(k−1) − 1)/s + 1⌋.")
    yield "plus one", m - 1, OFF_SHORT
    yield "extra one", m + 1, OFF_LONG


def transposed_mistakes(n: int, k: int, s: int, d: int, p: int, pt: int, a: int,
                        m: int) -> Iterator[Mistake]:
    """The sizes the usual mistakes give along one axis of a transposed convolution."""
    span = d * (k - 1) + 1
    if pt != p:
        yield "pt", (n - 1) * s - 2 * pt + span + a, (
            f"You used p_t = {pt} for p: in this formula p is PyTorch's padding, "
            f"p = d·(k−1) − p_t = {p}, what is cropped from the output.")
    if n + 2 * p >= span:
        yield "direct", (n + 2 * p - span) // s + 1, (
            "That is the direct convolution's formula; a transposed convolution maps the "
            "other way: m = (n−1)·s − 2p + d·(k−1) + a + 1.")
    if d > 1:
        yield "span", (n - 1) * s - 2 * p + k + a, _span(d, k, span)
    if a:
        yield "output_padding", m - a, (f"You left out output_padding a = {a}: it adds a "
                                        f"rows and columns at the bottom and right.")
    if s > 1:
        yield "n·s", n * s - 2 * p + span + a, ("n input cells have n − 1 gaps between them: "
                                                "(n−1)·s, not n·s.")
        yield "stride", n - 1 - 2 * p + span + a, (f"The input cells land s = {s} apart: "
                                                   f"(n−1)·s.")
    if p:
        yield "one side", (n - 1) * s - p + span + a, ("The padding p is cropped from both "
                                                       "sides: − 2p, not − p.")
    yield "plus one", m - 1, OFF_SHORT_T
    yield "extra one", m + 1, OFF_LONG_T


def axis_mistakes(spec: ConvSpec, axis: int) -> Iterator[Mistake]:
    """The usual mistakes along ``axis`` (0: H, 1: W) of ``spec``, most specific first,
    each with the size it gives (the right size excluded)."""
    n, k, s, d = (getattr(spec, name)[axis] for name in
                  ("input_size", "kernel_size", "stride", "dilation"))
    m = spec.output_size[axis]
    if spec.operation.formula == "transposed":
        found = transposed_mistakes(n, k, s, d, spec.padding[axis],
                                    spec.actual_padding[axis], spec.output_padding[axis], m)
    else:
        found = conv_mistakes(n, k, s, d, *spec.pads[2 * axis:2 * axis + 2], m)
    return ((name, size, text) for name, size, text in found if size != m and size >= 1)


def likely_mistake(spec: ConvSpec, axis: int, given: float) -> str | None:
    """What the hint says for ``given`` along ``axis``: the first usual mistake that gives
    it, else None."""
    if given != int(given):
        return WHOLE
    return next((text for _, size, text in axis_mistakes(spec, axis) if size == given), None)


@dataclass(frozen=True)
class SizeQuestion(Question):
    """What is the output size of ``config``?"""

    config: ConvSpec
    kind = "size"
    title = "Output size"
    answer_help = "m, or H × W for a non-square input (e.g. 4, or 4 × 5)"

    def __post_init__(self) -> None:
        check_spec(self.config)

    @property
    def formula(self) -> str:
        return self.config.operation.formula

    @property
    def spec(self) -> ConvSpec:
        return self.config

    def figure(self) -> Drawn:
        return ("setup", self.config, 0)

    def prompt(self) -> str:
        what = "m" if self.config.square else "H × W"
        return (f"What is the output size {what} of this "
                f"{self.config.operation.label.lower()}?")

    def givens(self) -> tuple[tuple[str, str], ...]:
        spec = self.config
        shown = [("n", show(spec.input_size)), ("k", show(spec.kernel_size)),
                 ("s", show(spec.stride)), ("p", _padding(spec))]
        if spec.transposed:
            shown.append(("p_t", show(spec.actual_padding)))
        shown.append(("d", show(spec.dilation)))
        if spec.transposed:
            shown.append(("a", show(spec.output_padding)))
        return tuple(shown)

    def check(self, answer: str | Iterable[str], tries: int = 0) -> Feedback:
        text = answer if isinstance(answer, str) else " ".join(answer)
        numbers, want = read_numbers(text), self.config.output_size
        if not numbers or len(numbers) > 2:
            return not_an_answer("Type the output size as a whole number, e.g. 4 "
                                 "(or H × W, e.g. 4 × 5).")
        if len(numbers) == 1 and not self.config.square:
            return not_an_answer("The input is not square: give H and W, e.g. 4 × 5.")
        given = numbers * 2 if len(numbers) == 1 else numbers
        if tuple(given) == want:
            return Feedback(True, f"Correct: the output is {size_text(want)}.")
        steps = self.worked() if tries else ()
        if min(given) < 1 and whole(map(abs, given)):
            return Feedback(False, "An output has at least one cell in each direction.",
                            steps=steps)
        axis = 0 if given[0] != want[0] else 1
        side = "large" if given[axis] > want[axis] else "small"
        hint = likely_mistake(self.config, axis, given[axis]) or (
            f"Not quite: {_number(given[axis])} is too {side}.")
        if not self.config.square:
            hint = ("H: " if axis == 0 else "H is right. W: ") + hint
        return Feedback(False, hint, steps=steps)

    def answer(self) -> str:
        return size_text(self.config.output_size)

    def explanation(self) -> tuple[str, ...]:
        return (*output_formula(self.config).text,
                f"The output is {size_text(self.config.output_size)}.")

    def worked(self) -> tuple[str, ...]:
        return tuple(line.rsplit(" = ", 1)[0] + " = ?" if line.startswith("m") else line
                     for line in output_formula(self.config).text)

    def query(self) -> dict[str, str]:
        return {"quiz": self.kind, **dict(parse_qsl(self.config.to_query()))}

    def pytorch(self) -> str:
        size = ", ".join(map(str, self.config.input_size))
        return torch_code(self.config.torch_line(), size, "?, ?")

    @classmethod
    def from_query(cls, params: dict[str, str]) -> SizeQuestion:
        """The question a link spells out: ``mode n k s p d op`` as in an explorer link."""
        return cls(ConvSpec.from_query(params))


def _padding(spec: ConvSpec) -> str:
    return spec.padding if isinstance(spec.padding, str) else show(spec.padding)


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"
