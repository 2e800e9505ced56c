"""A feature map as a picture: its values in a colour map, a colour bar that says what each
colour means, and a mark on the value being looked at.

The colours are stated, never tuned to the picture: a map with negative values is centred on
zero in a diverging colour map (blue below zero, white at zero, red above, its ends at ``−m``
and ``+m`` for the largest magnitude ``m``); a map without them runs from black at 0 to white
at its largest value. Every channel of a map is drawn on the same scale, side by side. The
values themselves stay as they are (:class:`convviz.featuremap.FeatureMap`); small maps are
enlarged by a whole factor, each value a square of pixels.

Frames are ``(H, W)`` uint8 indices into :data:`PALETTE`, as every figure's are.

>>> still = heatmap(np.array([[[-2.0, 0.0], [1.0, 2.0]]]), min_px=2)
>>> still.scale.text, still.frame.dtype, still.factor
('blue below 0, white at 0, red above; the ends are −2 and 2', dtype('uint8'), 1)
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from ..errors import ConvVizError
from ..text import format_number
from . import style
from .cells import font

RAMP = 239
"""Palette entries of the colour map (indices 0 .. RAMP − 1; odd, so that 0 is exactly white)."""
INK_LEVELS = 8
"""Text and outline ink over white at this many coverages (white first)."""
WHITE, INK = RAMP, RAMP + INK_LEVELS - 1
MARK, HALO = RAMP + INK_LEVELS, RAMP + INK_LEVELS + 1
MARK_RGB: style.RGB = (0x85, 0x99, 0x00)          # Solarized green: clear on blue, white, red
DIVERGING = ((16, 52, 110), style.INPUT, style.WHITE, (0xDC, 0x32, 0x2F), (110, 20, 20))
"""Anchors of the diverging map at −m, −m/2, 0, m/2, m: dark blue, the input blue, white,
Solarized red, dark red."""
BORDER_PX, GAP_PX, BAR_PX, LABEL_PX = 8, 12, 12, 13
MARK_MIN_PX = 11
"""The mark around a value is at least this wide, so that one pixel of a large map shows."""
MAX_TILE_PX = 4096
"""Largest side of one channel's tile."""


def _ramp(anchors) -> np.ndarray:
    """``RAMP`` colours interpolated linearly through evenly spaced ``anchors``."""
    anchors = np.array(anchors, dtype=float)                             # (A, 3)
    at = np.linspace(0, len(anchors) - 1, RAMP)
    return np.stack([np.interp(at, np.arange(len(anchors)), anchors[:, c]) for c in range(3)],
                    axis=1)


def _palette(anchors) -> np.ndarray:
    ink = [style.blend(style.WHITE, style.LINE, level / (INK_LEVELS - 1))
           for level in range(INK_LEVELS)]
    colours = np.concatenate([_ramp(anchors), ink, [MARK_RGB, style.WHITE]])
    return np.rint(colours).astype(np.uint8)


PALETTES = {True: _palette(DIVERGING), False: _palette((style.BLACK, style.WHITE))}
"""The colour table of a signed map (True) and of a non-negative one (False), ``(P, 3)``."""


@dataclass(frozen=True)
class Scale:
    """How values become colours: ``low`` .. ``high`` over the colour map, ``signed`` (the
    diverging one, centred on zero) or not (black at 0 to white)."""

    low: float
    high: float
    signed: bool

    @property
    def text(self) -> str:
        """The scale in words, for a caption."""
        low, high = format_number(self.low), format_number(self.high)
        if self.signed:
            return f"blue below 0, white at 0, red above; the ends are {low} and {high}"
        return f"black at 0, white at {high}"

    def indices(self, values: np.ndarray) -> np.ndarray:
        """``values`` as palette indices 0 .. RAMP − 1 (uint8, same shape)."""
        where = (values - self.low) / (self.high - self.low)
        return np.rint(np.clip(where, 0, 1) * (RAMP - 1)).astype(np.uint8)


