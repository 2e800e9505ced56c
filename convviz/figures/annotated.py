"""Figures for notes: the title, the filled-in formula, the legend and the step's arithmetic
around a figure.

:func:`notes_of` gathers what a reader needs beside a figure (:class:`Notes`); :func:`plan`
places it around the figure in pixels (:class:`Page`), one layout for both renderings:
:class:`AnnotatedFigure` composes it into every frame as palette indices (GIF, MP4, the
player) with the text in the figure's own colours, and
:func:`convviz.figures.vector.annotated_page` draws it as true vector text around the figure
for SVG, PDF and print PNGs.

>>> from convviz.figures import ClassicFigure
>>> fig = AnnotatedFigure(ClassicFigure(ConvSpec(input_size=5, stride=2, padding=1)))
>>> fig.notes.title
'Convolution: n = 5, k = 3, s = 2, p = 1; output 3 × 3'
>>> fig.notes.steps[4][0], fig.frame_count
('Step 5 of 9', 9)
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from PIL import Image, ImageDraw

from ..ops.formula import output_formula
from ..ops.spec import ConvSpec
from ..text import show, size_text
from .base import Caption, Figure, Swatch
from .cells import font
from .style import LINE, WHITE, blend

TITLE_PX, TEXT_PX = 24, 18
"""Font sizes in pixels (1 px = 1/150 inch: 11.5 pt and 8.6 pt on paper)."""
MARGIN_PX, GAP_PX, SWATCH_PX = 22, 12, 16
MAX_WIDTH_PX = 1200
"""Text wraps to the figure's width, or this, whichever is wider."""


def title(spec: ConvSpec) -> str:
    """The figure's title: its operation, its numbers and its output size.

    >>> title(ConvSpec(mode="separable", in_channels=3, out_channels=4))
    'Depthwise-separable convolution: n = 5, k = 3, s = 1, p = 0, 3 → 4 channels; output 3 × 3'
    """
    def value(name: str) -> str:                       # a 1-D spec's sizes are lengths
        v = getattr(spec, name)
        return v if isinstance(v, str) else str(v[-1]) if spec.dims == 1 else show(v)

    parts = [f"{symbol} = {value(name)}" for name, symbol in
             (("input_size", "n"), ("kernel_size", "k"), ("stride", "s"), ("padding", "p"))]
    for name, symbol, unset in (("dilation", "d", (1, 1)), ("output_padding", "a", (0, 0))):
        if spec.operation.takes(name) and getattr(spec, name) != unset:
            parts.append(f"{symbol} = {value(name)}")
    if spec.in_channels > 1 or spec.out_channels > 1:
        parts.append(f"{spec.in_channels} → {spec.out_channels} channels")
    if spec.groups > 1 and "groups" not in spec.operation.fixed:
        parts.append(f"{spec.groups} groups")
    out = str(spec.output_size[-1]) if spec.dims == 1 else size_text(spec.output_size)
    return f"{spec.operation.label}: {', '.join(parts)}; output {out}"


@dataclass(frozen=True)
class Notes:
    """What a figure for notes says: ``title``, ``formula`` (the general form, then the
    filled-in lines), ``legend``, and per frame its ``steps`` lines (``"Step 5 of 9"``,
    then the caption's lines)."""

    title: str
    formula: tuple[str, ...]
    legend: tuple[Swatch, ...]
    steps: tuple[tuple[str, ...], ...]


def step_lines(caption: Caption, index: int, count: int) -> tuple[str, ...]:
    """``"Step i of n"`` (counted from 1) and the caption's lines."""
    return (f"Step {index + 1} of {count}", *str(caption).split("\n"))


def notes_of(figure: Figure, *, given: str = "p") -> Notes:
    """The notes of ``figure``; ``given`` says which padding the user gave a transposed
    convolution (:func:`~convviz.ops.formula.output_formula`)."""
    formula = output_formula(figure.spec, given=given)
    captions = figure.captions()
    return Notes(title(figure.spec), (formula.symbolic_text, *formula.text), figure.legend(),
                 tuple(step_lines(c, i, len(captions)) for i, c in enumerate(captions)))


