"""The colour tables of the figures: every frame is palette indices into one of these.

:class:`Palette` holds the oblique figures' fills under grid-line or connector ink at
:data:`~convviz.figures.raster.LEVELS` coverages; :class:`TextPalette` holds the numerical
figures' fills with their text colour at a few coverages, so anti-aliased text stays exact in
a GIF's 256 colours.

>>> pal = Palette([(255, 255, 255), (38, 139, 210)])
>>> int(pal.index(1, ink=0)), int(pal.index(1, ink=LEVELS - 1)), pal.colours.shape
(16, 31, (64, 3))
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from . import style
from .raster import LEVELS

CURRENT = style.blend(style.OUTPUT, style.KERNEL, style.KERNEL_ALPHA)
"""Fill of the output cell being computed (and of the cells a scatter step stamps)."""


class Palette:
    """Fills x (line ink | black ink) x coverage levels, as one colour table.

    Index ``fill * LEVELS + level`` is ``level`` of line ink over the fill; black-ink
    entries (connectors) follow all of those.

    Parameters
    ----------
    fills : list of (r, g, b)
        The flat colours of cells and background; at most 8.
    """

    def __init__(self, fills: list[style.RGB]) -> None:
        assert len(fills) <= 8, "a GIF palette holds 256 colours"
        self.fills = list(fills)
        alpha = np.arange(LEVELS) / (LEVELS - 1)                      # (LEVELS,)
        base = np.array(fills, dtype=float)[:, None, :]               # (F, 1, 3)
        line = base + (np.array(style.LINE) - base) * alpha[None, :, None]
        black = base + (np.array(style.BLACK) - base) * alpha[None, :, None]
        self.colours = np.rint(np.concatenate([line, black]).reshape(-1, 3)).astype(np.uint8)
        n = len(fills) * LEVELS
        self.fill_of = np.tile(np.repeat(np.arange(len(fills)), LEVELS), 2).astype(np.uint8)
        self.level_of = np.tile(np.arange(LEVELS), 2 * len(fills)).astype(np.uint8)
        self.black_offset = n

    def index(self, fill: np.ndarray | int, ink: np.ndarray | int = 0) -> np.ndarray:
        """Palette index of line ink at level ``ink`` over ``fill`` (arrays broadcast)."""
        return (np.asarray(fill, dtype=np.uint16) * LEVELS + ink).astype(np.uint8)

    def with_black(self, indices: np.ndarray, level: np.ndarray) -> np.ndarray:
        """``indices`` with black ink at ``level`` laid over them where it is darker."""
        fill, old = self.fill_of[indices], self.level_of[indices]
        black = (self.black_offset + fill.astype(np.uint16) * LEVELS + level).astype(np.uint8)
        return np.where(level > old, black, indices)

    def rgb(self, indices: np.ndarray) -> np.ndarray:
        """RGB of palette indices: shape (H, W) -> (H, W, 3) uint8."""
        return self.colours[indices]


def shade(fill: style.RGB) -> style.RGB:
    """``fill`` under the kernel's translucent overlay."""
    return style.blend(fill, style.KERNEL, style.KERNEL_ALPHA)


def _luminance(rgb: style.RGB) -> float:
    linear = [(v / 255) / 12.92 if v <= 10 else ((v / 255 + 0.055) / 1.055) ** 2.4 for v in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@lru_cache(maxsize=256)
def ink(fill: style.RGB) -> style.RGB:
    """White or dark text on ``fill``, by contrast (white wins near a tie, as on blue)."""
    lum = _luminance(fill)
    white, dark = 1.05 / (lum + 0.05), (lum + 0.05) / (_luminance(style.TEXT) + 0.05)
    return style.WHITE if 1.15 * white >= dark else style.TEXT


class TextPalette:
    """Fills, each with its text colour (:func:`ink`) at ``levels`` coverages, as one colour
    table: index ``fill * levels + level``. 16 levels where the fills allow, else 8.

    >>> pal = TextPalette([style.WHITE, style.INPUT])
    >>> pal.levels, pal.colours.shape, int(pal.line)
    (16, (32, 3), 15)
    """

    def __init__(self, fills: list[style.RGB]) -> None:
        self.levels = 16 if len(fills) <= 16 else 8
        assert len(fills) * self.levels <= 256, "a GIF palette holds 256 colours"
        self.ids = {fill: i for i, fill in enumerate(fills)}
        alpha = np.arange(self.levels) / (self.levels - 1)                    # (L,)
        base = np.array(fills, dtype=float)[:, None, :]                        # (F, 1, 3)
        text = np.array([ink(fill) for fill in fills], dtype=float)[:, None, :]
        self.colours = np.rint(base + (text - base) * alpha[None, :, None]).reshape(-1, 3) \
            .astype(np.uint8)                                                  # (F*L, 3)
        self.line = np.uint8(self.ids[style.WHITE] * self.levels + self.levels - 1)
        """Grid lines: text colour on white at full coverage (the text colour is LINE)."""

    def index(self, fill: style.RGB, coverage: np.ndarray) -> np.ndarray:
        """Indices of text at ``coverage`` (uint8 0..255, any shape) on ``fill``."""
        level = (coverage.astype(np.uint16) * (self.levels - 1) + 127) // 255
        return (self.ids[fill] * self.levels + level).astype(np.uint8)


def slide_fills(scheme: style.Scheme) -> list[style.RGB]:
    """The fills of the sliding-window figure in ``scheme``: background, input, both under
    the kernel, output, the current output cell."""
    return [scheme.background, scheme.input, scheme.shade(scheme.input),
            scheme.shade(scheme.background), scheme.output, scheme.current]


SLIDE_FILLS = slide_fills(style.SCHEMES["default"])
"""The sliding-window figure's fills in the conv_arithmetic colours."""
RAMP_STEPS = 12
"""At most this many shades in the scatter figure's count map."""


def counted(count: int, peak: int, scheme: style.Scheme = style.SCHEMES["default"]) -> style.RGB:
    """The count map's fill for ``count`` of ``peak`` contributions: the background for none,
    the scheme's ``count`` colour (violet) for the most, at most :data:`RAMP_STEPS` shades
    between.

    >>> counted(0, 4), counted(4, 4) == style.VIOLET
    ((255, 255, 255), True)
    """
    steps = min(max(peak, 1), RAMP_STEPS)
    level = math.ceil(count * steps / max(peak, 1))
    return style.blend(scheme.background, scheme.count, level / steps)


def scatter_fills(peak: int, scheme: style.Scheme = style.SCHEMES["default"]) -> list[style.RGB]:
    """The fills of the scatter figure with counts up to ``peak``: the sliding window's,
    and each count shade, plain and under the kernel."""
    shades = list(dict.fromkeys(counted(c, peak, scheme) for c in range(1, peak + 1)))
    return slide_fills(scheme) + shades + [scheme.shade(fill) for fill in shades]
