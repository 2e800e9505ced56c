"""A self-contained HTML step player for a figure's frames: play/pause, previous/next, a
scrubber, speed, the current step's caption and a PNG of the current frame, all client-side.

Inside a page (the app's iframe) it sizes its figure to the column and to the first screen,
so the figure, its controls and the step's arithmetic show without scrolling; reports its
real height (the page's frame shrinks after a taller figure); tells the page its step
(``{"type": "convviz:step", "key", "step", "playing"}``) and shows the step the page asks
for (``{"type": "convviz:show", "key", "step"}``), all by ``postMessage``.

The frames travel compactly: the first frame's pixels, then for every other frame only the
runs of pixels in which it differs from the frame before (run-length positions, XOR-ed codes),
all deflated. The browser unpacks them (``DecompressionStream``) and paints any frame on a canvas
by applying the changes from where it is, so stepping never asks the server for anything.

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

from .errors import ConvVizError
from .export import check_duration
from .figures.style import DURATION_MS

_TEMPLATE = Path(__file__).resolve().parent / "player.html"
"""The page, with ``{{name}}`` slots; package data, so an installed convviz has it too."""


UPSCALE = 1.6
"""The canvas fills its column up to this many times the frame's own size (projectors)..."""
MAX_HEIGHT_PX = 600
"""...and up to this height, so that the step controls stay on a 1080p screen."""


def rgba_words(colours: np.ndarray) -> np.ndarray:
    """RGB rows ``(..., 3)`` uint8 as the little-endian RGBA words a canvas holds, opaque."""
    c = colours.astype(np.uint32)
    return np.uint32(0xFF000000) | c[..., 0] | (c[..., 1] << 8) | (c[..., 2] << 16)


def _codes(frame: np.ndarray) -> np.ndarray:
    """A frame's palette indices ``(H, W)`` uint8, or the refusal."""
    if frame.ndim != 2 or frame.dtype != np.uint8:
        raise ConvVizError(f"frames must be (H, W) uint8 indices into the palette, "
                           f"got {frame.dtype} {frame.shape}")
    return frame


def _runs(where: np.ndarray) -> np.ndarray:
    """Sorted flat positions as runs ``(gap, length)``, uint32, shape (R, 2): each run starts
    ``gap`` after the previous run's end (the first after 0)."""
    if not len(where):
        return np.zeros((0, 2), np.uint32)
    breaks = np.flatnonzero(np.diff(where) != 1) + 1                 # (R - 1,) run starts
    starts = where[np.r_[0, breaks]]
    ends = where[np.r_[breaks - 1, len(where) - 1]] + 1
    gaps = starts - np.r_[0, ends[:-1]]
    return np.stack([gaps, ends - starts], axis=1).astype(np.uint32)   # (R, 2)


def encode_patches(frames: Iterable[np.ndarray]) -> tuple[tuple[int, int], bytes, int]:
    """The frames as the player unpacks them: the first in full, then each one's change.

    Parameters
    ----------
    frames : iterable of ndarray, each (H, W) uint8 palette indices

    Returns
    -------
    size : (H, W)
    patches : bytes, zlib-compressed, in this order: ``counts`` (uint32, one per frame: how many
        runs of pixels change from the frame before; 0 for the first), every run as ``(gap,
        length)`` (uint32 pairs, see :func:`_runs`), the first frame's codes (H*W), and the
        change of every pixel in the runs (its index XOR the previous frame's, so that applying
        a change twice undoes it), all uint8.
    count : int, the number of frames
    """
    frames = iter(frames)
    first = next(frames, None)
    if first is None:
        raise ConvVizError("frames must hold at least one frame, got none")
    previous = base = _codes(first).ravel()
    counts, runs, changes = [0], [], []
    for frame in frames:
        codes = _codes(frame)
        if codes.shape != first.shape[:2]:
            raise ConvVizError(f"frames must all have one size, got {codes.shape[:2]} after "
                               f"{first.shape[:2]}")
        codes = codes.ravel()
        where = np.flatnonzero(codes != previous)              # (changed,) flat positions
        runs.append(_runs(where))
        counts.append(len(runs[-1]))
        changes.append(codes[where] ^ previous[where])
        previous = codes
    raw = b"".join([np.asarray(counts, np.uint32).tobytes(), *(r.tobytes() for r in runs),
                    base.tobytes(), *(c.tobytes() for c in changes)])
    return first.shape[:2], zlib.compress(raw, 1), len(counts)


def _script_json(value) -> str:
    """``value`` as JSON that is safe inside a ``<script>`` element."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def html(frames: Iterable[np.ndarray], captions: Sequence[str], *, palette: np.ndarray,
         duration_ms: int = DURATION_MS, name: str = "convviz", key: str = "",
         autoplay: bool = True) -> str:
    """A standalone HTML page that plays ``frames`` with step controls and ``captions``.

    Parameters
    ----------
    frames : iterable of ndarray, each (H, W) uint8 indices into ``palette`` (as
        :meth:`convviz.figures.base.Figure.frames` gives)
    captions : one string per frame, shown under it (the step's computation)
    palette : ndarray, shape (P, 3), uint8, keyword only
    duration_ms : how long each frame shows at 1x speed, keyword only
    name : the stem of the current frame's PNG file name, keyword only
    key : any string, exposed as the page's ``data-key`` (what the page shows), keyword only
    autoplay : start playing when loaded, keyword only

    Returns
    -------
    str, a complete HTML document with no external resources.
    """
    duration_ms = check_duration(duration_ms)
    (height, width), patches, count = encode_patches(frames)
    if len(captions) != count:
        raise ConvVizError(f"captions must hold one string per frame ({count}), "
                           f"got {len(captions)}")
    lut = rgba_words(np.asarray(palette, np.uint8)).tolist()
    max_width = round(width * min(UPSCALE, MAX_HEIGHT_PX / height))
    data = {"n": count, "duration": duration_ms, "autoplay": bool(autoplay), "name": name,
            "captions": list(captions), "lut": lut, "key": key, "maxWidth": max_width,
            "patches": base64.b64encode(patches).decode("ascii")}
    slots = {"key": _html.escape(key), "frames": str(count), "last": str(count - 1),
             "width": str(width), "height": str(height),
             "max_width": str(max_width),
             "data": _script_json(data)}
    return re.sub(r"\{\{(\w+)\}\}", lambda m: slots[m.group(1)], _template())


def _template() -> str:
    """The page template (convviz/player.html), or a ConvVizError saying where it belongs."""
    try:
        return _TEMPLATE.read_text(encoding="utf-8")
    except OSError:
        raise ConvVizError(f"the player's page template is missing: {_TEMPLATE}") from None