def wrap(text: str, size_px: int, width_px: int) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width_px`` (a word wider than
    that stays whole)."""
    lines, face = [], font(size_px)
    for word in text.split(" "):
        if lines and face.getlength(f"{lines[-1]} {word}") <= width_px:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


@dataclass(frozen=True)
class Page:
    """Where everything stands, in pixels: ``size`` (H, W); ``figure`` (x, y) of the figure's
    top-left; ``header`` lines ``(text, x, y, size_px, bold)``; ``swatches`` ``(swatch, x,
    y)`` (a square, its label to the right); ``steps`` per frame its wrapped lines and
    ``steps_y`` where they start; the text and swatch sizes and the margin."""

    size: tuple[int, int]
    figure: tuple[int, int]
    header: tuple[tuple[str, int, int, int, bool], ...]
    swatches: tuple[tuple[Swatch, int, int], ...]
    steps: tuple[tuple[str, ...], ...]
    steps_y: int
    text_px: int = TEXT_PX
    swatch_px: int = SWATCH_PX
    margin_px: int = MARGIN_PX


def _legend_rows(legend: tuple[Swatch, ...], width: int) -> list[list[Swatch]]:
    rows, used, face = [[]], 0, font(TEXT_PX)
    for swatch in legend:
        need = SWATCH_PX + 6 + face.getlength(swatch.label) + 18
        if rows[-1] and used + need > width:
            rows.append([])
            used = 0
        rows[-1].append(swatch)
        used += need
    return [row for row in rows if row]


def plan(figure_size: tuple[int, int], notes: Notes) -> Page:
    """The page of a figure ``figure_size`` (H, W) with ``notes`` around it."""
    fh, fw = figure_size
    text_w = max([font(TITLE_PX, True).getlength(notes.title)] +
                 [font(TEXT_PX).getlength(line) for line in notes.formula])
    width = int(min(max(fw, text_w), MAX_WIDTH_PX))
    header, y = [], MARGIN_PX
    for line in wrap(notes.title, TITLE_PX, width):
        header.append((line, MARGIN_PX, y, TITLE_PX, True))
        y += round(1.35 * TITLE_PX)
    y += GAP_PX // 2
    for line in notes.formula:
        header.append((line, MARGIN_PX, y, TEXT_PX, False))
        y += round(1.4 * TEXT_PX)
    at = (MARGIN_PX + (width - fw) // 2, y + GAP_PX)
    y = at[1] + fh + GAP_PX
    swatches, face = [], font(TEXT_PX)
    for row in _legend_rows(notes.legend, width):
        x = MARGIN_PX
        for swatch in row:
            swatches.append((swatch, x, y))
            x += SWATCH_PX + 6 + round(face.getlength(swatch.label)) + 18
        y += round(1.5 * TEXT_PX)
    steps = tuple(tuple(part for line in lines for part in wrap(line, TEXT_PX, width))
                  for lines in notes.steps)
    height = y + GAP_PX + max(len(s) for s in steps) * round(1.4 * TEXT_PX) + MARGIN_PX
    return Page((height, width + 2 * MARGIN_PX), at, tuple(header), tuple(swatches), steps,
                y + GAP_PX)


class AnnotatedFigure(Figure):
    """``inner`` with its notes around every frame (palette indices of ``inner``'s colours)."""

    def __init__(self, inner: Figure, *, given: str = "p") -> None:
        self.inner, self.spec, self.numbers = inner, inner.spec, inner.numbers
        self.scheme, self.frame_count = inner.scheme, inner.frame_count
        self.kind, self.per, self.vector = f"annotated {inner.kind}", inner.per, inner.vector
        self.notes = notes_of(inner, given=given)
        self.page = plan(inner.size, self.notes)

    @classmethod
    def count(cls, spec: ConvSpec) -> int:          # pragma: no cover - the inner's count
        raise NotImplementedError

    @classmethod
    def _check(cls, spec: ConvSpec) -> None:        # pragma: no cover - the inner checked
        raise NotImplementedError

    @property
    def palette(self) -> np.ndarray:
        return self.inner.palette

    @property
    def size(self) -> tuple[int, int]:
        return self.page.size

    @cached_property
    def _ink(self) -> np.ndarray:
        """Palette index of text at each coverage 0..255 (the nearest of the figure's own
        colours to line ink over white)."""
        want = np.array([blend(WHITE, LINE, a / 255) for a in range(256)], float)
        return _nearest(self.palette, want)

    @cached_property
    def _base(self) -> np.ndarray:
        """The page without the figure and the step: header and legend."""
        h, w = self.page.size
        image = Image.new("L", (w, h), 0)
        draw = ImageDraw.Draw(image)
        for text, x, y, size, bold in self.page.header:
            draw.text((x, y), text, fill=255, font=font(size, bold))
        boxes = []
        for swatch, x, y in self.page.swatches:
            draw.text((x + SWATCH_PX + 6, y), swatch.label, fill=255, font=font(TEXT_PX))
            boxes.append((swatch, (x, y + 2, x + SWATCH_PX, y + 2 + SWATCH_PX)))
        base = self._ink[np.asarray(image)]
        for swatch, (x0, y0, x1, y1) in boxes:
            base[y0:y1, x0:x1] = _nearest(self.palette, np.array([swatch.rgb], float))[0]
            outline = Image.new("L", (x1 - x0, y1 - y0), 0)
            _outline(ImageDraw.Draw(outline), x1 - x0, swatch.mark)
            mask = np.asarray(outline) > 0
            base[y0:y1, x0:x1][mask] = self._ink[255]
        return base

    def frame(self, index: int) -> np.ndarray:
        index = self.check_frame(index)
        out = self._base.copy()
        x, y = self.page.figure
        inner = self.inner.frame(index)
        out[y:y + inner.shape[0], x:x + inner.shape[1]] = inner
        h, w = self.page.size
        top = self.page.steps_y
        image = Image.new("L", (w, h - top), 0)
        draw = ImageDraw.Draw(image)
        for i, line in enumerate(self.page.steps[index]):
            draw.text((MARGIN_PX, i * round(1.4 * TEXT_PX)), line, fill=255,
                      font=font(TEXT_PX, bold=i == 0))
        out[top:] = np.where(np.asarray(image) > 0, self._ink[np.asarray(image)], out[top:])
        return out

    def captions(self) -> tuple[Caption, ...]:
        return self.inner.captions()

    def legend(self) -> tuple[Swatch, ...]:
        return self.inner.legend()

    def draw_vector(self, ax, index: int) -> None:
        self.inner.draw_vector(ax, index)

    def vector_figure(self, index: int):
        from .vector import annotated_page  # matplotlib, imported only for vector stills

        return annotated_page(self.inner, self.page, self.notes, self.check_frame(index))


def _outline(draw: ImageDraw.ImageDraw, side: int, mark: str) -> None:
    """A swatch's outline: thin solid, dashed, or bold (:data:`~convviz.figures.base.MARKS`)."""
    if mark == "dashed":
        for t in range(0, side, 6):
            for line in ((t, 0, t + 2, 0), (t, side - 1, t + 2, side - 1),
                         (0, t, 0, t + 2), (side - 1, t, side - 1, t + 2)):
                draw.line(line, fill=255)
    else:
        draw.rectangle((0, 0, side - 1, side - 1), outline=255, width=3 if mark == "bold" else 1)


def _nearest(palette: np.ndarray, colours: np.ndarray) -> np.ndarray:
    """Index of the palette colour nearest each of ``colours`` ``(N, 3)``."""
    distance = ((palette[None, :, :].astype(float) - colours[:, None, :]) ** 2).sum(axis=2)
    return distance.argmin(axis=1).astype(np.uint8)
