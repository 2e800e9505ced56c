"""Transposed inverse: a transposed layer's k, s, p, d and its output size m are given; the
student gives every input size n that yields it, each with the output_padding a that picks it.

``m = (n−1)·s − 2p + d·(k−1) + a + 1`` with ``0 <= a < max(s, d)``: as (n, a) runs, the sizes
step by s and a fills the gaps, so with d <= s one pair gives m (or none, below the smallest
output), with d > s several may. The explanation ties it to the direct convolution it
undoes: the Conv2d with the same numbers maps several sizes to n, and a picks which of them
the transposed layer gives back.

>>> q = InverseQuestion(3, 2, 1, 1, 8)
>>> q.pairs(), q.answer()
(((4, 1),), 'n = 4 with a = 1')
>>> q.check("4").message
'n = 4 with a = 0 gives 7 × 7, not 8 × 8; 1 more pair gives 8 × 8.'
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from ..errors import ConvVizError
from ..ops.args import parse_int
from ..ops.spec import ConvSpec
from ..text import MINUS
from .base import (
    RIGHT,
    WRONG,
    Feedback,
    Question,
    not_an_answer,
    plural,
    read_numbers,
    says_none,
    torch_code,
    whole,
    words,
)

Pair = tuple[int, int]
"""``(n, a)``: an input size and an output_padding."""


def read_pairs(text: str) -> list[Pair] | None:
    """The ``(n, a)`` pairs typed: ``'4, 1'``, ``'n=4 a=1'``, several split by ``;``, ``/``,
    ``or``, ``and`` or new lines; ``'4'`` alone means a = 0. None when a part is no pair.

    >>> read_pairs("n=4, a=1; 3"), read_pairs("a=1 n=4"), read_pairs("4 5 6")
    ([(4, 1), (3, 0)], [(4, 1)], None)
    """
    parts = [part for part in re.split(r";|/|\n|\bor\b|\band\b", (text or "").lower())
             if part.strip()]
    pairs = []
    for part in parts:
        named = dict(re.findall(r"\b([na])\s*[=:]\s*(\d+)", part))
        if named:
            if "n" not in named:
                return None
            pairs.append((int(named["n"]), int(named.get("a", 0))))
            continue
        numbers = read_numbers(part)
        if not 1 <= len(numbers) <= 2 or not whole(numbers):
            return None
        pairs.append((numbers[0], numbers[1] if len(numbers) == 2 else 0))
    return pairs or None


@dataclass(frozen=True)
class InverseQuestion(Question):
    """Which inputs n (and output_padding a) give a transposed layer's ``output`` size?"""

    kernel_size: int
    stride: int
    padding: int
    dilation: int
    output: int
    kind = "inverse"
    title = "Transposed inverse"
    answer_help = "n and a, e.g. 4, 1 (several: 4, 1; 5, 0), or none"

    def __post_init__(self) -> None:
        for name, low in (("kernel_size", 1), ("stride", 1), ("padding", 0), ("dilation", 1),
                          ("output", 1)):
            parse_int(str(getattr(self, name)), name, low)

    @property
    def most_a(self) -> int:
        """The largest output_padding allowed: ``max(s, d) − 1``."""
        return max(self.stride, self.dilation) - 1

    def spec_of(self, pair: Pair) -> ConvSpec:
        """The transposed layer on input size n with output_padding a (ConvVizError if it
        cannot run)."""
        return ConvSpec(mode="transposed", input_size=pair[0], kernel_size=self.kernel_size,
                        stride=self.stride, padding=self.padding, dilation=self.dilation,
                        output_padding=pair[1])

    @cached_property
    def _pairs(self) -> tuple[Pair, ...]:
        k, s, p, d, m = (self.kernel_size, self.stride, self.padding, self.dilation,
                         self.output)
        found = []
        for a in range(self.most_a + 1):
            steps, extra = divmod(m - 1 - d * (k - 1) + 2 * p - a, s)
            if extra == 0 and steps >= 0:
                found.append((steps + 1, a))
        return tuple(sorted(pair for pair in found if self.gives(pair) == m))

    def pairs(self) -> tuple[Pair, ...]:
        """Every ``(n, a)`` that gives m, by n: the answer."""
        return self._pairs

    def gives(self, pair: Pair) -> int | None:
        """The output size of ``pair``, or None where the layer cannot run."""
        try:
            return self.spec_of(pair).output_size[0]
        except ConvVizError:
            return None

    def prompt(self) -> str:
        m = self.output
        return (f"This transposed convolution gives an output of {m} × {m}. Which input sizes n "
                f"give it, and with which output_padding a each? Or does none?")

    def givens(self) -> tuple[tuple[str, str], ...]:
        return (("k", str(self.kernel_size)), ("s", str(self.stride)), ("p", str(self.padding)),
                ("d", str(self.dilation)), ("m", str(self.output)), ("n", "?"), ("a", "?"))

    def check(self, answer: str | Iterable[str], tries: int = 0) -> Feedback:
        text = answer if isinstance(answer, str) else "; ".join(answer)
        m, want, steps = self.output, self.pairs(), self.worked() if tries else ()
        if says_none(text):
            if not want:
                return Feedback(True, f"Correct: no input size gives {m} × {m}.")
            return Feedback(False, f"Some input size does give {m} × {m}.", steps=steps)
        given = read_pairs(text)
        if given is None:
            return not_an_answer("Type n and a, e.g. 4, 1 (several: 4, 1; 5, 0), or none.")
        given = list(dict.fromkeys(given))
        marks = tuple((f"n={n}, a={a}", RIGHT if (n, a) in want else WRONG) for n, a in given)
        wrong = [pair for pair in given if pair not in want]
        missed = len([pair for pair in want if pair not in given])
        if not wrong and not missed:
            return Feedback(True, f"Correct: {self.answer()} gives {m} × {m}.", marks=marks)
        parts = [self._why(pair) for pair in wrong]
        if missed:
            parts.append(f"{plural(missed, 'more pair')} {'gives' if missed == 1 else 'give'} "
                         f"{m} × {m}")
        return Feedback(False, "; ".join(parts) + ".", marks=marks, steps=steps)

    def _why(self, pair: Pair) -> str:
        """Why ``pair`` is not an answer."""
        n, a = pair
        if a > self.most_a:
            return (f"a = {a} is too large: output_padding must be < max(s, d) = "
                    f"{self.most_a + 1}")
        out = self.gives(pair)
        if out is None:
            return f"n = {n} with a = {a} cannot run: the padding crops the whole output"
        return f"n = {n} with a = {a} gives {out} × {out}, not {self.output} × {self.output}"

    def answer(self) -> str:
        if not self.pairs():
            return "none"
        return ", or ".join(f"n = {n} with a = {a}" for n, a in self.pairs())

    def explanation(self) -> tuple[str, ...]:
        k, s, p, d, m = (self.kernel_size, self.stride, self.padding, self.dilation,
                         self.output)
        lines = [self.worked()[1]]
        if not self.pairs():
            smallest = self.gives((1, 0)) or 1
            lines.append(f"No input size gives {m} × {m}: n = 1 with a = 0 already gives "
                         f"{smallest} × {smallest}.")
        for n, a in self.pairs():
            lines.append(f"n = {n}, a = {a}: ({n}{MINUS}1)·{s} {MINUS} 2·{p} + "
                         f"{_span(k, d)} + {a} + 1 = {m}")
            sizes = self.undone(n)
            if len(sizes) > 1:
                lines.append(f"Conv2d with the same k, s, p, d maps "
                             f"{words([f'{x} × {x}' for x in sizes])} "
                             f"{'both' if len(sizes) == 2 else 'all'} to {n} × {n}; "
                             f"a = {a} picks {m} × {m}.")
        return tuple(lines)

    def undone(self, n: int) -> list[int]:
        """The input sizes the direct convolution with the same numbers maps to n."""
        sizes = []
        for size in range(1, (n + 1) * self.stride + self.dilation * self.kernel_size + 1):
            try:
                spec = ConvSpec(input_size=size, kernel_size=self.kernel_size,
                                stride=self.stride, padding=self.padding, dilation=self.dilation)
            except ConvVizError:
                continue
            if spec.output_size[0] == n:
                sizes.append(size)
        return sizes

    def worked(self) -> tuple[str, ...]:
        k, s, p, d, m = (self.kernel_size, self.stride, self.padding, self.dilation,
                         self.output)
        rest = m - 1 - d * (k - 1) + 2 * p
        return (f"{m} = (n{MINUS}1)·{s} {MINUS} 2·{p} + {_span(k, d)} + a + 1 = ?",
                f"(n{MINUS}1)·{s} + a = {str(rest).replace('-', MINUS)}, with 0 ≤ a ≤ "
                f"{self.most_a}")

    def query(self) -> dict[str, str]:
        return {"quiz": self.kind, "k": str(self.kernel_size), "s": str(self.stride),
                "p": str(self.padding), "d": str(self.dilation), "m": str(self.output)}

    def pytorch(self) -> str:
        return torch_code(f"nn.ConvTranspose2d(1, 1, kernel_size={self.kernel_size}, "
                          f"stride={self.stride}, padding={self.padding}, output_padding=?, "
                          f"dilation={self.dilation})", "?, ?", f"{self.output}, {self.output}")

    @property
    def formula(self) -> str:
        return "transposed"

    @property
    def spec(self) -> ConvSpec | None:
        return self.spec_of(self.pairs()[0]) if self.pairs() else None

    @classmethod
    def from_query(cls, params: dict[str, str]) -> InverseQuestion:
        """The question a link spells out: ``k s p d m`` (s, p, d default to 1, 0, 1)."""
        for key in ("k", "m"):
            if key not in params:
                raise ConvVizError(f"an inverse exercise needs {key}, got none")
        return cls(parse_int(params["k"], "k", 1), parse_int(params.get("s", "1"), "s", 1),
                   parse_int(params.get("p", "0"), "p", 0),
                   parse_int(params.get("d", "1"), "d", 1), parse_int(params["m"], "m", 1))


def _span(k: int, d: int) -> str:
    return f"({k}{MINUS}1)" if d == 1 else f"{d}·({k}{MINUS}1)"
