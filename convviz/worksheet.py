"""Worksheets: a set of exercises as a PDF to print, and its answer key as a second PDF.

Each question is a block: its number and kind, the question, the numbers it gives, the
general formula where it asks for a size, its figure (the output or the kernel left out;
:mod:`convviz.figures.question`) and a line for the answer. The key repeats each block with
the answer, the worked formula and the classic figure that shows it. A4 pages, drawn with
matplotlib's ``Figure`` (no pyplot), without dates, so one set gives the same bytes.

>>> from convviz.quiz import Exercise
>>> pdf = sheet(Exercise("size", 1, 42), 2)
>>> pdf[:5], pdf == sheet(Exercise("size", 1, 42), 2)
(b'%PDF-', True)
"""
from __future__ import annotations

import io
import os
import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import export, views
from .ops.args import check_int
from .quiz import Exercise, Question
from .quiz.draw import LEVELS
from .views import View

PAGE_IN = (8.27, 11.69)
"""A4, width by height, in inches."""
MARGIN_IN = 0.7
FIGURE_IN = (2.6, 2.7)
"""The largest a question's figure is printed, width by height (it keeps its proportions)."""
DPI = 150
"""Frames are printed at the references' resolution: one pixel is 1/150 inch."""
LINE_IN = 0.2
WRAP = 62
"""Characters per line of a question's text beside its figure (WRAP_WIDE without one)."""
WRAP_WIDE = 92
MAX_COUNT = 100
GENERAL = {"conv": "m = ⌊(n + 2p − d·(k−1) − 1)/s + 1⌋",
           "transposed": "m = (n−1)·s − 2p + d·(k−1) + a + 1,  p = d·(k−1) − p_t"}
"""The general formula a question shows (not "which cells"), by its output-size relation."""


@dataclass(frozen=True)
class Block:
    """One question as the page prints it: ``lines`` of text (the first is its heading) and
    its figure as RGB ``(H, W, 3)`` uint8, or None."""

    lines: tuple[str, ...]
    image: np.ndarray | None

    @property
    def height_in(self) -> float:
        text = (len(self.lines) + 2) * LINE_IN
        return max(text, _shown_size(self.image)[1] + LINE_IN if self.image is not None else 0)


def _shown_size(image: np.ndarray) -> tuple[float, float]:
    """Width and height in inches a figure is printed at."""
    height, width = image.shape[:2]
    scale = min(1.0, FIGURE_IN[0] * DPI / width, FIGURE_IN[1] * DPI / height)
    return width * scale / DPI, height * scale / DPI


def _image(drawn) -> np.ndarray | None:
    """The RGB frame of ``(style, spec, frame)``, or None."""
    if drawn is None:
        return None
    style, spec, index = drawn
    return views.frame(View(spec, style=style), index)


def _wrapped(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width) or [""]


def question_block(number: int, question: Question) -> Block:
    """The block of question ``number`` on the worksheet: no answer in it."""
    image = _image(question.figure())
    width = WRAP if image is not None else WRAP_WIDE
    lines = [f"{number}. {question.title}", *_wrapped(question.prompt(), width)]
    lines.append("   ".join(f"{symbol} = {value}" for symbol, value in question.givens()))
    if question.kind != "cells":
        lines.append(GENERAL[question.formula])
    if question.kind == "cells":
        lines.append("Shade the input cells it reads (the dark output cell is asked about).")
    lines.append("Answer: " + "_" * 40)
    return Block(tuple(lines), image)


def answer_block(number: int, question: Question) -> Block:
    """The block of question ``number`` in the answer key: the answer, the worked formula
    and the classic figure that shows it."""
    image = _image(question.answer_figure())
    width = WRAP if image is not None else WRAP_WIDE
    lines = [f"{number}. {question.title}", *_wrapped(f"Answer: {question.answer()}", width)]
    for line in question.explanation():
        lines += _wrapped(line, width)
    return Block(tuple(lines), image)


def _pages(blocks: Sequence[Block]) -> Iterator[list[tuple[float, Block]]]:
    """The blocks page by page, each with its top (inches from the page's top)."""
    top, page = MARGIN_IN + 1.0, []
    for block in blocks:
        if page and top + block.height_in > PAGE_IN[1] - MARGIN_IN:
            yield page
            top, page = MARGIN_IN, []
        page.append((top, block))
        top += block.height_in + 0.25
    if page:
        yield page


