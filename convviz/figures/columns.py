"""Where the stacks of a multi-channel figure stand, in grid units: arithmetic only.

One column per group of a convolution (:mod:`convviz.figures.channels`): its input channels
stacked :data:`DEPTH_UNITS` apart, its output maps above. Columns stand side by side and wrap
into rows when one row would draw cells under 70 % of the best size; a second stage
(separable's pointwise) stands centred above the first. Nothing here allocates an array, so
figures check their size with it before they draw.

>>> width, height, placed = plan(ConvSpec(in_channels=2, input_size=5).stages(), 1)
>>> round(width, 2), round(height, 2), len(placed[0])
(8.5, 9.95, 1)
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import ConvVizError
from ..geometry import grid_shape
from ..ops.spec import ConvSpec
from . import sizing, style
from .cells import font

DEPTH_UNITS = 0.5
"""Vertical distance between stacked channels, in grid units."""
MIN_UNIT_PX = 4.0
"""Smallest grid unit a figure is drawn with, in pixels."""
GAP = (1.0, 1.2, 2.0)
"""Units between columns, between rows, between stages."""
SHIFT = style.OUTPUT_SHIFT_PX / style.UNIT_PX
"""Output maps sit this many units left of straight above their input."""


def column(conv: ConvSpec) -> tuple[tuple[float, float, float], tuple, tuple]:
    """Extent ``(x0, x1, height)`` in units of one group's column, and the grid origins of
    its top input and top output sheet (the bottom input sheet's origin is (0, 0))."""
    (gh, gw), (oh, ow) = grid_shape(conv), conv.output_size
    top_in = (conv.in_channels // conv.groups - 1) * DEPTH_UNITS
    top_out = top_in + gh + 1 + (conv.out_channels // conv.groups - 1) * DEPTH_UNITS
    height = max(top_in + style.SLOPE * gw + style.SHEAR_Y * gh,
                 top_out + style.SLOPE * ow + style.SHEAR_Y * oh)
    return ((min(style.SHEAR_X * gh, -SHIFT + style.SHEAR_X * oh), max(gw, -SHIFT + ow),
             height), (0.0, top_in), (-SHIFT, top_out))


def plan(convs: tuple[ConvSpec, ...], per_row: int) -> tuple[float, float, list]:
    """Figure width and height (units) and, per convolution, each group's column origin.

    The first convolution's groups go ``per_row`` to a row, top row first. A second one
    (separable's pointwise stage, one column) stands centred above them: its input stack is
    their output maps, stacked.
    """
    (x0, x1, height), _, _ = column(convs[0])
    groups, n_rows = convs[0].groups, -(-convs[0].groups // per_row)
    placed = [[((g % per_row) * (x1 - x0 + GAP[0]) - x0,
                (n_rows - 1 - g // per_row) * (height + GAP[1])) for g in range(groups)]]
    width = per_row * (x1 - x0) + (per_row - 1) * GAP[0]
    total = n_rows * height + (n_rows - 1) * GAP[1]
    if len(convs) > 1:
        (x0, x1, second), _, _ = column(convs[1])
        left = max((width - (x1 - x0)) / 2, 0.0)
        placed.append([(left - x0, total + GAP[2])])
        width, total = max(width, x1 - x0), total + GAP[2] + second
    return width, total, placed


LABEL_PX = 14
"""Font size of the channel, group and stage labels."""


@dataclass(frozen=True)
class Margins:
    """Room for labels, in pixels: ``left`` of every column (channel indices), a ``bracket``
    band under every row of groups, a ``bottom`` band (the figure's or the first stage's
    name) and a ``top`` band (the second stage's name)."""

    left: int
    bracket: int
    bottom: int
    top: int

    def extra(self, per_row: int, rows: int) -> tuple[int, int]:
        """``(H, W)`` pixels the labels add to a figure of ``rows`` rows of ``per_row``."""
        return self.bottom + rows * self.bracket + self.top, per_row * self.left


def margins(convs: tuple[ConvSpec, ...]) -> Margins:
    """The label room of a figure of ``convs`` (font metrics only)."""
    widest = max(max(conv.in_channels, conv.out_channels) for conv in convs) - 1
    left = round(font(LABEL_PX).getlength(f"o{widest}")) + 8
    return Margins(left, 2 * LABEL_PX + 10 if convs[0].groups > 1 else 0, 2 * LABEL_PX,
                   2 * LABEL_PX if len(convs) > 1 else 0)


def per_row(convs: tuple[ConvSpec, ...]) -> int:
    """Groups per row: the fewest rows that draw cells at least 70 % as big as the best."""
    groups, room = convs[0].groups, margins(convs)
    units = {r: sizing.fit_unit(*plan(convs, r)[:2], room.extra(r, -(-groups // r)))
             for r in range(1, groups + 1)}
    good = [r for r in units if units[r] >= 0.7 * max(units.values())]
    return min(good, key=lambda r: (-(-groups // r), r))


def fit_unit(spec: ConvSpec, unit_px: float | None) -> float:
    """The grid unit of the figure of ``spec``: ``unit_px``, or the largest that fits
    MAX_SIDE_PX with its labels; a ConvVizError when it is under MIN_UNIT_PX (arithmetic
    only)."""
    convs = spec.stages()
    columns = per_row(convs)
    width, height, _ = plan(convs, columns)
    extra = margins(convs).extra(columns, -(-convs[0].groups // columns))
    unit = sizing.fit_unit(width, height, extra) if unit_px is None else float(unit_px)
    if unit_px is not None and unit < MIN_UNIT_PX:
        raise ConvVizError(f"unit_px must be >= {MIN_UNIT_PX:g}, got {unit_px}")
    if unit < MIN_UNIT_PX:
        raise ConvVizError(f"input_size {spec.input_size} with {spec.in_channels} -> "
                           f"{spec.out_channels} channels leaves {unit:.1f} px cells in "
                           f"{sizing.MAX_SIDE_PX} px (>= {MIN_UNIT_PX:g} needed): use a "
                           f"smaller input or fewer channels")
    return unit
