"""Sets of exercises, as links set them: a kind (or a mix), a level and a seed, and where the
link spells one out, the question it starts with.

``?quiz=size&mode=conv&n=7&k=3&s=2&p=0`` is one question (then drawn ones);
``?quiz=size&level=2&seed=42`` is the drawn set a whole class shares; ``q=3`` is the third
question of the set. No link holds an answer.

>>> exercise, index = Exercise.from_query({"quiz": "size", "level": "2", "seed": "42",
...                                        "q": "3"})
>>> index, exercise.query(index)
(2, 'quiz=size&level=2&seed=42&q=3')
>>> Exercise.from_query({"quiz": "size", "mode": "conv", "n": "7", "k": "3", "s": "2",
...                      "p": "0"})[0].question(0).key()
'quiz=size&mode=conv&n=7&k=3&s=2&p=0'
"""
from __future__ import annotations

import random
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from ..ops.args import check_choice, parse_int
from .base import Question
from .cells import CellsQuestion
from .draw import LEVELS, draw
from .inverse import InverseQuestion
from .param import ParamQuestion
from .size import SizeQuestion

KINDS: dict[str, type[Question]] = {"size": SizeQuestion, "cells": CellsQuestion,
                                    "param": ParamQuestion, "inverse": InverseQuestion}
"""Each kind of exercise by its link name."""
MIX = "mix"
"""A set that takes the kinds in turn."""
CHOICES = (*KINDS, MIX)
MAX_SEED = 999_999
MAX_QUESTION = 999
REPEATS = 50
"""How often a set draws again rather than repeat a question."""
SPELLED = {"size": "n", "cells": "n", "param": "n", "inverse": "m"}
"""The key whose presence says that a link spells a question out."""


class _Stream:
    """The questions of one (kind, level, seed), drawn in order as far as asked for."""

    def __init__(self, kind: str, level: int, seed: int) -> None:
        self.kind, self.level = kind, level
        self.random = random.Random(f"convviz-quiz:{kind}:{level}:{seed}")
        self.questions: list[Question] = []
        self.seen: set[str] = set()
        self.lock = threading.Lock()

    def upto(self, count: int) -> list[Question]:
        """The first ``count`` questions (drawing the missing ones; a question drawn before
        is drawn again, up to :data:`REPEATS` times in a row)."""
        with self.lock:
            again = 0
            while len(self.questions) < count:
                kind = (tuple(KINDS)[len(self.questions) % len(KINDS)] if self.kind == MIX
                        else self.kind)
                question = draw(kind, self.level, self.random)
                if question.key() in self.seen and again < REPEATS:
                    again += 1
                    continue
                again = 0
                self.seen.add(question.key())
                self.questions.append(question)
            return self.questions[:count]


@lru_cache(maxsize=64)
def _stream(kind: str, level: int, seed: int) -> _Stream:
    return _Stream(kind, level, seed)


def question_set(kind: str, level: int, seed: int, count: int) -> tuple[Question, ...]:
    """The first ``count`` questions drawn for ``kind`` (or ``"mix"``: the kinds in turn),
    ``level`` and ``seed``; the same for everyone, no question twice (while the level has
    enough of them)."""
    check_choice(kind, "quiz", CHOICES)
    check_choice(level, "level", tuple(LEVELS))
    return tuple(_stream(kind, level, seed).upto(count))


@dataclass(frozen=True)
class Exercise:
    """A set of questions: drawn ones of ``kind``, ``level`` and ``seed``, after ``first``
    (the question a link spells out) where there is one."""

    kind: str = MIX
    level: int = 1
    seed: int = 0
    first: Question | None = None

    def __post_init__(self) -> None:
        check_choice(self.kind, "quiz", CHOICES)
        parse_int(str(self.level), "level", min(LEVELS), max(LEVELS))
        parse_int(str(self.seed), "seed", 0, MAX_SEED)

    def question(self, index: int) -> Question:
        """Question ``index`` (from 0) of the set."""
        parse_int(str(index + 1), "q", 1, MAX_QUESTION)
        if self.first is not None:
            if index == 0:
                return self.first
            index -= 1
        return question_set(self.kind, self.level, self.seed, index + 1)[index]

    def query(self, index: int = 0) -> str:
        """The link to question ``index`` of this set (no answer in it)."""
        keys = dict(self.first.query()) if self.first is not None else {"quiz": self.kind}
        if self.first is None or self.level != 1:
            keys["level"] = str(self.level)
        if self.first is None or self.seed:
            keys["seed"] = str(self.seed)
        if index:
            keys["q"] = str(index + 1)
        return "&".join(f"{key}={value}" for key, value in keys.items())

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> tuple[Exercise, int]:
        """The set a link describes and the index of its question ``q`` (ConvVizError for
        a link that cannot work)."""
        params = {key: value[-1] if isinstance(value, list) else str(value)
                  for key, value in params.items()}
        kind = check_choice(params.get("quiz", ""), "quiz", CHOICES)
        level = parse_int(params.get("level", "1"), "level", min(LEVELS), max(LEVELS))
        seed = parse_int(params.get("seed", "0"), "seed", 0, MAX_SEED)
        index = parse_int(params.get("q", "1"), "q", 1, MAX_QUESTION) - 1
        first = None
        if kind != MIX and SPELLED[kind] in params:
            first = KINDS[kind].from_query(params)
        return cls(kind, level, seed, first), index
