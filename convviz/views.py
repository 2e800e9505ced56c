"""Which figure draws a spec: one entry point for the CLI and the app.

A :class:`View` is a spec plus how to show it: the ``classic`` conv_arithmetic style
(:mod:`convviz.render`, vector stills from :mod:`convviz.figures`; multi-channel specs by
:mod:`convviz.channels`) or the ``numbers`` style
(:mod:`convviz.numbers`: the values in the cells, with a seed, a kernel preset or custom
values; for a transposed spec also the ``scatter`` view, what PyTorch computes).
:func:`animation` gives its frames (as palette indices where the renderer makes them, for
fast GIFs) and :func:`still` one frame as PNG, SVG or PDF bytes; :func:`save` writes either
to a file by its suffix.

>>> view = View(ConvSpec(input_size=5, kernel_size=3, stride=2, padding=1))
>>> frame_count(view), still(view, 0, "png")[:4]
(9, b'\\x89PNG')
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import channels, export, numbers, render, values
from .errors import ConvVizError
from .spec import ConvSpec

STILL_FORMATS = ("png", "svg", "pdf")
ANIMATION_FORMATS = ("gif", "mp4")
STYLES = ("classic", "numbers")

Table = tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class View:
    """A spec and the way to show it (hashable, so front ends can cache on it).

    Attributes
    ----------
    spec : ConvSpec
    style : {"classic", "numbers"}
    scatter : bool
        Numbers style, transposed spec: one frame per input cell stamping its scaled kernel
        (PyTorch's view) instead of the sliding window over the stretched input.
    seed : int
        Numbers style: the seed of the random small integers.
    kernel, values : str, rows of numbers, or None
        Numbers style: a kernel preset name (``"sobel_x"``) or rows (``"1,0,-1;2,0,-2;..."``),
        and the input's rows; None for the seeded random ones.
    """

    spec: ConvSpec
    style: str = "classic"
    scatter: bool = False
    seed: int = 0
    kernel: str | Table | None = None
    values: str | Table | None = None

    def __post_init__(self) -> None:
        if self.style not in STYLES:
            raise ConvVizError(f"style must be one of {', '.join(STYLES)}, got {self.style!r}")
        if self.style == "classic":
            extras = [name for name, unset in (("scatter", False), ("seed", 0), ("kernel", None),
                                               ("values", None)) if getattr(self, name) != unset]
            if extras:
                raise ConvVizError(f"{extras[0]} belongs to the numbers style: use style "
                                   f"'numbers' (--style numbers), got style 'classic'")
        if self.scatter and not self.spec.transposed:
            raise ConvVizError(f"the scatter view shows a transposed convolution: mode must be "
                               f"'transposed', got {self.spec.mode!r}")

    @property
    def _sweep(self) -> str:
        return "scatter" if self.scatter else "slide"


@dataclass(frozen=True, eq=False)
class Animation:
    """Frames of a view: ``frames`` are (H, W) uint8 indices into ``palette`` (P, 3), or
    (H, W, 3) RGB when ``palette`` is None; ``count`` of them."""

    palette: np.ndarray | None
    frames: Iterator[np.ndarray]
    count: int


@lru_cache(maxsize=8)
def numbers_figure(view: View) -> numbers.NumbersFigure:
    """The numbers a numbers-style view draws (its values, the engine's output)."""
    x, weight = values.values_for(view.spec, seed=view.seed, kernel=view.kernel,
                                  input=view.values)
    return numbers.numbers_figure(view.spec, x, weight)


def _classic(spec: ConvSpec):
    """The module that draws ``spec`` in the classic style."""
    return channels if channels.is_multichannel(spec) else render


def frame_count(view: View) -> int:
    """How many frames the animation of ``view`` has."""
    if view.style == "numbers":
        return numbers.frame_count(numbers_figure(view), view=view._sweep)
    return _classic(view.spec).frame_count(view.spec)


def animation(view: View, *, max_frames: int = render.MAX_FRAMES) -> Animation:
    """The frames of ``view``, streamed (ConvVizError past ``max_frames``)."""
    if view.style == "classic":
        palette, frames = _classic(view.spec).indexed_frames(view.spec, max_frames=max_frames)
        return Animation(palette, frames, frame_count(view))
    count = frame_count(view)
    if count > max_frames:
        raise ConvVizError(f"the figure has {count} frames, more than max_frames={max_frames}: "
                           f"raise max_frames (--max-frames) or use a smaller input")
    return Animation(None, numbers.frames(numbers_figure(view), view=view._sweep), count)


def frame(view: View, index: int) -> np.ndarray:
    """Frame ``index`` of the animation, uint8 (H, W, 3)."""
    count = frame_count(view)
    if not 0 <= index < count:
        raise ConvVizError(f"frame must be in 0..{count - 1}, got {index}")
    if view.style == "numbers":
        return numbers.frame(numbers_figure(view), index, view=view._sweep)
    return _classic(view.spec).frame(view.spec, index)


def still(view: View, index: int, fmt: str) -> bytes:
    """Frame ``index`` as "png", "svg" or "pdf" bytes."""
    if fmt not in STILL_FORMATS:
        raise ConvVizError(f"still format must be one of {', '.join(STILL_FORMATS)}, "
                           f"got {fmt!r}")
    count = frame_count(view)
    if not 0 <= index < count:
        raise ConvVizError(f"frame must be in 0..{count - 1}, got {index}")
    if fmt == "png":
        return export.encode([render.frame(view.spec, index)], "png")
    from . import figures  # matplotlib, imported only for vector stills

    return figures.still(view.spec, index, fmt)


def encode(view: View, fmt: str, *, duration_ms: int = 1000,
           max_frames: int = render.MAX_FRAMES) -> bytes:
    """The whole animation as "gif" or "mp4" bytes."""
    anim = animation(view, max_frames=max_frames)
    return export.encode(anim.frames, fmt, duration_ms=duration_ms, palette=anim.palette)


def save(view: View, path: str | os.PathLike, *, frame: int = 0, duration_ms: int = 1000,
         max_frames: int = render.MAX_FRAMES) -> Path:
    """Write ``view`` to ``path``: .gif/.mp4 animate, .png/.svg/.pdf show frame ``frame``."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt in ANIMATION_FORMATS:
        anim = animation(view, max_frames=max_frames)
        return export.save(anim.frames, path, duration_ms=duration_ms, palette=anim.palette)
    if fmt in STILL_FORMATS:
        return export.write_bytes(still(view, frame, fmt), path)
    formats = ", ".join("." + f for f in ANIMATION_FORMATS + STILL_FORMATS)
    raise ConvVizError(f"file suffix must be one of {formats}, got {path.suffix or 'none'!r} "
                       f"({path.name})")
