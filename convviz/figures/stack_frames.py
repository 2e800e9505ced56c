"""What each map of a stack figure shows in a frame, as data: the fill of every drawn cell, the
style of every grid segment, the window's footprint and the connectors to the map above. The
raster frames (:mod:`convviz.figures.layerstack`) and the vector stills
(:mod:`convviz.figures.stack_vector`) both draw from here, so they agree.

>>> int(PALETTE.colours.shape[0]), SHADE
(192, 3)
"""
from __future__ import annotations

import numpy as np

from ..regions import Region
from . import raster, style
from .palettes import Palette
from .stack_layout import Level, Plan

FILLS = [style.WHITE, style.INPUT, style.OUTPUT]
SHADE = len(FILLS)                 # fill f under the kernel's overlay is f + SHADE
PALETTE = Palette(FILLS + [style.blend(f, style.KERNEL, style.KERNEL_ALPHA) for f in FILLS])
WHITE, BLUE, CYAN = range(3)


def _lit(level: Level, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``(GH, GW)`` bool, rows from the top: drawn cells whose map position is in ``rows`` x
    ``cols`` (positions may be padding: below 0 or past the map)."""
    (gh, gw), (top, left) = level.shape, level.before
    on_rows, on_cols = np.zeros(gh, bool), np.zeros(gw, bool)
    on_rows[np.clip(rows + top, 0, gh - 1)[(rows + top >= 0) & (rows + top < gh)]] = True
    on_cols[np.clip(cols + left, 0, gw - 1)[(cols + left >= 0) & (cols + left < gw)]] = True
    return on_rows[:, None] & on_cols[None, :]


def footprint(level: Level, rows: np.ndarray, cols: np.ndarray) -> tuple[int, ...] | None:
    """``(r0, r1, c0, c1)``: the drawn grid's rows and columns (from the top, half-open)
    spanned by map positions ``rows`` x ``cols``; None when either is empty."""
    if not len(rows) or not len(cols):
        return None
    (top, left) = level.before
    return (int(rows[0]) + top, int(rows[-1]) + top + 1, int(cols[0]) + left,
            int(cols[-1]) + left + 1)


def real_cells(level: Level) -> np.ndarray:
    """``(GH, GW)`` bool, rows from the top: the map's own cells (not its padding ring)."""
    (top, left), (rows, cols) = level.before, level.shown()
    real = np.zeros(level.shape, bool)
    real[rows.start + top:rows.stop + top, cols.start + left:cols.stop + left] = True
    return real


def map_styles(real: np.ndarray, lines: bool, cut: tuple[bool, ...] = (False,) * 4
               ) -> tuple[np.ndarray, np.ndarray]:
    """Segment styles of a map (``real``: its cells, row 0 at the bottom): solid around real
    cells, dashed around padding; without ``lines`` only the map's and the ring's outlines;
    no edge where a zoomed figure's window ``cut`` s the map (top, bottom, left, right)."""
    style_h, style_v = raster.segment_styles(real)
    for lines_of, index, side in ((style_h, -1, cut[0]), (style_h, 0, cut[1]),
                                  (style_v, 0, cut[2]), (style_v, -1, cut[3])):
        if side:
            lines_of[index] = raster.NONE
    if not lines:
        inner_h = np.zeros_like(style_h, bool)
        inner_h[1:-1] = real[1:] == real[:-1]                    # both sides alike
        inner_v = np.zeros_like(style_v, bool)
        inner_v[1:-1] = real.T[1:] == real.T[:-1]
        style_h[inner_h], style_v[inner_v] = raster.NONE, raster.NONE
    return style_h, style_v


def drawn(found: Plan, number: int, field: Region, real: np.ndarray,
          styles: tuple[np.ndarray, np.ndarray]) -> tuple:
    """What map ``number`` shows in the frame of ``field``: each drawn cell's fill code
    ``(GH, GW)`` (rows from the top; ``+ SHADE`` under the overlay), the segment styles
    (``styles``, from :func:`map_styles`, with the window's footprint solid) and that
    footprint (None on the last map)."""
    level, last = found.levels[number], len(found.levels) - 1
    fill = np.where(real, BLUE if number == 0 else CYAN, WHITE)
    if number == last:
        return fill + SHADE * _lit(level, field.rows[-1], field.cols[-1]), styles, None
    reach_rows, reach_cols = field.reach[number]
    lit = _lit(level, reach_rows, reach_cols) | _lit(level, field.rows[number],
                                                     field.cols[number])
    box = footprint(level, reach_rows, reach_cols)
    if box is not None:
        style_h, style_v = styles[0].copy(), styles[1].copy()
        r0, r1, c0, c1 = box
        bottom, top = level.shape[0] - r1, level.shape[0] - r0
        rows = slice(bottom, top + 1) if found.lines else [bottom, top]
        cols = slice(c0, c1 + 1) if found.lines else [c0, c1]
        style_h[rows, c0:c1] = raster.SOLID
        style_v[cols, bottom:top] = raster.SOLID
        styles = style_h, style_v
    return fill + SHADE * lit, styles, box


def connectors(found: Plan, number: int, field: Region, low: tuple[int, ...] | None
               ) -> tuple[np.ndarray, np.ndarray] | None:
    """The four connectors' ends, ``(4, 2)`` pixels each: from the corners of the window's
    footprint ``low`` on map ``number`` to the corners of ``field`` on the map above; None
    where either is empty."""
    high = footprint(found.levels[number + 1], field.rows[number + 1], field.cols[number + 1])
    if low is None or high is None:
        return None
    ends = []
    for at, (r0, r1, c0, c1) in ((number, low), (number + 1, high)):
        gh = found.levels[at].shape[0]
        ends.append(np.array([found.point(at, x, gh - y) for y, x in
                              ((r0, c0), (r0, c1), (r1, c0), (r1, c1))]))
    return ends[0], ends[1]
