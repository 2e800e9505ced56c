"""What every exercise shares: the question interface, the feedback a check gives, and how a
typed answer is read.

A :class:`Question` knows its answer and never shows it before :meth:`Question.answer` or
:meth:`Question.explanation` is asked for: its :meth:`~Question.prompt`,
:meth:`~Question.givens`, :meth:`~Question.worked` and :meth:`~Question.query` hold no
result, so a page can show them before the answer is revealed.

>>> read_numbers("3 × 4"), read_numbers("(5, 5)"), read_numbers("2.5")
((3, 4), (5, 5), (2.5,))
>>> says_none("No answer"), says_none("0")
(True, False)
"""
from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from ..errors import ConvVizError
from ..ops.args import parse_int
from ..ops.spec import ConvSpec
from ..ops.table import OPERATIONS
from ..text import MINUS

NONE_WORDS = ("none", "no", "no answer", "nothing", "impossible", "no solution", "-", "—",
              "∅")
"""What a student may type for "no answer exists"."""
RIGHT, WRONG = "right", "wrong"
"""Marks of a chosen cell or a given pair."""
Drawn = tuple[str, ConvSpec, int]
"""A figure to draw: ``(style, spec, frame)``, e.g. ``("setup", spec, 0)``."""
MAX_NUMBER = 10_000
"""Typed numbers above this are not read as sizes (no figure has them)."""


@dataclass(frozen=True)
class Feedback:
    """What checking one answer says.

    Attributes
    ----------
    correct : bool
    message : str
        One line: ``"Correct: …"``, or the likely mistake by name.
    counted : bool
        False when the text was not an answer at all (nothing typed, no number): it is not
        a try, and the message says what to type.
    marks : tuple of (str, str)
        ``(name, "right" | "wrong")`` of every cell chosen (``x[1,2]``) or pair given
        (``n=4, a=1``), checked one by one.
    steps : tuple of str
        After a wrong try: the worked formula with its numbers in and the result left as
        ``?``; empty otherwise.
    """

    correct: bool
    message: str
    counted: bool = True
    marks: tuple[tuple[str, str], ...] = ()
    steps: tuple[str, ...] = ()


def torch_code(layer: str, input_size: str, output_size: str) -> str:
    """Three lines of PyTorch: the layer, a call on one input, the output's shape."""
    return (f"layer = {layer}\ny = layer(torch.randn(1, 1, {input_size}))\n"
            f"y.shape  # torch.Size([1, 1, {output_size}])")


def not_an_answer(message: str) -> Feedback:
    """The feedback to text that is no answer: not a try."""
    return Feedback(False, message, counted=False)


class Question(ABC):
    """One exercise: a configuration, what is asked about it, and how to check an answer.

    Subclasses are frozen dataclasses and set ``kind`` (their link name) and ``title``.
    """

    kind: ClassVar[str]
    title: ClassVar[str]
    answer_help: ClassVar[str] = ""
    """How to type an answer, for the answer box."""

    @abstractmethod
    def prompt(self) -> str:
        """The question in one or two sentences (no answer in it)."""

    @abstractmethod
    def givens(self) -> tuple[tuple[str, str], ...]:
        """``(symbol, value)`` of every number the question gives (``("n", "7")``), the
        unknown as ``"?"``."""

    @abstractmethod
    def check(self, answer: str | Iterable[str], tries: int = 0) -> Feedback:
        """Check a typed answer (or the names of the cells chosen); ``tries`` is how many
        wrong answers came before this one (from the first, the feedback adds the worked
        formula)."""

    @abstractmethod
    def answer(self) -> str:
        """The answer, in a few words."""

    @abstractmethod
    def explanation(self) -> tuple[str, ...]:
        """The worked answer, line by line, its numbers filled in."""

    @abstractmethod
    def worked(self) -> tuple[str, ...]:
        """The formula with the question's numbers in and the unknown left as ``?``."""

    @abstractmethod
    def query(self) -> dict[str, str]:
        """The link keys that spell this question out (``quiz`` included)."""

    @property
    @abstractmethod
    def formula(self) -> str:
        """Its output-size relation, a key of :data:`convviz.ops.formula.FORMULAS`."""

    @property
    @abstractmethod
    def spec(self) -> ConvSpec | None:
        """The configuration to draw once the answer is out (a solution's, where the
        question has one), or None."""

    def figure(self) -> Drawn | None:
        """The figure the question is asked with, as ``(style, spec, frame)`` (an exercise
        style of :mod:`convviz.figures.question`), or None where any figure would give the
        answer away."""
        return None

    def answer_figure(self) -> Drawn | None:
        """The classic figure that shows the answer, as ``(style, spec, frame)``, or None
        where no configuration is the answer."""
        spec = self.spec
        return None if spec is None else ("classic", spec, 0)

    @abstractmethod
    def pytorch(self) -> str:
        """The layer and its input in PyTorch, the unknowns (and the result) as ``?``."""

    def key(self) -> str:
        """A text that identifies the question (its link)."""
        return "&".join(f"{k}={v}" for k, v in self.query().items())


