"""Find the parameter: n, m and all but one of k, s, p, d are given; the student finds the
missing one. Every value that gives m is accepted, and where none does, "none" is the answer.

The output size moves one way with each parameter (a convolution's grows with p and shrinks
with k, s and d; a transposed one's the other way round), so the values that give m form one
run, possibly without end (any s past the input gives m = 1); :meth:`ParamQuestion.answers`
finds it by trying every value up to a bound past which the size never comes back to m.

>>> q = ParamQuestion("conv", 7, 3, "stride", (("kernel_size", 3), ("padding", 0),
...                                            ("dilation", 1)))
>>> q.answers(), q.answer()
((2,), 's = 2')
>>> q.check("3").message
'With s = 3 the output is 2 × 2, not 3 × 3. The output shrinks as s grows.'
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from ..errors import ConvVizError
from ..ops.args import check_choice, parse_int
from ..ops.spec import ConvSpec
from ..ops.table import FIELDS, OPERATIONS
from ..text import MINUS
from .base import (
    Drawn,
    Feedback,
    Question,
    check_mode,
    not_an_answer,
    read_numbers,
    says_none,
    torch_code,
    whole,
)

SYMBOLS = {"kernel_size": "k", "stride": "s", "padding": "p", "dilation": "d",
           "output_padding": "a"}
"""ConvSpec field -> its symbol in the formula and the link."""
UNKNOWNS = ("kernel_size", "stride", "padding", "dilation")
"""The fields a question may ask for."""
GROWS = {("conv", "padding"): True, ("conv", "kernel_size"): False, ("conv", "stride"): False,
         ("conv", "dilation"): False, ("transposed", "padding"): False,
         ("transposed", "kernel_size"): True, ("transposed", "stride"): True,
         ("transposed", "dilation"): True}
"""(formula, field) -> whether the output grows as the field grows."""


@dataclass(frozen=True)
class ParamQuestion(Question):
    """Which ``unknown`` gives a ``output_size`` × ``output_size`` output from an
    ``input_size`` × ``input_size`` input, with the ``known`` fields?

    ``known`` holds ``(field, value)`` of the other fields of k, s, p, d (and
    ``output_padding`` of a transposed convolution), square sizes as ints.
    """

    mode: str
    input_size: int
    output_size: int
    unknown: str
    known: tuple[tuple[str, int], ...]
    kind = "param"
    title = "Find the parameter"
    answer_help = "a whole number, or none"

    def __post_init__(self) -> None:
        check_mode(self.mode)
        check_choice(self.unknown, "find", UNKNOWNS)
        op = OPERATIONS[self.mode]
        for name, value in self.known:
            check_choice(name, "known field", [f for f in SYMBOLS if op.takes(f)])
            parse_int(str(value), SYMBOLS[name], 0 if "padding" in name else 1)
        if self.unknown in dict(self.known):
            raise ConvVizError(f"find={SYMBOLS[self.unknown]} is given too: leave it out")
        parse_int(str(self.input_size), "n", 1)
        parse_int(str(self.output_size), "m", 1)

    @property
    def symbol(self) -> str:
        """The unknown's symbol, ``'s'``."""
        return SYMBOLS[self.unknown]

    def values(self, value: int) -> dict[str, int]:
        """Every field with the unknown set to ``value`` (defaults for the rest)."""
        fields = {"kernel_size": 3, "stride": 1, "padding": 0, "dilation": 1}
        if OPERATIONS[self.mode].transposed:
            fields["output_padding"] = 0
        return fields | dict(self.known) | {self.unknown: value}

    def output_for(self, value: int) -> int:
        """The output size with the unknown at ``value`` (ConvVizError if it cannot run)."""
        return ConvSpec(mode=self.mode, input_size=self.input_size,
                        **self.values(value)).output_size[0]

    def _bound(self) -> int:
        """A value past which the output never comes back to m (module doc)."""
        v = self.values(1) | ({"padding": 0} if self.unknown == "padding" else {})
        n, m = self.input_size, self.output_size
        return (4 + n + m + 2 * v["padding"] + (m + n) * v["stride"]
                + v["dilation"] * v["kernel_size"] + v.get("output_padding", 0))

    @cached_property
    def _found(self) -> tuple[tuple[int, ...], bool]:
        low = OPERATIONS[self.mode].minimum.get(self.unknown,
                                               0 if self.unknown == "padding" else 1)
        bound, found = self._bound(), []
        for value in range(low, bound + 1):
            try:
                if self.output_for(value) == self.output_size:
                    found.append(value)
            except ConvVizError:
                continue
        return tuple(found), bool(found) and found[-1] == bound

    def answers(self) -> tuple[int, ...]:
        """Every value that gives m, in order (of an endless run, its first values)."""
        return self._found[0]

    @property
    def endless(self) -> bool:
        """True when every value from the first answer on gives m."""
        return self._found[1]

    def accepts(self, value: int) -> bool:
        """Whether the unknown at ``value`` gives m."""
        found, endless = self._found
        return value in found or (endless and value >= found[0])

    def prompt(self) -> str:
        label = OPERATIONS[self.mode].label.lower()
        return (f"This {label} turns a {self.input_size} × {self.input_size} input into a "
                f"{self.output_size} × {self.output_size} output. Which {self.symbol} does "
                f"that? Give it, or none if no {self.symbol} does.")

    def givens(self) -> tuple[tuple[str, str], ...]:
        values = dict(self.known)
        shown = [("n", str(self.input_size)), ("m", str(self.output_size))]
        for name in SYMBOLS:
            if name == self.unknown:
                shown.append((SYMBOLS[name], "?"))
            elif name in values:
                shown.append((SYMBOLS[name], str(values[name])))
        return tuple(shown)

    def check(self, answer: str | Iterable[str], tries: int = 0) -> Feedback:
        text = answer if isinstance(answer, str) else " ".join(answer)
        sym, m, steps = self.symbol, self.output_size, self.worked() if tries else ()
        if says_none(text):
            if not self.answers():
                return Feedback(True, f"Correct: no {sym} gives {m} × {m}.")
            return Feedback(False, f"Some {sym} does give {m} × {m}.", steps=steps)
        numbers = read_numbers(text)
        if len(numbers) != 1 or not whole(numbers):
            return not_an_answer(f"Type one whole number for {sym}, or none.")
        value = numbers[0]
        if self.accepts(value):
            return Feedback(True, f"Correct: {sym} = {value} gives {m} × {m}.")
        try:
            out = self.output_for(value)
        except ConvVizError as error:
            return Feedback(False, f"With {sym} = {value} the layer cannot run: {error}.",
                            steps=steps)
        trend = "grows" if GROWS[OPERATIONS[self.mode].formula, self.unknown] else "shrinks"
        return Feedback(False, f"With {sym} = {value} the output is {out} × {out}, not "
                        f"{m} × {m}. The output {trend} as {sym} grows.", steps=steps)

    def answer(self) -> str:
        found, sym = self.answers(), self.symbol
        if not found:
            return "none"
        if self.endless:
            return f"any {sym} ≥ {found[0]}"
        if len(found) == 1:
            return f"{sym} = {found[0]}"
        if len(found) == 2:
            return f"{sym} = {found[0]} or {found[1]}"
        return f"any {sym} from {found[0]} to {found[-1]}"

    def explanation(self) -> tuple[str, ...]:
        found, sym, m = self.answers(), self.symbol, self.output_size
        tried = []
        for value in self._shown_values():
            try:
                tried.append(f"{sym} = {value}: {self.output_for(value)}")
            except ConvVizError:
                continue
        each = "it gives" if len(found) == 1 and not self.endless else "each gives"
        head = (f"No {sym} gives {m} × {m}." if not found else
                f"So {self.answer()} ({each} {m} × {m}).")
        return (self.worked()[0], "Output sizes: " + ", ".join(tried),
                head)

    def _shown_values(self) -> list[int]:
        """The values the explanation tries: around the answers, or around where the size
        passes m."""
        found = self.answers()
        low = OPERATIONS[self.mode].minimum.get(self.unknown,
                                               0 if self.unknown == "padding" else 1)
        if found:
            return list(range(max(low, found[0] - 1), found[-1] + 2))[:7]
        near = low
        for value in range(low, self._bound() + 1):
            try:
                passed = (self.output_for(value) > self.output_size) != GROWS[
                    OPERATIONS[self.mode].formula, self.unknown]
            except ConvVizError:
                continue
            near = value
            if passed:
                break
        return list(range(max(low, near - 2), near + 2))

    def worked(self) -> tuple[str, ...]:
        v = {name: str(value) for name, value in self.values(0).items()}
        v[self.unknown] = self.symbol
        n, m, k, s, p, d = (str(self.input_size), str(self.output_size), v["kernel_size"],
                            v["stride"], v["padding"], v["dilation"])
        span = f"{d}·({k}{MINUS}1)"                          # every term of the general form
        if OPERATIONS[self.mode].transposed:
            return (f"{m} = ({n}{MINUS}1)·{s} {MINUS} 2·{p} + {span} + {v['output_padding']} "
                    f"+ 1",)
        return (f"{m} = ⌊({n} + 2·{p} {MINUS} {span} {MINUS} 1)/{s} + 1⌋",)

    def query(self) -> dict[str, str]:
        known = {SYMBOLS[name]: str(value) for name, value in self.known}
        return {"quiz": self.kind, "mode": self.mode, "n": str(self.input_size),
                "m": str(self.output_size), **known, "find": self.symbol}

    def pytorch(self) -> str:
        values = {name: str(value) for name, value in self.values(0).items()}
        values[self.unknown] = "?"
        args = ", ".join(f"{name}={value}" for name, value in values.items())
        m = self.output_size
        return torch_code(f"nn.{OPERATIONS[self.mode].torch}(1, 1, {args})",
                          f"{self.input_size}, {self.input_size}", f"{m}, {m}")

    @property
    def formula(self) -> str:
        return OPERATIONS[self.mode].formula

    @property
    def spec(self) -> ConvSpec | None:
        found = self.answers()
        return ConvSpec(mode=self.mode, input_size=self.input_size,
                        **self.values(found[0])) if found else None

    def figure(self) -> Drawn | None:
        """A direct convolution's first kernel position does not depend on its stride: the
        setup figure of a "find s" question gives nothing away (any other would)."""
        if self.unknown != "stride" or OPERATIONS[self.mode].transposed:
            return None
        return ("setup", ConvSpec(mode=self.mode, input_size=self.input_size,
                                  **self.values(1)), 0)

    @classmethod
    def from_query(cls, params: dict[str, str]) -> ParamQuestion:
        """The question a link spells out: ``mode n m``, the known ones of ``k s p d`` (and
        ``a``), and ``find`` (or leave exactly one of k, s, p out)."""
        mode = check_mode(params.get("mode", "conv"))
        op = OPERATIONS[mode]
        by_symbol = {sym: name for name, sym in SYMBOLS.items() if op.takes(name)}
        keys = {"op": "a"}
        given = {keys.get(key, key): text for key, text in params.items()}
        if "find" in given:
            unknown = by_symbol.get(given["find"])
            if unknown not in UNKNOWNS:
                raise ConvVizError(f"find must be one of k, s, p, d, got {given['find']!r}")
            if given["find"] in given:
                raise ConvVizError(f"find={given['find']} is given too: leave "
                                   f"{given['find']} out of the link")
        else:
            missing = [sym for sym in ("k", "s", "p") if sym not in given]
            if len(missing) != 1:
                raise ConvVizError(f"a param exercise leaves out one of k, s, p (or names it "
                                   f"with find=), got {len(missing)} left out")
            unknown = by_symbol[missing[0]]
        defaults = {name: FIELDS[name] for name in by_symbol.values()}
        known = tuple((name, parse_int(given[sym], sym, 0) if sym in given else defaults[name])
                      for sym, name in by_symbol.items() if name != unknown)
        for key in ("n", "m"):
            if key not in given:
                raise ConvVizError(f"a param exercise needs {key}, got none")
        return cls(mode, parse_int(given["n"], "n", 1), parse_int(given["m"], "m", 1),
                   unknown, known)
