"""Pixels of the numerical figures of :mod:`convviz.figures.numeric`: flat grids of cells
with numbers in them, drawn with numpy and Pillow as palette indices (uint8 ``(H, W)``) of a
:class:`~convviz.figures.palettes.TextPalette`.

A cell's interior is rendered
once per (fill, number, small number) and pasted after that, so a frame costs a copy of a
running canvas and a few pastes. Text is the DejaVu Sans that ships with matplotlib; each
panel's font size is fitted to its widest number, so numbers never overflow a cell.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ..errors import ConvVizError
from ..text import MINUS, format_number
from . import style
from .palettes import TextPalette

FONT_PATH = (Path(find_spec("matplotlib").submodule_search_locations[0])    # not imported
             / "mpl-data/fonts/ttf/DejaVuSans.ttf")
BOLD_PATH = FONT_PATH.with_name("DejaVuSans-Bold.ttf")      # the small numbers
VALUE_SIZE, SUB_SIZE = 0.46, 0.34   # largest font sizes, as fractions of a cell's interior
READABLE_PX, READABLE_SUB_PX = 14, 11   # automatic cell sizes keep fonts at least this big
MIN_FONT_PX = 8                         # a given cell_px may shrink them down to this
SUB_RATIO = 0.6                         # small numbers (weights) keep >= 60 % of the value size


def signed(value) -> str:
    """``+6`` or ``−2``: what a scatter step adds to a cell."""
    text = format_number(value)
    return text if text.startswith(MINUS) else "+" + text


def numbers_of(array: np.ndarray) -> list[list[str]]:
    """Every entry of a 2-D array as :func:`format_number` writes it."""
    return [[format_number(v) for v in row] for row in np.asarray(array).tolist()]


@lru_cache(maxsize=64)
def font(size_px: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """DejaVu Sans (or its bold) at ``size_px`` pixels."""
    return ImageFont.truetype(str(BOLD_PATH if bold else FONT_PATH), size_px)


def line_px(cell_px: int) -> int:
    """Width of the grid lines of ``cell_px`` cells."""
    return max(2, round(cell_px / 24))


def _pad_px(inner_px: int) -> int:
    return max(2, inner_px // 14)


def caption_font_px(cell_px: int) -> int:
    """Font size of the captions under panels of ``cell_px`` cells."""
    return max(14, round(0.3 * cell_px))


def _caption_font(cell_px: int) -> ImageFont.FreeTypeFont:
    return font(caption_font_px(cell_px))


@dataclass(frozen=True)
class Panel:
    """A grid of ``rows`` x ``cols`` square cells with its top-left grid line at ``(x0, y0)``.

    Cell ``(r, c)`` spans ``[x0 + c*cell_px, x0 + (c+1)*cell_px)`` and likewise in y; each
    grid line is :func:`line_px` wide and centred on its grid position.
    """

    x0: int
    y0: int
    rows: int
    cols: int
    cell_px: int
    caption: str = ""

    def box(self, row: int, col: int) -> tuple[int, int, int, int]:
        """Interior of cell ``(row, col)``: ``(left, top, right, bottom)``, right and bottom
        exclusive."""
        lw = line_px(self.cell_px)
        left = self.x0 + col * self.cell_px + lw - lw // 2
        top = self.y0 + row * self.cell_px + lw - lw // 2
        return left, top, left + self.cell_px - lw, top + self.cell_px - lw

    def centre(self, row: int, col: int) -> tuple[int, int]:
        """Pixel ``(x, y)`` at the centre of cell ``(row, col)``."""
        left, top, right, bottom = self.box(row, col)
        return (left + right) // 2, (top + bottom) // 2


def arrange(columns: list[list[tuple[str, tuple[int, int], str]]], cell_px: int,
            margin_px: int = 16) -> tuple[int, int, dict[str, Panel]]:
    """Place named grids in columns left to right, stacked and vertically centred in each.

    Parameters
    ----------
    columns : lists of ``(name, (rows, cols), caption)``

    Returns
    -------
    width, height : the canvas size in pixels
    panels : name -> Panel
    """
    band, gap = _caption_font(cell_px).size + cell_px // 3, cell_px // 2
    widths = [math.ceil(max(max(shape[1] * cell_px, _caption_font(cell_px).getlength(text))
                            for _, shape, text in column)) for column in columns]
    heights = [sum(shape[0] * cell_px + band for _, shape, _ in column) + gap * (len(column) - 1)
               for column in columns]
    panels, x = {}, margin_px
    for column, width, height in zip(columns, widths, heights):
        y = margin_px + (max(heights) - height) // 2
        for name, (rows, cols), text in column:
            panels[name] = Panel(x + (width - cols * cell_px) // 2, y, rows, cols, cell_px, text)
            y += rows * cell_px + band + gap
        x += width + cell_px
    return x - cell_px + margin_px, max(heights) + 2 * margin_px, panels


def caption_box(p: Panel, text: str | None = None) -> tuple[int, int, int, int]:
    """``(left, top, right, bottom)`` of the caption under ``p`` (of ``text``, else of its
    own caption): where :func:`caption_pixels` writes it."""
    size = caption_font_px(p.cell_px)
    width = math.ceil(_caption_font(p.cell_px).getlength(p.caption if text is None else text))
    x, y = p.x0 + p.cols * p.cell_px // 2, p.y0 + p.rows * p.cell_px + p.cell_px // 6
    return x - width // 2 - 2, y, x + width - width // 2 + 2, y + math.ceil(1.3 * size)


def caption_pixels(canvas: np.ndarray, p: Panel, text: str, palette: TextPalette) -> None:
    """Write ``text`` as ``p``'s caption on ``canvas``, clearing the room of its own."""
    left, top, right, bottom = caption_box(p)
    canvas[top:bottom, left:right] = palette.index(style.WHITE, np.zeros((1, 1), np.uint8))
    image = Image.new("L", (right - left, bottom - top), 0)
    ImageDraw.Draw(image).text(((right - left) // 2, 0), text, fill=255,
                               font=_caption_font(p.cell_px), anchor="mt")
    canvas[top:bottom, left:right] = palette.index(style.WHITE, np.asarray(image))


def canvas_with_captions(width: int, height: int, panels: Iterable[Panel],
                         palette: TextPalette) -> np.ndarray:
    """A white ``(height, width)`` canvas of ``palette`` indices with each caption centred
    below its grid."""
    image = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(image)
    for p in panels:
        x, y = p.x0 + p.cols * p.cell_px // 2, p.y0 + p.rows * p.cell_px + p.cell_px // 6
        draw.text((x, y), p.caption, fill=255, font=_caption_font(p.cell_px), anchor="mt")
    return palette.index(style.WHITE, np.asarray(image))


def _line(canvas: np.ndarray, p: Panel, at: int, start: int, stop: int, *,
          vertical: bool, dash: bool, colour: np.uint8) -> None:
    """One grid line at grid position ``at`` (px) from ``start`` to ``stop`` (px)."""
    lw = line_px(p.cell_px)
    across = slice(at - lw // 2, at - lw // 2 + lw)
    along = np.arange(start - lw // 2, stop - lw // 2 + lw)
    if dash:   # 4 dashes per cell, each starting on a cell corner
        along = along[((along - along[0]) // (p.cell_px // 8)) % 2 == 0]
    if vertical:
        canvas[along, across] = colour
    else:
        canvas[across, along] = colour


def grid_lines(canvas: np.ndarray, p: Panel, colour: np.uint8,
               solid: np.ndarray | None = None) -> None:
    """Draw the grid of ``p`` in palette index ``colour``: cell edges solid where a cell of
    ``solid`` (rows, cols) bool touches them, dashed elsewhere (padding and inserted zeros);
    all solid by default."""
    edge = np.pad(np.ones((p.rows, p.cols), bool) if solid is None else solid, 1)
    cell = p.cell_px
    for b in range(p.rows + 1):
        for c in range(p.cols):
            dash = not (edge[b, c + 1] or edge[b + 1, c + 1])
            _line(canvas, p, p.y0 + b * cell, p.x0 + c * cell, p.x0 + (c + 1) * cell,
                  vertical=False, dash=dash, colour=colour)
    for b in range(p.cols + 1):
        for r in range(p.rows):
            dash = not (edge[r + 1, b] or edge[r + 1, b + 1])
            _line(canvas, p, p.x0 + b * cell, p.y0 + r * cell, p.y0 + (r + 1) * cell,
                  vertical=True, dash=dash, colour=colour)


def solid_box(canvas: np.ndarray, p: Panel, rows: range, cols: range, colour: np.uint8) -> None:
    """Solid lines in ``colour`` on every cell edge of the block ``rows`` x ``cols`` (a
    kernel footprint)."""
    cell, x0, y0 = p.cell_px, p.x0, p.y0
    for r in range(rows.start, rows.stop + 1):
        _line(canvas, p, y0 + r * cell, x0 + cols.start * cell, x0 + cols.stop * cell,
              vertical=False, dash=False, colour=colour)
    for c in range(cols.start, cols.stop + 1):
        _line(canvas, p, x0 + c * cell, y0 + rows.start * cell, y0 + rows.stop * cell,
              vertical=True, dash=False, colour=colour)


def _width(texts: set[str], size_px: int, bold: bool = False) -> float:
    """Width in pixels of the widest of ``texts``."""
    return max((font(size_px, bold).getlength(t) for t in texts), default=0.0)


def readable_cell_px(smallest: int, shown: Iterable[tuple[set[str], set[str]]]) -> int:
    """The smallest cell size from ``smallest`` up, in steps of 8, in which every panel's
    numbers and small numbers ``shown`` fit at :data:`READABLE_PX` / :data:`READABLE_SUB_PX`."""
    shown = list(shown)
    for cell in range(smallest, 129, 8):
        room = cell - line_px(cell) - 2 * _pad_px(cell - line_px(cell))
        if all(_width(t, READABLE_PX) <= room and _width(s, READABLE_SUB_PX, True) <= room
               for t, s in shown):
            return cell
    return 128


def fit_font(texts: set[str], width_px: int, size_px: int,
             bold: bool = False) -> ImageFont.FreeTypeFont:
    """The largest font up to ``size_px`` in which every text is at most ``width_px`` wide."""
    while size_px > MIN_FONT_PX and _width(texts, size_px, bold) > width_px:
        size_px -= 1
    if _width(texts, size_px, bold) > width_px:
        widest = max(texts, key=font(size_px, bold).getlength)
        raise ConvVizError(f"values must fit a cell: {widest!r} is wider than {width_px} px "
                           f"even at {MIN_FONT_PX} px; use smaller values or a larger cell_px")
    return font(size_px, bold)


class CellPainter:
    """Pastes cell interiors of one panel: a fill, a number, and a small number (bottom-right).

    ``texts`` and ``subs`` are every number and small number the panel will show, so one
    font size per kind fits them all; small numbers stay smaller than the numbers.
    """

    def __init__(self, panel: Panel, palette: TextPalette, texts: set[str],
                 subs: set[str] = frozenset()) -> None:
        self.panel, self.palette = panel, palette
        self.inner = panel.cell_px - line_px(panel.cell_px)
        self.pad = _pad_px(self.inner)
        self.value_font = fit_font(texts, self.inner - 2 * self.pad,
                                   round(VALUE_SIZE * self.inner))
        self.sub_font = fit_font(subs, self.inner - 2 * self.pad,
                                 min(round(SUB_SIZE * self.inner),
                                     round(0.8 * self.value_font.size)), bold=True)
        if subs and self.sub_font.size < SUB_RATIO * self.value_font.size:   # keep them legible
            self.value_font = font(max(MIN_FONT_PX, int(self.sub_font.size / SUB_RATIO)))
        self.value_y = round((0.4 if subs else 0.5) * self.inner)
        self._patches: dict[tuple, np.ndarray] = {}

    def patch(self, fill: style.RGB, text: str = "", sub: str = "") -> np.ndarray:
        """The interior of a cell, ``(inner, inner)`` palette indices: ``fill`` with ``text``
        and ``sub`` (rendered once, then reused)."""
        key = (fill, text, sub)
        if key not in self._patches:
            self._patches[key] = self._render(fill, text, sub)
        return self._patches[key]

    def _render(self, fill: style.RGB, text: str, sub: str) -> np.ndarray:
        image = Image.new("L", (self.inner, self.inner), 0)        # text coverage
        draw = ImageDraw.Draw(image)
        if text:
            draw.text((self.inner // 2, self.value_y), text, fill=255, font=self.value_font,
                      anchor="mm")
        if sub:
            draw.text((self.inner - self.pad, self.inner - self.pad), sub, fill=255,
                      font=self.sub_font, anchor="rs")
        return self.palette.index(fill, np.asarray(image))

    def paste(self, canvas: np.ndarray, row: int, col: int, fill: style.RGB, text: str = "",
              sub: str = "") -> None:
        """Paint cell ``(row, col)`` of ``canvas``: ``fill`` with ``text`` and ``sub``."""
        left, top, right, bottom = self.panel.box(row, col)
        canvas[top:bottom, left:right] = self.patch(fill, text, sub)

    def paste_all(self, canvas: np.ndarray, fill: style.RGB,
                  texts: list[list[str]] | None = None) -> None:
        """Paint every cell in ``fill``, with ``texts[r][c]`` when given."""
        for r in range(self.panel.rows):
            for c in range(self.panel.cols):
                self.paste(canvas, r, c, fill, texts[r][c] if texts else "")


@dataclass(frozen=True)
class FigureLayout:
    """Canvas size and grids of a numerical figure; ``kernel`` and ``overlaps`` are drawn in
    the scatter view only. :meth:`Panel.box` and :meth:`Panel.centre` locate a cell."""

    width: int
    height: int
    input: Panel
    output: Panel
    kernel: Panel | None = None
    overlaps: Panel | None = None
