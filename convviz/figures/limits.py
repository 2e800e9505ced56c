"""Sizing, caps and checks every figure shares: how big a figure may be and how it is sized.

Each cap is checked from a spec's arithmetic before any array is made, by the figure classes'
``check`` (see :class:`convviz.figures.base.Figure`), so the CLI, the app and any caller get
the same one-line refusal.

>>> check_count(9, 8)  # doctest: +ELLIPSIS
Traceback (most recent call last):
convviz.errors.ConvVizError: the figure has 9 frames (one per output cell), more than ...
"""
from __future__ import annotations

from ..errors import ConvVizError
from ..ops.args import check_int
from . import style

MAX_FRAMES = 1024
"""Default cap on frames per animation; pass ``max_frames`` to raise it."""
MAX_SIDE_PX = 800
"""Figures wider or taller than this at the reference scale are drawn with smaller cells
(800 px fits a laptop screen or a projector without scrolling)."""
MAX_GRID_CELLS = 160
"""Largest drawn grid side (in cells) of an oblique (classic) figure."""
MAX_NUMBER_CELLS = 16
"""Largest grid side (in cells) of a figure that writes numbers in its cells."""


def check_count(count: int, max_frames: int, per: str = "output cell") -> int:
    """``count``, or a ConvVizError when an animation of ``count`` frames (one ``per``
    something) is longer than ``max_frames``."""
    if count > max_frames:
        raise ConvVizError(f"the figure has {count} frames (one per {per}), more than "
                           f"max_frames={max_frames}: raise max_frames (--max-frames) or use a "
                           f"smaller input")
    return count


def check_frame(index: int, count: int) -> int:
    """``index`` as an int, or a ConvVizError when an animation of ``count`` frames has no
    such frame (frames count from 0)."""
    return check_int(index, "frame", 0, count - 1)


def check_grid(shape: tuple[int, int], limit: int, style_name: str, what: str) -> None:
    """Refuse a drawn grid of ``shape`` cells with a side over ``limit``."""
    if max(shape) > limit:
        raise ConvVizError(f"the {style_name} figure draws at most {limit} cells per side, "
                           f"got a {shape[0]} x {shape[1]} {what}: lower input_size, padding "
                           f"or stride")


def fit_unit(width_u: float, height_u: float) -> float:
    """The reference grid unit, or less so that a figure ``width_u`` x ``height_u`` units
    stays within MAX_SIDE_PX."""
    return min(style.UNIT_PX, (MAX_SIDE_PX - 2 * style.BORDER_PX - 3) / max(width_u, height_u))


def canvas_size(width_u: float, height_u: float, unit_px: float) -> tuple[int, int]:
    """``(H, W)`` pixels of a figure ``width_u`` x ``height_u`` units with its border, as the
    references size theirs (docs/style.md)."""
    border = 2 * style.BORDER_PX + 2.2
    return int(height_u * unit_px + border), int(width_u * unit_px + border)
