"""Pixel primitives of the multi-channel figures: stacked sheets as palette indices.

A :class:`Sheet` is one grid shape rasterised once (:func:`convviz.raster.grid_pixels`); a
:class:`Stack` pastes copies of it, whole pixels apart, one per channel, painting every
sheet's white cells (padding, inserted zeros) before every sheet's data cells, so a padded
stack still shows each channel's data at its front edges. Used by :mod:`convviz.figures.channels`.

>>> int(PALETTE.colours.shape[0]), int(BLUE)
(256, 1)
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import raster, style
from .palettes import Palette


def fills(scheme: style.Scheme) -> list[style.RGB]:
    """The fills of a multi-channel figure in ``scheme``, by role: background, input, the
    other input channel, output (then each under the kernel: fill f + :data:`SHADE`)."""
    return [scheme.background, scheme.input, scheme.channel, scheme.output]


FILLS = fills(style.SCHEMES["default"])
SHADE = len(FILLS)             # the kernel-shaded version of fill f is f + SHADE


def palette(scheme: style.Scheme) -> Palette:
    """The colour table of a multi-channel figure in ``scheme`` (same indices in every one)."""
    return Palette(fills(scheme) + [scheme.shade(f) for f in fills(scheme)])


PALETTE = palette(style.SCHEMES["default"])
"""The structure frames are built on: which index is which fill and ink level."""
WHITE, BLUE, VIOLET, CYAN = range(4)
LV = raster.LEVELS


class Sheet:
    """One grid shape rasterised once, in its own box; ``coloured`` (rows, cols; row 0 at
    the bottom) marks the data cells, which take the colour of each sheet pasted."""

    def __init__(self, coloured: np.ndarray, unit_px: float) -> None:
        self.rows, self.cols = coloured.shape
        self.unit_px = unit_px
        ox = math.ceil(-style.SHEAR_X * self.rows * unit_px) + 4
        oy = math.ceil((style.SLOPE * self.cols + style.SHEAR_Y * self.rows) * unit_px) + 4
        self.px = raster.grid_pixels(self.rows, self.cols, (ox, oy), unit_px,
                                     (oy + 8, ox + math.ceil(self.cols * unit_px) + 8),
                                     dashes=not coloured.all())
        self.origin = (ox - self.px.box[2], oy - self.px.box[0])      # in the box's pixels
        self.coloured = np.append(coloured.reshape(-1), False)       # cell -1 -> False
        self.style_h, self.style_v = raster.segment_styles(coloured)
        # the lines of data cells only
        self.data_ink = self.px.ink(*raster.segment_styles(coloured, raster.NONE))
        self.inside = self.px.cell >= 0
        self.bare = (self.px.solid_h == 0) & (self.px.solid_v == 0)   # no line near

    def point(self, x: float, y: float) -> tuple[float, float]:
        """Box pixel ``(x, y)`` of grid point ``(x, y)`` (y counted up from the bottom)."""
        u, (ox, oy) = self.unit_px, self.origin
        return ox + u * (x + style.SHEAR_X * y), oy - u * (style.SLOPE * x + style.SHEAR_Y * y)

    def window(self, corners: list[tuple[float, float]]) -> tuple[tuple[int, int], ...]:
        """Box rows and columns around grid points ``corners``, anti-aliasing included."""
        xs, ys = zip(*(self.point(*p) for p in corners))
        h, w = self.inside.shape
        return ((max(int(min(ys)) - 3, 0), min(int(max(ys)) + 4, h)),
                (max(int(min(xs)) - 3, 0), min(int(max(xs)) + 4, w)))

    def layers(self, rows: tuple[int, int], cols: tuple[int, int], reach: int,
               shaded: np.ndarray | None = None, styles: tuple | None = None) -> tuple:
        """What a stack pastes for box ``rows``/``cols``, ``reach`` px more above and below:
        the first box row, the cells, and the passes (opaque mask, ink, fill code 0..3),
        white cells first, then data cells. ``shaded`` (cells + 1,) and ``styles`` put a
        kernel on the sheet."""
        s0, s1 = max(rows[0] - reach, 0), min(rows[1] + reach, self.inside.shape[0])
        win = (slice(s0, s1), slice(*cols))
        cell, inside = self.px.cell[win], self.inside[win]
        data = self.coloured[cell]
        code = (data + (2 * shaded[cell] if shaded is not None else 0)).astype(np.uint8)
        passes = [(inside & data, self.data_ink[win], code)]
        if not self.coloured[:-1].all():
            ink = self.px.ink(*(styles or (self.style_h, self.style_v)), win)
            passes.insert(0, (inside & ~data, ink, code))
        return s0, cell, self.bare[win], passes


@dataclass(frozen=True, eq=False)
class Stack:
    """Sheets stacked ``depth_px`` apart: sheet j (0 on top) has fill ``fills[j]`` and the
    figure-wide id ``first + j``; its box pixel (r, c) is canvas ``(r + dy + j*depth_px,
    c + dx)``."""

    sheet: Sheet
    dy: int
    dx: int
    fills: tuple[int, ...]
    first: int
    depth_px: int

    def point(self, x: float, y: float) -> tuple[float, float]:
        """Canvas pixel ``(x, y)`` of grid point ``(x, y)`` on the top sheet."""
        px, py = self.sheet.point(x, y)
        return px + self.dx, py + self.dy

    def rect(self, rows: tuple[int, int], cols: tuple[int, int]) -> tuple[slice, slice]:
        """Canvas slices that box ``rows``/``cols`` cover on any sheet."""
        return (slice(rows[0] + self.dy, rows[1] + self.dy + (len(self.fills) - 1) *
                      self.depth_px), slice(cols[0] + self.dx, cols[1] + self.dx))

    def paste(self, frame: np.ndarray, rows: tuple[int, int], cols: tuple[int, int],
              layers: tuple, owner: tuple[np.ndarray, ...] | None = None) -> tuple:
        """Repaint ``rect(rows, cols)`` from :meth:`Sheet.layers`, bottom sheet first in
        each pass; with ``owner`` (sheet id, cell, line-free canvas maps, which record who
        shows where) paint over ``frame`` as it is, else clear the rect first."""
        s0, cell, bare, passes = layers
        m, d, h = len(self.fills), self.depth_px, self.sheet.inside.shape[0]
        rect = self.rect(rows, cols)
        if owner is None:
            frame[rect] = WHITE
        for opaque, ink, code in passes:
            idx = {f: np.array([WHITE, f, WHITE + SHADE, f + SHADE], np.uint8)[code]
                   * np.uint8(LV) + ink for f in set(self.fills)}
            for j in reversed(range(m)):
                r0, r1 = max(rows[0] - j * d, 0), min(rows[1] + (m - 1 - j) * d, h)
                at, part = (slice(r0 + self.dy + j * d, r1 + self.dy + j * d), rect[1]), \
                    slice(r0 - s0, r1 - s0)
                mask, level, region = opaque[part], ink[part], frame[at]
                under = PALETTE.index(PALETTE.fill_of[region],
                                       np.maximum(PALETTE.level_of[region], level))
                frame[at] = np.where(mask, idx[self.fills[j]][part],
                                     np.where(level > 0, under, region))
                if owner is not None:
                    ids, cells, line_free = (o[at] for o in owner)
                    ids[mask], cells[mask] = self.first + j, cell[part][mask]
                    line_free[:] = np.where(mask, bare[part], line_free & (level == 0))
        return rect
