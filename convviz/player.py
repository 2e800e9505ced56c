"""A self-contained HTML step player for a figure's frames: play/pause, previous/next, a
scrubber, speed, the current step's caption and a PNG of the current frame, all client-side;
"step k of N" in large type, fullscreen, and the keys a presenter's clicker sends (PageDown,
PageUp, Space, arrows) as soon as the page has the focus.

Over the frames lies a transparent SVG layer with one focusable shape per drawn cell (the
figure's :meth:`~convviz.figures.base.Figure.targets`, named ``x[1,1]``, ``y[0,2]``):
pointing at or focusing a cell lights up the cells it feeds or reads and says so; choosing an
output cell shows the step that computes it.

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
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import ConvVizError
from .export import check_duration
from .figures.base import Target
from .figures.style import DURATION_MS

_TEMPLATE = Path(__file__).resolve().parent / "player.html"
"""The page, with ``{{name}}`` slots; package data, so an installed convviz has it too."""


UPSCALE = 1.6
"""The canvas fills its column up to this many times the frame's own size (projectors)..."""
MAX_HEIGHT_PX = 600
"""...and up to this height, so that the step controls stay on a 1080p screen."""


HINT = ("Point at a cell, or Tab to it: an input cell lights up the output cells it feeds; "
        "choose an output cell to see the step that computes it.")
"""What the cell line says before any cell is pointed at."""


@dataclass(frozen=True)
class Page:
    """What a page shows around the player.

    Attributes
    ----------
    title : str, the document's title
    alt : str, the figure's text alternative (the canvas's accessible name)
    head, foot : str
        HTML above and below the player (a standalone page's title, formula and credits);
        empty in the app, which shows its own. Their presence makes the page a whole page.
    """

    title: str = "convviz player"
    alt: str = "The convolution, one kernel position per step"
    head: str = ""
    foot: str = ""


def overlay(targets: Sequence[Target]) -> str:
    """The SVG shapes of the cells a page points at: one ``<polygon class="cell">`` per
    target, its name as its accessible name, its step, links and line as data.

    >>> from convviz.figures.base import Target
    >>> overlay([Target("x[0,0]", ((0, 0), (2, 0), (2, 1.5), (0, 1)), None, ("y[0,0]",),
    ...                 "x[0,0] feeds y[0,0]")])
    '<polygon class="cell" points="0,0 2,0 2,1.5 0,1" aria-label="x[0,0]" \
data-links="y[0,0]" data-line="x[0,0] feeds y[0,0]"/>'
    """
    shapes = []
    for target in targets:
        points = " ".join(f"{round(x, 1):g},{round(y, 1):g}" for x, y in target.outline)
        step = "" if target.step is None else f' data-step="{target.step}"'
        shapes.append(f'<polygon class="cell" points="{points}" aria-label="{target.name}"'
                      f'{step} data-links="{" ".join(target.links)}" '
                      f'data-line="{_html.escape(target.line)}"/>')
    return "\n".join(shapes)


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


def encode_patches(frames: Iterable[np.ndarray], *,
                   level: int = 1) -> tuple[tuple[int, int], bytes, int]:
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

    ``level`` is zlib's (1 fast, for the app; 9 small, for files).
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
    return first.shape[:2], zlib.compress(raw, level), len(counts)


def _script_json(value) -> str:
    """``value`` as JSON that is safe inside a ``<script>`` element."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def html(frames: Iterable[np.ndarray], captions: Sequence[str], *, palette: np.ndarray,
         duration_ms: int = DURATION_MS, name: str = "convviz", key: str = "",
         autoplay: bool = True, targets: Sequence[Target] = (), page: Page = Page(),
         embedded: bool = False, level: int = 1) -> str:
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
    targets : the cells to point at, outlined in frame pixels, keyword only
    page : the title, alt text and what the page shows around the player, keyword only
    embedded : the player sits in a frame of a page of the same origin (the app): keys typed
        on that page step it too, keyword only
    level : zlib's compression level of the frames (:func:`encode_patches`), keyword only

    Returns
    -------
    str, a complete HTML document with no external resources.
    """
    duration_ms = check_duration(duration_ms)
    (height, width), patches, count = encode_patches(frames, level=level)
    if len(captions) != count:
        raise ConvVizError(f"captions must hold one string per frame ({count}), "
                           f"got {len(captions)}")
    colours = base64.b64encode(np.ascontiguousarray(palette, np.uint8).tobytes()).decode()
    max_width = round(width * min(UPSCALE, MAX_HEIGHT_PX / height))
    data = {"n": count, "duration": duration_ms, "autoplay": bool(autoplay), "name": name,
            "captions": list(captions), "palette": colours, "embedded": bool(embedded),
            "hint": HINT, "key": key, "maxWidth": max_width,
            "patches": base64.b64encode(patches).decode("ascii")}
    slots = {"key": _html.escape(key), "frames": str(count), "last": str(count - 1),
             "width": str(width), "height": str(height), "max_width": str(max_width),
             "data": _script_json(data), **_around(page, targets)}
    return re.sub(r"\{\{(\w+)\}\}", lambda m: slots[m.group(1)], _template())


def _around(page: Page, targets: Sequence[Target]) -> dict[str, str]:
    """The template's slots for what surrounds the frames: the page, the cells."""
    return {"cells": overlay(targets), "cell_hint": HINT if targets else "",
            "cell_hidden": "" if targets else "hidden", "title": _html.escape(page.title),
            "alt": _html.escape(page.alt), "head": page.head, "foot": page.foot,
            "body_class": "page" if page.head else ""}


@lru_cache(maxsize=1)
def _template() -> str:
    """The page template (convviz/player.html) without its indentation and its scripts'
    end-of-line comments (a smaller page), or a ConvVizError saying where it belongs."""
    try:
        text = _TEMPLATE.read_text(encoding="utf-8")
    except OSError:
        raise ConvVizError(f"the player's page template is missing: {_TEMPLATE}") from None
    return re.sub(r"(?m)^[ \t]+|[ \t]+// .*$", "", text)
