"""Which cells: an output cell is marked, the student chooses the input cells it reads (on the
figure, by the names the player gives its cells: ``x[1,2]``); each chosen cell is checked.

For a transposed convolution "reads" means what the drawn figure shows, the conv_arithmetic
way: the input cells under the flipped kernel's window on the stretched input, which are
the cells whose stamps the output cell sums (:func:`convviz.links.links`).

>>> q = CellsQuestion(ConvSpec(input_size=5, kernel_size=3, stride=2, padding=1), (1, 1))
>>> q.prompt()
'Which input cells does y[1,1] read?'
>>> q.check(["x[1,1]", "x[0,0]"]).message
'x[0,0] is not read by y[1,1]; 8 cells it reads are not chosen yet.'
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import parse_qsl

from ..errors import ConvVizError
from ..links import links
from ..ops.args import check_int, parse_ints
from ..ops.spec import ConvSpec
from ..text import show, size_text
from .base import (
    RIGHT,
    WRONG,
    Drawn,
    Feedback,
    Question,
    check_spec,
    not_an_answer,
    plural,
    torch_code,
    words,
)

MOST_INPUT, MOST_OUTPUT = 24, 40
"""The largest input and output sides of a cells exercise (cells small enough to point at)."""
CONV_RULE = ("Output cell y[r,c] reads input rows r·s − p + i·d for i = 0 … k−1 (rows outside "
             "the input are padding), and columns c·s − p + j·d alike.")
TRANSPOSED_RULE = ("Input cell x[i,j] stamps output rows i·s − p + t·d for t = 0 … k−1, and "
                   "columns alike; y[r,c] reads every x whose stamp covers it.")


def cell_name(prefix: str, cell: tuple[int, int]) -> str:
    """``'x[1,2]'``: the name the figures give a cell."""
    return f"{prefix}[{cell[0]},{cell[1]}]"


@dataclass(frozen=True)
class CellsQuestion(Question):
    """Which input cells does output cell ``cell`` of ``config`` read?"""

    config: ConvSpec
    cell: tuple[int, int]
    kind = "cells"
    title = "Which cells"
    answer_help = "choose the input cells on the figure"

    def __post_init__(self) -> None:
        spec = check_spec(self.config)
        if spec.transposed and min(spec.actual_padding) < 0:
            most = tuple(d * (k - 1) for k, d in zip(spec.kernel_size, spec.dilation))
            raise ConvVizError(f"a cells exercise draws every input cell: padding must be <= "
                               f"d*(k-1) = {show(most)}, got {show(spec.padding)}")
        if max(spec.input_size) > MOST_INPUT or max(spec.output_size) > MOST_OUTPUT:
            raise ConvVizError(f"a cells exercise has at most {MOST_INPUT} input and "
                               f"{MOST_OUTPUT} output cells a side to choose from, got "
                               f"{size_text(spec.input_size)} -> {size_text(spec.output_size)}")
        (rows, cols), (r, c) = spec.output_size, self.cell
        check_int(r, "cell row", 0, rows - 1)
        check_int(c, "cell column", 0, cols - 1)

    @property
    def formula(self) -> str:
        return self.config.operation.formula

    @property
    def spec(self) -> ConvSpec:
        return self.config

    @property
    def frame(self) -> int:
        """The frame of the figures that computes (or marks) the output cell asked about."""
        return self.cell[0] * self.config.output_size[1] + self.cell[1]

    def figure(self) -> Drawn:
        return ("cells", self.config, self.frame)

    def answer_figure(self) -> Drawn:
        return ("classic", self.config, self.frame)

    @property
    def target(self) -> str:
        """The output cell asked about, ``'y[1,1]'``."""
        return cell_name("y", self.cell)

    @cached_property
    def read(self) -> tuple[str, ...]:
        """The input cells the output cell reads, row-major: the answer."""
        return tuple(cell_name("x", cell) for cell in links(self.config).reads(*self.cell))

    @property
    def padding_taps(self) -> int:
        """How many of the kernel's taps land on padding (or inserted zeros) here."""
        found = links(self.config)
        return found.kernel_taps - int(found.taps[self.cell])

    def prompt(self) -> str:
        return f"Which input cells does {self.target} read?"

    def givens(self) -> tuple[tuple[str, str], ...]:
        spec = self.config
        shown = [("n", show(spec.input_size)), ("k", show(spec.kernel_size)),
                 ("s", show(spec.stride)), ("p", show(spec.padding)), ("d", show(spec.dilation))]
        if spec.transposed:
            shown.append(("a", show(spec.output_padding)))
        return (*shown, ("output", size_text(spec.output_size)), ("cell", self.target))

    def check(self, answer: str | Iterable[str], tries: int = 0) -> Feedback:
        chosen = _names(answer)
        if not chosen:
            return not_an_answer("Choose the input cells on the figure first.")
        right = [name for name in chosen if name in self.read]
        wrong = [name for name in chosen if name not in self.read]
        missed = len(self.read) - len(right)
        marks = tuple((name, RIGHT if name in self.read else WRONG) for name in chosen)
        if not wrong and not missed:
            return Feedback(True, f"Correct: {self.target} reads these "
                            f"{plural(len(right), 'input cell')}.", marks=marks)
        parts = []
        if wrong:
            parts.append(f"{words(wrong)} {'is' if len(wrong) == 1 else 'are'} not read by "
                         f"{self.target}")
        if missed:
            parts.append(f"{plural(missed, 'cell')} it reads {'is' if missed == 1 else 'are'} "
                         f"not chosen yet")
        message = "; ".join(parts) + "."
        if not wrong:
            message = f"Every cell you chose is read by {self.target}, but " + message
        return Feedback(False, message, marks=marks, steps=self.worked() if tries else ())

    def answer(self) -> str:
        return f"{self.target} reads {words(self.read)}"

    def explanation(self) -> tuple[str, ...]:
        pads = self.padding_taps
        where = "inserted zeros or padding" if self.config.transposed else "padding"
        extra = f", and {plural(pads, f'{where} cell')}" if pads else ""
        return (self.worked()[0],
                f"It reads {plural(len(self.read), 'input cell')}{extra}.")

    def worked(self) -> tuple[str, ...]:
        return (TRANSPOSED_RULE if self.config.transposed else CONV_RULE,)

    def query(self) -> dict[str, str]:
        return {"quiz": self.kind, **dict(parse_qsl(self.config.to_query())),
                "cell": f"{self.cell[0]},{self.cell[1]}"}

    def pytorch(self) -> str:
        spec = self.config
        return torch_code(spec.torch_line(), ", ".join(map(str, spec.input_size)),
                          ", ".join(map(str, spec.output_size)))

    @classmethod
    def from_query(cls, params: dict[str, str]) -> CellsQuestion:
        """The question a link spells out: the spec's keys and ``cell=r,c`` (the output cell;
        the middle one when not given)."""
        spec = ConvSpec.from_query(params)
        if "cell" in params:
            cell = parse_ints(params["cell"], "cell", 2)
            cell = (cell, cell) if isinstance(cell, int) else cell
        else:
            cell = tuple(size // 2 for size in spec.output_size)
        return cls(spec, cell)


def _names(answer: str | Iterable[str]) -> list[str]:
    """The cell names chosen, each once, in order (``'x[1,2] x[0,0]'`` or a list)."""
    items = answer.replace(";", " ").split() if isinstance(answer, str) else list(answer)
    return list(dict.fromkeys(str(item).replace(" ", "") for item in items if item))