def scale_of(values: np.ndarray) -> Scale:
    """The stated scale of ``values``: ``±max|v|`` when any is negative, else ``0 .. max``
    (an all-zero map gets ``0 .. 1``).

    >>> scale_of(np.array([-3.0, 1.0])), scale_of(np.array([0.0, 4.0]))
    (Scale(low=-3.0, high=3.0, signed=True), Scale(low=0.0, high=4.0, signed=False))
    """
    peak = float(np.max(np.abs(values))) if values.size else 0.0
    signed = bool(values.size and np.min(values) < 0)
    peak = peak or 1.0
    return Scale(-peak if signed else 0.0, peak, signed)


@dataclass(frozen=True, eq=False)
class Still:
    """A drawn feature map: ``frame`` ``(H, W)`` uint8 indices into ``palette`` ``(P, 3)``,
    its ``scale``, and the whole ``factor`` each value was enlarged by."""

    frame: np.ndarray
    palette: np.ndarray
    scale: Scale
    factor: int


def _factor(size: tuple[int, int], min_px: int) -> int:
    factor = max(1, math.ceil(min_px / max(size)))
    if max(size) * factor > MAX_TILE_PX:
        if max(size) > MAX_TILE_PX:
            raise ConvVizError(f"a feature map is drawn at most {MAX_TILE_PX} pixels a side, "
                               f"got {size[0]} x {size[1]}: write it as .npy instead")
        factor = MAX_TILE_PX // max(size)
    return factor


def heatmap(values: np.ndarray, *, mark: tuple[int, int, int] | None = None,
            min_px: int = 256, per_row: int = 4) -> Still:
    """``values`` drawn in their stated colours, channels side by side, with a colour bar.

    Parameters
    ----------
    values : ndarray, shape (C, H_out, W_out)
    mark : (channel, i, j), optional
        A value to outline (the one a zoom computes).
    min_px : int
        Maps smaller than this are enlarged by a whole factor to at least this long side.
    per_row : int
        Channels side by side before the next row of them.

    Returns
    -------
    Still, frame of shape (H, W)
    """
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 3 or not values.size:
        raise ConvVizError(f"a feature map must have shape (C, H_out, W_out), got {values.shape}")
    channels, height, width = values.shape
    factor, scale = _factor((height, width), min_px), scale_of(values)
    tile_h, tile_w = height * factor, width * factor
    per_row, label_h = min(channels, per_row), (LABEL_PX + 6) * (channels > 1)  # names above
    grid_w = per_row * tile_w + (per_row - 1) * GAP_PX
    grid_h = math.ceil(channels / per_row) * (label_h + tile_h + GAP_PX) - GAP_PX
    bar_w = min(max(grid_w, 160), 360)
    canvas = np.full((grid_h + BAR_PX + LABEL_PX + 2 * BORDER_PX + 12,
                      max(grid_w, bar_w + 24) + 2 * BORDER_PX), WHITE, np.uint8)
    _tiles(canvas, scale.indices(values), factor, per_row, label_h, mark)
    _colour_bar(canvas, BORDER_PX + grid_h + 10, BORDER_PX, bar_w, scale)
    return Still(canvas, PALETTES[scale.signed], scale, factor)


