"""A self-contained HTML step player for a figure's frames: play/pause, previous/next, a
scrubber, speed, the current step's caption and a PNG of the current frame, all client-side.

The frames travel compactly: the first frame as a PNG, and every other frame as the pixels in
which it differs from the first (delta-coded positions, colours, deflated). The browser draws
the first frame at once, then unpacks the rest (``DecompressionStream``) and paints any frame
on a canvas in a millisecond, so stepping never asks the server for anything.

>>> import numpy as np
>>> frames = [np.zeros((4, 6), np.uint8), np.eye(4, 6, dtype=np.uint8)]
>>> page = html(frames, ["first", "second"], palette=np.array([[255] * 3, [0] * 3], np.uint8))
>>> page.startswith("<!doctype html>"), 'data-frames="2"' in page
(True, True)
"""
from __future__ import annotations

import base64
import html as _html
import json
import re
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from . import export, style
from .errors import ConvVizError

_TEMPLATE = Path(__file__).resolve().parent.parent / "assets" / "player.html"
"""The page, with ``{{name}}`` slots; it lives with the app's other static assets."""


def _abgr(colours: np.ndarray) -> np.ndarray:
    """RGB rows ``(..., 3)`` uint8 as the little-endian RGBA words a canvas holds, opaque."""
    c = colours.astype(np.uint32)
    return np.uint32(0xFF000000) | c[..., 0] | (c[..., 1] << 8) | (c[..., 2] << 16)


def _codes(frame: np.ndarray, palette: np.ndarray | None) -> np.ndarray:
    """A frame as one code per pixel, ``(H, W)``: its palette indices, or packed RGB words."""
    if palette is not None:
        if frame.ndim != 2:
            raise ConvVizError(f"with a palette, frames must be (H, W) indices, "
                               f"got shape {frame.shape}")
        return frame
    if frame.ndim != 3 or frame.shape[2] != 3 or frame.dtype != np.uint8:
        raise ConvVizError(f"frames must be uint8 (H, W, 3), got {frame.dtype} {frame.shape}")
    return _abgr(frame)


def encode_patches(frames: Iterable[np.ndarray], *,
                   palette: np.ndarray | None = None) -> tuple[np.ndarray, bytes, int]:
    """The first frame and every frame's difference from it, as the player unpacks them.

    Parameters
    ----------
    frames : iterable of ndarray, each (H, W) uint8 indices into ``palette``, or (H, W, 3) uint8
    palette : ndarray, shape (P, 3), uint8, optional

    Returns
    -------
    first : ndarray, the first frame as given
    patches : bytes, zlib-compressed: ``counts`` (uint32, one per frame), then every frame's
        changed pixel positions (flat, uint32, each the gap from the previous one in that
        frame), then their values (palette indices as uint8, else RGBA words as uint32)
    count : int, the number of frames
    """
    frames = iter(frames)
    first = next(frames, None)
    if first is None:
        raise ConvVizError("frames must hold at least one frame, got none")
    base = _codes(first, palette)
    counts, gaps, values = [0], [], []
    for frame in frames:
        codes = _codes(frame, palette)
        if codes.shape != base.shape:
            raise ConvVizError(f"frames must all have one size, got {codes.shape[:2]} after "
                               f"{base.shape[:2]}")
        where = np.flatnonzero(codes != base)                  # (changed,) flat positions
        counts.append(len(where))
        gaps.append(np.diff(where, prepend=0).astype(np.uint32))
        values.append(codes.ravel()[where])
    value_type = np.uint8 if palette is not None else np.uint32
    raw = b"".join([np.asarray(counts, np.uint32).tobytes(), *(g.tobytes() for g in gaps),
                    *(v.astype(value_type).tobytes() for v in values)])
    return first, zlib.compress(raw, 3), len(counts)


def _script_json(value) -> str:
    """``value`` as JSON that is safe inside a ``<script>`` element."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def html(frames: Iterable[np.ndarray], captions: Sequence[str], *,
         palette: np.ndarray | None = None, duration_ms: int = style.DURATION_MS,
         name: str = "convviz", key: str = "", autoplay: bool = True) -> str:
    """A standalone HTML page that plays ``frames`` with step controls and ``captions``.

    Parameters
    ----------
    frames : iterable of ndarray, each (H, W) uint8 indices into ``palette`` (as
        :func:`convviz.render.indexed_frames` gives), or (H, W, 3) uint8 RGB
    captions : one string per frame, shown under it (the step's computation)
    palette : ndarray, shape (P, 3), uint8, optional, keyword only
    duration_ms : how long each frame shows at 1x speed, keyword only
    name : the stem of the current frame's PNG file name, keyword only
    key : any string, exposed as the page's ``data-key`` (what the page shows), keyword only
    autoplay : start playing when loaded, keyword only

    Returns
    -------
    str, a complete HTML document with no external resources.
    """
    duration_ms = int(duration_ms)
    if duration_ms < 1:
        raise ConvVizError(f"duration_ms must be >= 1, got {duration_ms}")
    first, patches, count = encode_patches(frames, palette=palette)
    if len(captions) != count:
        raise ConvVizError(f"captions must hold one string per frame ({count}), "
                           f"got {len(captions)}")
    png = export.encode([first], "png", palette=palette)
    height, width = first.shape[:2]
    lut = [] if palette is None else _abgr(np.asarray(palette, np.uint8)).tolist()
    data = {"n": count, "duration": duration_ms, "autoplay": bool(autoplay), "name": name,
            "captions": list(captions), "lut": lut, "wide": palette is None,
            "patches": base64.b64encode(patches).decode("ascii")}
    slots = {"key": _html.escape(key), "frames": str(count), "last": str(count - 1),
             "width": str(width), "height": str(height),
             "base": base64.b64encode(png).decode("ascii"), "data": _script_json(data)}
    return re.sub(r"\{\{(\w+)\}\}", lambda m: slots[m.group(1)], _template())


def _template() -> str:
    """The page template (assets/player.html), or a ConvVizError saying where it belongs."""
    try:
        return _TEMPLATE.read_text(encoding="utf-8")
    except OSError:
        raise ConvVizError(f"the player's page template is missing: {_TEMPLATE}") from None
