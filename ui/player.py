"""The figure: the step player (an iframe that steps through the frames in the browser, no
round trip to the server per step) and the legend of its colours and outlines. A figure the
page cannot draw is replaced, in the same place, by a notice that says why and what to
change."""
from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from convviz import views
from convviz.figures.style import hex_colour

from .cache import MAX_FRAMES, drawable, player_page
from .cache import legend as swatches

PLAYER_ALT = "The convolution, one kernel position per step"
"""The player's title (the browser tests find it by this)."""


def animation(view: views.View) -> bool:
    """The figure with its step controls, and its legend; False when it cannot be drawn here
    (the notice in its place says why)."""
    count = views.frame_count(view)
    problem = drawable(view)
    if problem is None and count > MAX_FRAMES:
        problem = (f"this animation has {count} steps, one per kernel position, and the page "
                   f"plays up to {MAX_FRAMES}: use a smaller input or a larger stride, or "
                   f"draw it with python -m convviz render")
    with st.container(key="player"):
        st.iframe(player_page(view, problem), height="content", alt=PLAYER_ALT)
        urlsplit.cache_clear()  # st.iframe asks urlsplit whether the page is a URL, and its
        if problem is None:     # cache would keep the last 128 pages (MBs each) alive
            legend(view)
    return problem is None


def legend(view: views.View) -> None:
    """What the figure's colours mean (:func:`convviz.views.legend`), each swatch outlined as
    the figure draws that role (solid, dashed or bold), so colour is not the only cue."""
    chips = [f"<span class='chip'><i class='{swatch.mark}' "
             f"style='background:{hex_colour(swatch.rgb)}'></i>{swatch.label}</span>"
             for swatch in swatches(view)]
    if chips:
        st.markdown(" ".join(chips), unsafe_allow_html=True)
