"""Anti-aliased raster primitives in NumPy: oblique grids and thin lines.

Figures are composed as palette indices (uint8), not RGB: a pixel is a *fill* (the colour of
the cell its centre lies in) under an *ink* (a grid line or a connector) at one of
``LEVELS`` coverages (:class:`convviz.figures.palettes.Palette`). Coverage is the
box-filtered overlap of the pixel with the line, so edges are anti-aliased like the
references while a frame stays one byte per pixel and is composed by a few array lookups.

>>> h, v = segment_styles(np.array([[True]]))
>>> h.tolist(), v.tolist()
([[2], [2]], [[2], [2]])
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import style

LEVELS = 16
"""Ink coverage levels 0 (none) .. LEVELS-1 (full)."""
NONE, DASHED, SOLID = 0, 1, 2
"""Styles of a grid segment."""

# Oblique projection (style.py): e = screen step of x + 1, f = screen step of y + 1.
_E, _F = (1.0, style.SLOPE), (style.SHEAR_X, style.SHEAR_Y)
_DET = _E[0] * _F[1] - _E[1] * _F[0]                 # e x f (1.0 for the reference)
_LEN_E, _LEN_F = float(np.hypot(*_E)), float(np.hypot(*_F))
_EF = _E[0] * _F[0] + _E[1] * _F[1]


def _levels(coverage: np.ndarray) -> np.ndarray:
    """Coverage in [0, 1] as ink levels (uint8)."""
    return np.rint(np.clip(coverage, 0.0, 1.0) * (LEVELS - 1)).astype(np.uint8)


def _overlap(lo: np.ndarray, hi: np.ndarray, a: float, b: np.ndarray | float) -> np.ndarray:
    """Length of [lo, hi] inside [a, b], clipped to [0, 1]."""
    return np.clip(np.minimum(hi, b) - np.maximum(lo, a), 0.0, 1.0)


def _dash(along_px: np.ndarray) -> np.ndarray:
    """Share of a pixel at ``along_px`` (from the line's start) on a dash."""
    period = 2 * style.DASH_PX
    d = np.mod(along_px, period)
    return (_overlap(d - 0.5, d + 0.5, 0.0, style.DASH_PX)              # this dash
            + _overlap(d - 0.5, d + 0.5, period, period + style.DASH_PX))  # the next one


@dataclass(frozen=True, eq=False)
class GridPixels:
    """Per-pixel facts of an oblique ``rows x cols`` grid inside a pixel box.

    Cells are numbered ``j * cols + i`` with ``i`` the column and ``j`` the row counted
    from the *bottom*; -1 is outside. Horizontal segment ``(Y, i)`` (line y = Y, between
    x = i and i + 1) is numbered ``Y * cols + i``; vertical segment ``(X, j)`` is
    ``X * rows + j``. Attributes are arrays of shape (h, w) over ``box``.

    Attributes
    ----------
    box : (y0, y1, x0, x1)
        Pixel rows and columns covered, clipped to the canvas.
    cell, seg_h, seg_v : int32 arrays
    solid_h, dashed_h, solid_v, dashed_v : uint8 arrays
        Ink level of the nearest horizontal / vertical segment, drawn solid or dashed.
    """

    rows: int
    cols: int
    box: tuple[int, int, int, int]
    cell: np.ndarray
    seg_h: np.ndarray
    seg_v: np.ndarray
    solid_h: np.ndarray
    dashed_h: np.ndarray
    solid_v: np.ndarray
    dashed_v: np.ndarray

    def ink(self, style_h: np.ndarray, style_v: np.ndarray,
            window: tuple[slice, slice] = (slice(None), slice(None))) -> np.ndarray:
        """Ink levels in ``window`` (slices of the box) for given segment styles.

        Parameters
        ----------
        style_h : ndarray, shape (rows + 1, cols), NONE / DASHED / SOLID per segment
        style_v : ndarray, shape (cols + 1, rows)
        """
        levels = []
        for seg, solid, dashed, styles in ((self.seg_h, self.solid_h, self.dashed_h, style_h),
                                           (self.seg_v, self.solid_v, self.dashed_v, style_v)):
            s = styles.reshape(-1)[seg[window]]
            levels.append(np.where(s == SOLID, solid[window],
                                   np.where(s == DASHED, dashed[window], 0)))
        return np.maximum(*levels).astype(np.uint8)


def segment_styles(solid_cells: np.ndarray,
                   other: int = DASHED) -> tuple[np.ndarray, np.ndarray]:
    """Segment styles of a grid: solid around the cells marked True, ``other`` elsewhere.

    Parameters
    ----------
    solid_cells : ndarray, shape (rows, cols), bool, row 0 at the bottom

    Returns
    -------
    style_h : (rows + 1, cols); style_v : (cols + 1, rows), as :meth:`GridPixels.ink` takes

    >>> h, v = segment_styles(np.array([[True, False]]))
    >>> h.tolist(), v.tolist()
    ([[2, 1], [2, 1]], [[2], [2], [1]])
    """
    rows, cols = solid_cells.shape
    style_h = np.full((rows + 1, cols), other, dtype=np.uint8)
    style_v = np.full((cols + 1, rows), other, dtype=np.uint8)
    for lines, cells in ((style_h, solid_cells), (style_v, solid_cells.T)):
        lines[:-1][cells] = lines[1:][cells] = SOLID       # the lines on both sides of a cell
    return style_h, style_v


def grid_pixels(rows: int, cols: int, origin: tuple[float, float], unit_px: float,
                canvas: tuple[int, int], width_px: float = style.THICK_PX,
                dashes: bool = True) -> GridPixels:
    """Rasterise the cells and grid lines of an oblique grid once.

    Parameters
    ----------
    rows, cols : int
        Grid size in cells.
    origin : (x, y)
        Pixel position (pixel edges) of the grid's bottom-left corner (x = 0, y = 0).
    unit_px : float
        One grid unit in pixels.
    canvas : (H, W)
        Canvas size; the box is clipped to it.
    dashes : bool
        False when no segment will be dashed (the dashed levels are then the solid ones).
    """
    corners = np.array([[0, 0], [cols, 0], [0, rows], [cols, rows]], dtype=float)
    sx = origin[0] + unit_px * (corners @ np.array([_E[0], _F[0]]))       # pixel x of corners
    sy = origin[1] - unit_px * (corners @ np.array([_E[1], _F[1]]))
    pad = 3
    y0, y1 = max(int(sy.min()) - pad, 0), min(int(np.ceil(sy.max())) + pad, canvas[0])
    x0, x1 = max(int(sx.min()) - pad, 0), min(int(np.ceil(sx.max())) + pad, canvas[1])
    px = (np.arange(x0, x1, dtype=np.float32) + 0.5 - float(origin[0])) / float(unit_px)  # (w,)
    py = (float(origin[1]) - np.arange(y0, y1, dtype=np.float32) - 0.5) / float(unit_px)
    # invert the projection: x = (f_y*sx - f_x*sy)/det, y = (e_x*sy - e_y*sx)/det
    gx = (_F[1] * px[None, :] - _F[0] * py[:, None]) / _DET                    # (h, w)
    gy = (_E[0] * py[:, None] - _E[1] * px[None, :]) / _DET
    inside = (gx >= 0) & (gx < cols) & (gy >= 0) & (gy < rows)
    cell = np.where(inside, np.floor(gy).astype(np.int32) * cols + np.floor(gx).astype(np.int32),
                    -1).astype(np.int32)
    half = width_px / 2
    fields = []
    for along, across, n_along, n_lines, len_along, perp, shear in (
            (gx, gy, cols, rows, _LEN_E, _DET / _LEN_E, _EF / _LEN_E ** 2),
            (gy, gx, rows, cols, _LEN_F, _DET / _LEN_F, _EF / _LEN_F ** 2)):
        line = np.clip(np.rint(across), 0, n_lines)
        dist = np.abs(across - line) * (perp * unit_px)              # px from the line
        near = np.nonzero(dist < half + 0.5)                         # the rest has no ink
        line, dist = line[near], dist[near]
        t = along[near] + (across[near] - line) * shear              # foot of the normal
        s = t * (len_along * unit_px)                                # px along the line
        coverage = (_overlap(dist - 0.5, dist + 0.5, -half, half)
                    * _overlap(s - 0.5, s + 0.5, 0.0, n_along * len_along * unit_px))
        seg, solid = np.zeros(gx.shape, np.int32), np.zeros(gx.shape, np.uint8)
        seg[near] = line * n_along + np.clip(np.floor(t), 0, n_along - 1)
        solid[near] = _levels(coverage)
        dashed = solid
        if dashes:
            dashed = np.zeros(gx.shape, np.uint8)
            dashed[near] = _levels(coverage * _dash(s))
        fields += [seg, solid, dashed]
    return GridPixels(rows, cols, (y0, y1, x0, x1), cell, fields[0], fields[3],
                      fields[1], fields[2], fields[4], fields[5])


def segment_pixels(starts: np.ndarray, ends: np.ndarray, width_px: float,
                   canvas: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pixels that anti-aliased straight lines cover, and their ink levels.

    Each line is walked along its major axis, one pixel column (or row) at a time, from
    pixel centre to pixel centre between its end points; the three pixels across it get
    the box-filtered overlap with the line's width.

    Parameters
    ----------
    starts, ends : ndarray, shape (L, 2)
        End points ``(x, y)`` of L lines, in pixel-edge coordinates.
    width_px : float
        Line width, at most 1 px.

    Returns
    -------
    rows, cols, levels : ndarrays, shape (P,)
        A pixel covered by two lines appears twice.

    >>> rows, cols, levels = segment_pixels(np.array([[0.0, 2.5]]), np.array([[6.0, 2.5]]),
    ...                                     1.0, (5, 6))
    >>> sorted(set(rows.tolist())), int(levels.max())
    ([2], 15)
    """
    starts, ends = np.asarray(starts, dtype=float), np.asarray(ends, dtype=float)
    delta = ends - starts                                                  # (L, 2)
    walk_y = np.abs(delta[:, 1]) > np.abs(delta[:, 0])                     # major axis y
    major, minor = np.where(walk_y, 1, 0), np.where(walk_y, 0, 1)
    idx = np.arange(len(starts))
    a0, a1 = starts[idx, major], ends[idx, major]
    lo = np.ceil(np.minimum(a0, a1) - 0.5)                                 # first centre
    count = np.maximum(np.floor(np.maximum(a0, a1) - 0.5) - lo + 1, 0).astype(int)
    line = np.repeat(idx, count)                                           # (S,) per step
    step = lo[line] + np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    run = np.where(delta[idx, major] == 0, 1.0, delta[idx, major])
    slope = delta[idx, minor] / run
    centre = starts[line, minor[line]] + (step + 0.5 - a0[line]) * slope[line]
    across = np.floor(centre)[:, None] + np.arange(-1, 2)                 # (S, 3) pixels
    cos = 1 / np.sqrt(1 + slope[line] ** 2)
    perp = np.abs(across + 0.5 - centre[:, None]) * cos[:, None]
    half = width_px / 2
    coverage = _overlap(perp - 0.5, perp + 0.5, -half, half).ravel()
    along = np.repeat(step, 3).astype(int)
    across = across.astype(int).ravel()
    on_y = np.repeat(walk_y[line], 3)
    rows, cols = np.where(on_y, along, across), np.where(on_y, across, along)
    keep = ((coverage > 0.5 / (LEVELS - 1)) & (rows >= 0) & (rows < canvas[0])
            & (cols >= 0) & (cols < canvas[1]))
    return rows[keep], cols[keep], _levels(coverage[keep])
