"""Where the numbers figures draw: one set of drawing calls, two surfaces.

A numbers figure (:mod:`convviz.figures.numeric`, :mod:`convviz.figures.channel_numbers`)
draws each frame as calls on a surface: fill a cell with a number (and a small number), draw a
panel's grid, outline a kernel's footprint, copy the running state. :class:`Raster` turns the
calls into palette indices (the frames of GIFs, MP4s and the player); :class:`Scene` records
them, and :func:`convviz.figures.cellvector.draw_scene` draws the record as true vector shapes
and text for SVG and PDF. Both see the same calls, so a vector still shows what the frame
shows.

>>> scene = Scene()
>>> scene.paste("input", 0, 1, (255, 255, 255), "3")
>>> later = scene.copy(); later.paste("input", 0, 1, (0, 0, 0), "4")
>>> scene.cells[("input", 0, 1)][1], later.cells[("input", 0, 1)][1]
('3', '4')
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .cells import (
    CellPainter,
    Panel,
    canvas_with_captions,
    caption_pixels,
    grid_lines,
    solid_box,
)
from .palettes import TextPalette
from .style import RGB


class _Surface:
    """What both surfaces share."""

    panels: dict[str, Panel]

    def paste(self, panel: str, row: int, col: int, fill: RGB, text: str = "",
              sub: str = "") -> None:
        raise NotImplementedError

    def fill(self, panel: str, fill: RGB, texts: list[list[str]] | None = None) -> None:
        """Paint every cell of ``panel`` in ``fill``, with ``texts[r][c]`` when given."""
        p = self.panels[panel]
        for r in range(p.rows):
            for c in range(p.cols):
                self.paste(panel, r, c, fill, texts[r][c] if texts else "")


class Raster(_Surface):
    """Palette indices of a numbers figure: cells pasted by each panel's :class:`CellPainter`.

    Parameters
    ----------
    panels : name -> Panel
    painters : name -> CellPainter (their palette is the figure's)
    palette : TextPalette
    array : (H, W) uint8, optional
        Start from these indices rather than a white canvas with the panels' captions.
    """

    def __init__(self, size: tuple[int, int], panels: dict[str, Panel],
                 painters: dict[str, CellPainter], palette: TextPalette,
                 array: np.ndarray | None = None) -> None:
        self.panels, self.painters, self.palette = panels, painters, palette
        self.array = array if array is not None else canvas_with_captions(
            size[1], size[0], panels.values(), palette)

    def paste(self, panel: str, row: int, col: int, fill: RGB, text: str = "",
              sub: str = "") -> None:
        """Cell ``(row, col)`` of ``panel``: ``fill`` with ``text`` and small ``sub``."""
        self.painters[panel].paste(self.array, row, col, fill, text, sub)

    def lines(self, panel: str, solid: np.ndarray | None = None) -> None:
        """The grid of ``panel``: solid where a cell of ``solid`` touches, else dashed."""
        grid_lines(self.array, self.panels[panel], self.palette.line, solid)

    def box(self, panel: str, rows: range, cols: range) -> None:
        """Solid lines on every edge of the block ``rows`` x ``cols`` of ``panel``."""
        solid_box(self.array, self.panels[panel], rows, cols, self.palette.line)

    def caption(self, panel: str, text: str) -> None:
        """``text`` as ``panel``'s caption instead of its own (no wider than its own)."""
        caption_pixels(self.array, self.panels[panel], text, self.palette)

    def copy(self) -> Raster:
        """A surface that starts where this one is and changes on its own."""
        return Raster((0, 0), self.panels, self.painters, self.palette, self.array.copy())

    def result(self) -> np.ndarray:
        """The frame: ``(H, W)`` uint8 palette indices."""
        return self.array


@dataclass
class Scene(_Surface):
    """The drawing calls of one frame, as data, on ``panels``: ``cells`` maps
    ``(panel, row, col)`` to ``(fill, text, sub)``, ``grids`` maps a panel to its solid mask
    (None: all solid), ``boxes`` lists the outlined blocks ``(panel, rows, cols)`` in the
    order drawn, and ``captions`` holds the panels' captions that differ from their own."""

    panels: dict[str, Panel] = field(default_factory=dict)
    cells: dict = field(default_factory=dict)
    grids: dict = field(default_factory=dict)
    boxes: list = field(default_factory=list)
    captions: dict = field(default_factory=dict)

    def paste(self, panel: str, row: int, col: int, fill: RGB, text: str = "",
              sub: str = "") -> None:
        self.cells[(panel, int(row), int(col))] = (tuple(fill), text, sub)

    def lines(self, panel: str, solid: np.ndarray | None = None) -> None:
        self.grids[panel] = None if solid is None else np.array(solid, bool)

    def box(self, panel: str, rows: range, cols: range) -> None:
        self.boxes.append((panel, rows, cols))

    def caption(self, panel: str, text: str) -> None:
        self.captions[panel] = text

    def copy(self) -> Scene:
        return Scene(self.panels, dict(self.cells), dict(self.grids), list(self.boxes),
                     dict(self.captions))

    def result(self) -> Scene:
        return self

