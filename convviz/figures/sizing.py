"""Sizing, caps and checks every figure shares: how big a figure may be and how it is sized.

Each cap is checked from a spec's arithmetic before any array is made, by the figure classes'
``check`` (see :class:`convviz.figures.base.Figure`), so the CLI, the app and any caller get
the same one-line refusal. :func:`canvas` is the pixel geometry of an oblique (classic)
figure, as the references measure it (``docs/style.md``).

>>> check_count(9, 8)  # doctest: +ELLIPSIS
Traceback (most recent call last):
convviz.errors.ConvVizError: the figure has 9 frames (one per output cell), more than ...
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import ConvVizError
from ..ops.args import check_int
from . import style

MAX_FRAMES = 1024
"""Default cap on frames per animation; pass ``max_frames`` to raise it."""
SCALE_RANGE = (0.5, 4.0)
"""How much larger (or smaller) than on screen a figure may be drawn, for print."""
MAX_SIDE_PX = 800
"""Figures wider or taller than this at the reference scale are drawn with smaller cells
(800 px fits a laptop screen or a projector without scrolling)."""
MAX_GRID_CELLS = 160
"""Largest drawn grid side (in cells) of an oblique (classic) figure."""
MAX_CHANNELS = 16
"""Most input or output channels a figure draws."""
MAX_NUMBER_CELLS = 16
"""Largest grid side (in cells) of a figure that writes numbers in its cells."""
MAX_NUMBERS_SIDE_PX = 2048
"""Widest (or tallest) a numbers figure grows its cells for wide numbers; beyond, the numbers
get a smaller font, down to one still legible, or the figure is refused (every frame's cost
grows with its pixels: 16 x 16 cells of '-1234568' were 3200 px wide)."""


def check_count(count: int, max_frames: int, per: str = "output cell") -> int:
    """``count``, or a ConvVizError when an animation of ``count`` frames (one ``per``
    something) is longer than ``max_frames``."""
    if count > max_frames:
        raise ConvVizError(f"the figure has {count} frames (one per {per}), more than "
                           f"max_frames={max_frames}: raise max_frames (--max-frames) or use a "
                           f"smaller input")
    return count


def check_scale(scale: float) -> float:
    """``scale`` as a float when it is a number in :data:`SCALE_RANGE`, else the refusal.

    >>> check_scale(2)
    2.0
    """
    low, high = SCALE_RANGE
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not \
            low <= scale <= high:
        raise ConvVizError(f"scale must be a number in {low:g}..{high:g}, got {scale!r}")
    return float(scale)


def check_frame(index: int, count: int) -> int:
    """``index`` as an int, or a ConvVizError when an animation of ``count`` frames has no
    such frame (frames count from 0)."""
    return check_int(index, "frame", 0, count - 1)


def check_grid(shape: tuple[int, int], limit: int, style_name: str, what: str) -> None:
    """Refuse a drawn grid of ``shape`` cells with a side over ``limit`` (``style_name``
    and ``what`` name the figure and the grid in the message)."""
    if max(shape) > limit:
        raise ConvVizError(f"the {style_name} style draws at most {limit} cells per side, "
                           f"got a {shape[0]} x {shape[1]} {what}: lower input_size, padding "
                           f"or stride")


def fit_unit(width_u: float, height_u: float, extra_px: tuple[float, float] = (0, 0)) -> float:
    """The reference grid unit, or less so that a figure ``width_u`` x ``height_u`` units
    (plus ``extra_px`` (H, W) of labels) stays within MAX_SIDE_PX."""
    room = MAX_SIDE_PX - 2 * style.BORDER_PX - 3
    return min(style.UNIT_PX, (room - extra_px[1]) / width_u, (room - extra_px[0]) / height_u)


def canvas_size(width_u: float, height_u: float, unit_px: float,
                extra_px: tuple[float, float] = (0, 0)) -> tuple[int, int]:
    """``(H, W)`` pixels of a figure ``width_u`` x ``height_u`` units (plus ``extra_px``
    (H, W) of labels) with its border, as the references size theirs (docs/style.md)."""
    border = 2 * style.BORDER_PX + 2.2
    return (int(height_u * unit_px + extra_px[0] + border),
            int(width_u * unit_px + extra_px[1] + border))


@dataclass(frozen=True)
class Canvas:
    """Pixel geometry of a classic figure.

    Attributes
    ----------
    size : (H, W)
    unit_px : float
    input_origin, output_origin : (x, y)
        Pixel position of each grid's bottom-left corner (its bottom vertex).
    """

    size: tuple[int, int]
    unit_px: float
    input_origin: tuple[float, float]
    output_origin: tuple[float, float]

    def point(self, layer: str, x: float, y: float) -> tuple[float, float]:
        """Pixel position of grid point ``(x, y)`` (y from the bottom) of "input"/"output"."""
        ox, oy = self.input_origin if layer == "input" else self.output_origin
        u = self.unit_px
        return (ox + u * (x + style.SHEAR_X * y), oy - u * (style.SLOPE * x + style.SHEAR_Y * y))


def canvas(drawn: tuple[int, int], output_shape: tuple[int, int],
           unit_px: float | None = None) -> Canvas:
    """The canvas for a ``(GH, GW)`` grid under a ``(H_out, W_out)`` output (docs/style.md)."""
    (gh, gw), (oh, ow) = drawn, output_shape
    width_u = gw - style.SHEAR_X * gh
    height_u = max(gh + 1 + style.SLOPE * ow + style.SHEAR_Y * oh,
                   style.SLOPE * gw + style.SHEAR_Y * gh)
    unit_px = fit_unit(width_u, height_u) if unit_px is None else unit_px
    size = canvas_size(width_u, height_u, unit_px)
    border = style.BORDER_PX
    origin = (border + 1 - style.SHEAR_X * gh * unit_px, size[0] - border - 1)
    output = (origin[0] - style.OUTPUT_SHIFT_PX, origin[1] - (gh + 1) * unit_px)
    return Canvas(size, unit_px, origin, output)
