"""Which figure draws a spec: one entry point for the CLI and the app.

A :class:`View` is a spec plus how to show it. :func:`animation` gives its frames (as
palette indices where the renderer makes them, for fast GIFs) and :func:`still` one frame
as PNG, SVG or PDF bytes; :func:`save` writes either to a file by its suffix.

>>> view = View(ConvSpec(input_size=5, kernel_size=3, stride=2, padding=1))
>>> frame_count(view), still(view, 0, "png")[:4]
(9, b'\\x89PNG')
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import export, render
from .errors import ConvVizError
from .spec import ConvSpec

STILL_FORMATS = ("png", "svg", "pdf")
ANIMATION_FORMATS = ("gif", "mp4")


@dataclass(frozen=True)
class View:
    """A spec and the way to show it (hashable, so front ends can cache on it)."""

    spec: ConvSpec


@dataclass(frozen=True, eq=False)
class Animation:
    """Frames of a view: ``frames`` are (H, W) uint8 indices into ``palette`` (P, 3), or
    (H, W, 3) RGB when ``palette`` is None; ``count`` of them."""

    palette: np.ndarray | None
    frames: Iterator[np.ndarray]
    count: int


def frame_count(view: View) -> int:
    """How many frames the animation of ``view`` has."""
    return render.frame_count(view.spec)


def animation(view: View, *, max_frames: int = render.MAX_FRAMES) -> Animation:
    """The frames of ``view``, streamed (ConvVizError past ``max_frames``)."""
    palette, frames = render.indexed_frames(view.spec, max_frames=max_frames)
    return Animation(palette, frames, frame_count(view))


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
