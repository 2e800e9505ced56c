"""What takes time, cached: module-level pure functions of a hashable :class:`View` (and ints
and strings), each a call into convviz.
"""
from __future__ import annotations

import streamlit as st

from convviz import Caption, Target, pages, views

MAX_FRAMES = 400
"""Most steps the in-browser animation plays."""


@st.cache_data(max_entries=48, show_spinner=False)
def step_captions(view: views.View) -> tuple[Caption, ...]:
    """What each frame computes, with the view's numbers (else which output cells it fills)."""
    return views.captions(view)


@st.cache_data(max_entries=48, show_spinner=False)
def player_page(view: views.View) -> str:
    """The step player's HTML for ``view``, its cells to point at, and keys typed on the app's
    page stepping it (ConvVizError past :data:`MAX_FRAMES`)."""
    return views.player_page(view, max_frames=MAX_FRAMES, embedded=True)


@st.cache_data(max_entries=8, show_spinner=False)
def page_file(view: views.View) -> bytes:
    """The figure as one HTML page that plays on its own (:func:`convviz.pages.page`)."""
    return pages.page(view, max_frames=MAX_FRAMES).encode("utf-8")


@st.cache_data(max_entries=16, show_spinner=False)
def animation_file(view: views.View, fmt: str) -> bytes:
    """The whole animation as ``fmt`` ("gif" or "mp4") bytes."""
    return views.encode(view, fmt, max_frames=MAX_FRAMES)


@st.cache_data(max_entries=32, show_spinner=False)
def still_file(view: views.View, index: int, fmt: str) -> bytes:
    """Frame ``index`` (from 0) as ``fmt`` ("png", "svg" or "pdf") bytes."""
    return views.still(view, index, fmt)


@st.cache_data(max_entries=16, show_spinner=False)
def cell_targets(view: views.View) -> tuple[Target, ...]:
    """The cells of ``view``'s figure a page can point at (:meth:`Figure.targets`)."""
    return views.figure(view).targets()
