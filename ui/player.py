"""The figure: the step player (an iframe that steps through the frames in the browser, no
round trip to the server per step) and the legend of its colours."""
from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from convviz import ConvVizError, views
from convviz.figures.style import hex_colour

from .cache import MAX_FRAMES, player_page
from .cache import legend as swatches
from .messages import plain

PLAYER_ALT = "The convolution, one kernel position per step"
"""The player's title (the browser tests find it by this)."""


def animation(view: views.View) -> bool:
    """The figure with its step controls, and its legend; False when it cannot be drawn here
    (the reason is on the page)."""
    try:
        count = views.frame_count(view)
        if count > MAX_FRAMES:
            st.info(f"**This animation has {count} steps**, one per kernel position; the page "
                    f"plays up to {MAX_FRAMES}. Use a smaller input or a larger stride, or draw "
                    f"it with `python -m convviz render`.", icon=":material/movie:")
            return False
        page = player_page(view)
    except ConvVizError as error:
        st.info(f"**This figure cannot be drawn here:** {plain(str(error))}.",
                icon=":material/movie:")
        return False
    st.iframe(page, height="content", alt=PLAYER_ALT)
    urlsplit.cache_clear()      # st.iframe asks urlsplit whether the page is a URL, and its
    legend(view)                # cache would keep the last 128 pages (MBs each) alive
    return True


def legend(view: views.View) -> None:
    """What the figure's colours mean (:func:`convviz.views.legend`; none where the figure
    labels itself)."""
    chips = [f"<span class='chip'><i style='background:{hex_colour(swatch.rgb)}'></i>"
             f"{swatch.label}</span>" for swatch in swatches(view)]
    if chips:
        st.markdown(" ".join(chips), unsafe_allow_html=True)