MODES = tuple(name for name, op in OPERATIONS.items() if op.formula in ("conv", "transposed")
              and op.weights and op.layout is None and not op.channels and not op.stages)
"""The modes exercises ask about: 2-D convolutions of one channel (conv, transposed,
dilated), read off the operation table."""


def check_mode(mode: str) -> str:
    """``mode``, or the refusal when exercises do not ask about it (:data:`MODES`)."""
    if mode not in MODES:
        raise ConvVizError(f"mode must be one of {', '.join(MODES)} in an exercise, "
                           f"got {mode!r}")
    return mode


def check_spec(spec: ConvSpec) -> ConvSpec:
    """``spec``, or the refusal when an exercise cannot ask about it: its mode
    (:data:`MODES`), one channel in and out, PyTorch's convention and zero padding (the
    hints and formulas are PyTorch's)."""
    check_mode(spec.mode)
    if (spec.in_channels, spec.out_channels) != (1, 1):
        raise ConvVizError(f"an exercise has one channel in and out, got cin="
                           f"{spec.in_channels}, cout={spec.out_channels}")
    if spec.convention != "pytorch" or spec.padding_mode != "zeros":
        raise ConvVizError(f"an exercise uses PyTorch's convention and zero padding, got "
                           f"convention {spec.convention!r}, padding_mode "
                           f"{spec.padding_mode!r}")
    return spec


def read_numbers(text: str) -> tuple[float | int, ...]:
    """The numbers in a typed answer (ints where whole): ``'3 × 4'`` -> ``(3, 4)``.
    Commas, ``x``, ``×``, ``*``, spaces and brackets separate; ``.`` is the decimal point."""
    found = re.findall(r"[-\u2212]?\d+(?:\.\d+)?", text or "")
    numbers = []
    for item in found:
        value = float(item.replace(MINUS, "-"))
        numbers.append(int(value) if value == int(value) else value)
    return tuple(numbers)


def says_none(text: str) -> bool:
    """True when ``text`` says that no answer exists."""
    words = re.sub(r"[.!\s]+", " ", (text or "").strip().lower()).strip()
    return words in NONE_WORDS


def whole(numbers: Sequence[float | int]) -> bool:
    """True when every number is a whole number in 0..MAX_NUMBER."""
    return all(isinstance(v, int) and 0 <= v <= MAX_NUMBER for v in numbers)


def plural(count: int, word: str) -> str:
    """``'1 cell'``, ``'3 cells'``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def words(items: Sequence[str]) -> str:
    """``'a'``, ``'a and b'``, ``'a, b and c'``."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def one_int(params: Mapping[str, str], key: str, low: int, high: int | None = None) -> int:
    """The int a link gives for ``key``, in ``low..high`` (the one range message)."""
    return parse_int(params[key], key, low, high)