def _draw_page(fig, placed: list[tuple[float, Block]]) -> None:
    """Put the blocks on ``fig`` (a page), text on the left and the figure on the right."""
    w, h = PAGE_IN
    for top, block in placed:
        for i, line in enumerate(block.lines):
            fig.text(MARGIN_IN / w, 1 - (top + i * LINE_IN) / h, line, va="top",
                     fontsize=11 if i == 0 else 9.5, weight="bold" if i == 0 else "normal",
                     family="DejaVu Sans")
        if block.image is not None:
            shown_w, shown_h = _shown_size(block.image)
            ax = fig.add_axes(((w - MARGIN_IN - shown_w) / w, 1 - (top + shown_h) / h,
                               shown_w / w, shown_h / h))
            ax.imshow(block.image, interpolation="antialiased")
            ax.set_axis_off()
        fig.add_artist(_rule(fig, top + block.height_in + 0.1))


def _rule(fig, at_in: float):
    from matplotlib.lines import Line2D

    w, h = PAGE_IN
    y = 1 - at_in / h
    return Line2D([MARGIN_IN / w, 1 - MARGIN_IN / w], [y, y], transform=fig.transFigure,
                  color="#e6dfc8", linewidth=0.8)


def _pdf(title: str, about: Sequence[str], blocks: Sequence[Block]) -> bytes:
    """The blocks as a PDF of A4 pages under a title and lines ``about`` it."""
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    buffer, (w, h) = io.BytesIO(), PAGE_IN
    pages = list(_pages(blocks))
    with PdfPages(buffer, metadata={"CreationDate": None, "Creator": "convviz",
                                    "Title": title}) as pdf:
        for number, placed in enumerate(pages, start=1):
            fig = Figure(figsize=PAGE_IN, dpi=DPI)
            if number == 1:
                fig.text(MARGIN_IN / w, 1 - MARGIN_IN / h, title, va="top", fontsize=16,
                         weight="bold")
                for i, line in enumerate(about):
                    fig.text(MARGIN_IN / w, 1 - (MARGIN_IN + 0.36 + i * 0.17) / h, line,
                             va="top", fontsize=9, color="#586e75")
            fig.text(1 - MARGIN_IN / w, 0.4 / h, f"{number} / {len(pages)}", ha="right",
                     fontsize=8, color="#586e75")
            _draw_page(fig, placed)
            pdf.savefig(fig)
    return buffer.getvalue()


def _about(exercise: Exercise, count: int) -> list[str]:
    kinds = "all four kinds" if exercise.kind == "mix" else f"{exercise.kind} questions"
    return [f"{count} questions, {kinds}, level {exercise.level}: "
            f"{LEVELS[exercise.level]}.",
            f"The same set in the app: add ?{exercise.query()} to its address."]


def questions(exercise: Exercise, count: int) -> list[Question]:
    """The first ``count`` questions of ``exercise``."""
    check_int(count, "count", 1, MAX_COUNT)
    return [exercise.question(i) for i in range(count)]


def sheet(exercise: Exercise, count: int) -> bytes:
    """The worksheet of the first ``count`` questions of ``exercise``, as PDF bytes."""
    blocks = [question_block(i, q) for i, q in enumerate(questions(exercise, count), 1)]
    return _pdf("Convolution arithmetic: exercises", _about(exercise, count) +
                ["Name: ______________________   Date: ____________"], blocks)


def key(exercise: Exercise, count: int) -> bytes:
    """The answer key of :func:`sheet`, as PDF bytes."""
    blocks = [answer_block(i, q) for i, q in enumerate(questions(exercise, count), 1)]
    return _pdf("Convolution arithmetic: answers", _about(exercise, count), blocks)


def answers_path(path: str | os.PathLike) -> Path:
    """Where the key of a worksheet at ``path`` goes by default: ``sheet-answers.pdf``."""
    path = Path(path)
    return path.with_name(f"{path.stem}-answers{path.suffix}")


def save(exercise: Exercise, count: int, path: str | os.PathLike,
         answers: str | os.PathLike | None = None) -> tuple[Path, Path]:
    """Write the worksheet to ``path`` and its key to ``answers`` (default
    :func:`answers_path`), both ``.pdf``; returns both paths."""
    export.format_of(path, ("pdf",))
    answers = answers_path(path) if answers is None else Path(answers)
    export.format_of(answers, ("pdf",))
    return (export.write_bytes(sheet(exercise, count), path),
            export.write_bytes(key(exercise, count), answers))
