"""What takes time, cached: module-level pure functions of a hashable :class:`View` (and ints
and strings), each a call into convviz; and the pages' runs, one at a time.
"""
from __future__ import annotations

import functools
import threading

import streamlit as st

from convviz import Caption, ConvVizError, Swatch, Target, pages, views
from convviz.handout import handout
from convviz.ops import memory

MAX_FRAMES = 400
"""Most steps the in-browser animation plays."""
SECONDS_PER_MEGAPIXEL = {"gif": 0.012, "mp4": 0.08}
"""Measured encoding cost per frame-megapixel (benchmarks/render.py), to warn before waits."""


_RUNNING = threading.RLock()


def one_at_a_time(page):
    """``page`` (a page's or a fragment's function) run by one session at a time per server.

    Streamlit runs every session's page in a thread of its own, and the sessions of a class
    opening a link arrive together. Drawing is NumPy, which hands Python's lock from thread to
    thread around every array operation: 50 sessions (25 on new figures) run side by side
    cost the server 2.2-2.6 times the CPU of the same runs taken in turn, and their p95 came
    twice as late, not sooner (``benchmarks/load.py``, two cores). Downloads made on a click are
    not page runs: a long export never holds the pages up. Cached functions take no lock of
    their own, so no two locks are ever taken in opposite orders."""
    @functools.wraps(page)
    def run(*args, **kwargs):
        with _RUNNING:
            return page(*args, **kwargs)
    return run


def cached(max_entries: int):
    """``st.cache_data`` for a function of a View (and ints and strings), shared by every
    session. A View is keyed by its ``repr``: exact (every field; floats round-trip), and 25
    times cheaper than Streamlit's own hasher, which walks it field by field (0.5 ms a call,
    about ten calls a page run)."""
    return st.cache_data(max_entries=max_entries, show_spinner=False,
                         hash_funcs={views.View: repr})


@cached(48)
def step_captions(view: views.View) -> tuple[Caption, ...]:
    """What each frame computes, with the view's numbers (else which output cells it fills)."""
    return views.captions(view)


@cached(48)
def player_page(view: views.View, problem: str | None = None) -> str:
    """The step player's HTML for ``view``, its cells to point at, and keys typed on the app's
    page stepping it; where the page cannot draw it (``problem``: why), a player of one frame
    that says why and what to change."""
    if problem is None:
        page = views.player_page(view, max_frames=MAX_FRAMES, embedded=True)
    else:
        page = views.notice_page(view, problem, embedded=True)
    memory.release()                          # the frames' arrays: back to the system
    return page


@cached(48)
def legend(view: views.View) -> tuple[Swatch, ...]:
    """What the figure's colours mean (made without drawing the figure again)."""
    return views.legend(view)


@cached(8)
def page_file(view: views.View) -> bytes:
    """The figure as one HTML page that plays on its own (:func:`convviz.pages.page`)."""
    return pages.page(view, max_frames=MAX_FRAMES).encode("utf-8")


@cached(48)
def drawable(view: views.View) -> str | None:
    """None when the figure of ``view`` can be drawn (however many steps), else why not."""
    try:
        views.figure(view, max_frames=views.frame_count(view))
    except ConvVizError as error:
        return str(error)
    return None


def export_seconds(view: views.View, fmt: str) -> float:
    """About how long the whole animation takes to encode as ``fmt`` (arithmetic only)."""
    figure = views.figure(view, max_frames=MAX_FRAMES)
    height, width = figure.size
    return SECONDS_PER_MEGAPIXEL[fmt] * figure.frame_count * height * width / 1e6


@cached(16)
def animation_file(view: views.View, fmt: str, annotate: bool = False,
                   _progress: views.Progress | None = None) -> bytes:
    """The whole animation as ``fmt`` ("gif" or "mp4") bytes (``_progress`` hears of each
    frame; it is not part of the cache key)."""
    data = views.encode(view, fmt, max_frames=MAX_FRAMES, annotate=annotate, progress=_progress)
    memory.release()
    return data


@cached(32)
def still_file(view: views.View, index: int, fmt: str, annotate: bool = False,
               given: str = "p") -> bytes:
    """Frame ``index`` (from 0) as ``fmt`` ("png", "svg" or "pdf") bytes, with its notes
    around it when ``annotate`` (``given``: the padding a transposed spec was given by)."""
    return views.still(view, index, fmt, annotate=annotate, given=given)


@cached(8)
def handout_file(view: views.View, paper: str, given: str = "p") -> bytes:
    """The handout of ``view`` on ``paper``, as PDF bytes."""
    return handout(views.figure(view, max_frames=MAX_FRAMES), paper=paper, given=given)


@cached(16)
def cell_targets(view: views.View) -> tuple[Target, ...]:
    """The cells of ``view``'s figure a page can point at (:meth:`Figure.targets`)."""
    return views.figure(view).targets()