def _tiles(canvas: np.ndarray, tiles: np.ndarray, factor: int, per_row: int, label_h: int,
           mark: tuple[int, int, int] | None) -> None:
    """Each channel of ``tiles`` ``(C, H_out, W_out)`` (palette indices) enlarged ``factor``
    times, ``per_row`` a row under ``label_h`` pixels of its name, ``mark`` outlined."""
    tile_h, tile_w = tiles.shape[1] * factor, tiles.shape[2] * factor
    for c, tile in enumerate(tiles):
        top = BORDER_PX + (c // per_row) * (label_h + tile_h + GAP_PX) + label_h
        left = BORDER_PX + (c % per_row) * (tile_w + GAP_PX)
        if label_h:
            _write(canvas, top - label_h, [(left, f"channel {c}", "la")])
        canvas[top:top + tile_h, left:left + tile_w] = np.kron(
            tile, np.ones((factor, factor), np.uint8))                 # (tile_h, tile_w)
        if mark is not None and mark[0] == c:
            row, col = top + mark[1] * factor, left + mark[2] * factor
            _outline(canvas, (row, col, row + factor, col + factor),
                     (top, left, top + tile_h, left + tile_w))


def _outline(canvas: np.ndarray, box: tuple[int, int, int, int],
             clip: tuple[int, int, int, int]) -> None:
    """A 2 px mark with a 1 px light halo each side around ``box`` (top, left, bottom,
    right), grown to at least MARK_MIN_PX a side, drawn inside ``clip`` (same order)."""
    top, left, bottom, right = box
    grow_h = max(0, MARK_MIN_PX - (bottom - top)) // 2 + 2
    grow_w = max(0, MARK_MIN_PX - (right - left)) // 2 + 2
    top, bottom, left, right = top - grow_h, bottom + grow_h, left - grow_w, right + grow_w
    for inset, colour in ((-1, HALO), (0, MARK), (1, MARK), (2, HALO)):
        t, b = max(clip[0], top + inset), min(clip[2], bottom - inset)
        lft, r = max(clip[1], left + inset), min(clip[3], right - inset)
        for row in (top + inset, bottom - inset - 1):
            if clip[0] <= row < clip[2]:
                canvas[row, lft:r] = colour
        for col in (left + inset, right - inset - 1):
            if clip[1] <= col < clip[3]:
                canvas[t:b, col] = colour


def _colour_bar(canvas: np.ndarray, top: int, left: int, width: int, scale: Scale) -> None:
    """The colour map from ``scale.low`` to ``scale.high`` as a bar, with ticks and labels."""
    ramp = np.rint(np.linspace(0, RAMP - 1, width)).astype(np.uint8)
    canvas[top - 1:top + BAR_PX + 1, left - 1:left + width + 1] = INK      # its frame
    canvas[top:top + BAR_PX, left:left + width] = ramp
    ticks = [(0, scale.low), (width - 1, scale.high)]
    if scale.signed:
        ticks.insert(1, (width // 2, 0.0))
    for x, _ in ticks:
        canvas[top + BAR_PX:top + BAR_PX + 4, left + x] = INK
    _write(canvas, top + BAR_PX + 5,
           [(left + x, format_number(value), "la" if x == 0 else "ra" if x == width - 1
             else "ma") for x, value in ticks])


def _write(canvas: np.ndarray, top: int, texts: list[tuple[int, str, str]]) -> None:
    """Each ``(x, text, anchor)`` of ``texts`` in ink on white, its top at row ``top``
    (Pillow's anchors: "la" left, "ma" middle, "ra" right)."""
    image = Image.new("L", (canvas.shape[1], LABEL_PX + 6))
    draw = ImageDraw.Draw(image)
    for x, text, anchor in texts:
        draw.text((x, 0), text, fill=255, font=font(LABEL_PX), anchor=anchor)
    coverage = np.asarray(image)[:canvas.shape[0] - top]                  # (rows, W)
    inked = coverage > 0
    canvas[top:top + coverage.shape[0]][inked] = RAMP + np.rint(
        coverage[inked] / 255 * (INK_LEVELS - 1)).astype(np.uint8)


def outlined(pixels: np.ndarray, box: tuple[int, int, int, int] | None = None) -> np.ndarray:
    """A picture's pixels ``(C, H, W)`` (0..255) as an RGB image ``(H, W, 3)`` uint8, with
    the rectangle ``box`` (top, left, bottom, right; may reach outside) outlined in the
    mark's colour."""
    rgb = np.broadcast_to(np.rint(np.clip(pixels, 0, 255)).astype(np.uint8).transpose(1, 2, 0),
                          (*pixels.shape[1:], 3)).copy()
    if box is not None:
        codes = np.zeros(rgb.shape[:2], np.uint8)                       # 0: the picture
        _outline(codes, box, (0, 0, *rgb.shape[:2]))
        rgb[codes == MARK], rgb[codes == HALO] = MARK_RGB, style.WHITE
    return rgb
