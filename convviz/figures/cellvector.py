"""Numbers figures as vector drawings: a :class:`~convviz.figures.surface.Scene` drawn with
matplotlib (no pyplot) as filled cells, grid lines and text, for SVG and PDF stills.

The geometry is the raster frame's (:mod:`convviz.figures.cells`): the same panels, cells,
font sizes and dashes, one pixel per 1/150 inch; the numbers are text objects (``<text>`` in
SVG, embedded TrueType in PDF), so notes can search and copy them.
"""
from __future__ import annotations

from matplotlib.collections import LineCollection
from matplotlib.patches import Rectangle

from . import style
from .cells import CellPainter, Panel, caption_font_px, line_px
from .palettes import ink
from .surface import Scene
from .vector import PT_PER_PX


def _points(size_px: float) -> float:
    return size_px * PT_PER_PX


def _cell(ax, painter: CellPainter, row: int, col: int, fill, text: str, sub: str) -> None:
    """One cell's fill, number and small number (bottom-right), as the raster places them."""
    left, top, right, bottom = painter.panel.box(row, col)
    ax.add_patch(Rectangle((left, top), right - left, bottom - top, linewidth=0,
                           facecolor=style.hex_colour(fill), edgecolor="none"))
    colour = style.hex_colour(ink(fill))
    if text:
        ax.text((left + right) / 2, top + painter.value_y, text, ha="center", va="center",
                fontsize=_points(painter.value_font.size), color=colour)
    if sub:
        ax.text(right - painter.pad, bottom - painter.pad, sub, ha="right", va="baseline",
                fontsize=_points(painter.sub_font.size), color=colour, fontweight="bold")


def _edges(p: Panel, solid) -> tuple[list, list]:
    """Every cell edge of ``p`` as a segment, split into solid and dashed ones (dashed where
    no cell of ``solid`` touches it; ``solid`` None: all solid)."""
    import numpy as np

    edge = np.pad(np.ones((p.rows, p.cols), bool) if solid is None else solid, 1)
    cell, lines = p.cell_px, ([], [])
    for b in range(p.rows + 1):
        for c in range(p.cols):
            y, x0 = p.y0 + b * cell, p.x0 + c * cell
            lines[not (edge[b, c + 1] or edge[b + 1, c + 1])].append(
                [(x0, y), (x0 + cell, y)])
    for b in range(p.cols + 1):
        for r in range(p.rows):
            x, y0 = p.x0 + b * cell, p.y0 + r * cell
            lines[not (edge[r + 1, b] or edge[r + 1, b + 1])].append(
                [(x, y0), (x, y0 + cell)])
    return lines


def _lines(ax, p: Panel, segments: list, dashed: bool) -> None:
    if not segments:
        return
    width = line_px(p.cell_px)
    dash = (0, (p.cell_px / 8 / width,) * 2) if dashed else "solid"
    ax.add_collection(LineCollection(segments, colors=style.hex_colour(style.LINE),
                                     linewidths=_points(width), linestyles=[dash],
                                     capstyle="butt"))


def draw_scene(ax, scene: Scene, painters: dict[str, CellPainter]) -> None:
    """Draw ``scene`` on ``ax`` (pixel coordinates, y down): cells, grids, kernel outlines,
    then each panel's caption."""
    for (name, row, col), (fill, text, sub) in scene.cells.items():
        _cell(ax, painters[name], row, col, fill, text, sub)
    for name, solid in scene.grids.items():
        solid_lines, dashed_lines = _edges(scene.panels[name], solid)
        _lines(ax, scene.panels[name], solid_lines, False)
        _lines(ax, scene.panels[name], dashed_lines, True)
    for name, rows, cols in scene.boxes:
        p = scene.panels[name]
        block = Panel(p.x0 + cols.start * p.cell_px, p.y0 + rows.start * p.cell_px,
                      len(rows), len(cols), p.cell_px)
        _lines(ax, block, _edges(block, None)[0], False)
    for name, p in scene.panels.items():
        text = scene.captions.get(name, p.caption)
        if text:
            ax.text(p.x0 + p.cols * p.cell_px / 2, p.y0 + p.rows * p.cell_px + p.cell_px // 6,
                    text, ha="center", va="top", color=style.hex_colour(style.LINE),
                    fontsize=_points(caption_font_px(p.cell_px)))
