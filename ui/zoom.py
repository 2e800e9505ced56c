"""The image panel's zoom: a point of the picture, and the numbers figure of the pixels around
it, animated in the browser: the real pixel values under the kernel and each sum that lands
in the feature map (:mod:`convviz.zoom`)."""
from __future__ import annotations

import streamlit as st

from convviz import ConvVizError, player, views
from convviz.featuremap import FeatureMap
from convviz.images import Picture
from convviz.zoom import Zoom, zoom

from .messages import plain
from .pictures import BUNDLED, UPLOAD, Choice

ZOOM_ALT = "The zoom: the kernel over the picture's pixels, one value of the map per step"
"""The zoom player's title (the browser tests find it by this)."""


def zoom_section(choice: Choice, picture: Picture, fmap: FeatureMap) -> Zoom | None:
    """The point and channel pickers and the zoom's player; the zoom (None where the layer
    cannot be zoomed into, with the reason on the page)."""
    state = st.session_state
    start = BUNDLED[choice.name].start if choice.name != UPLOAD else None
    state.image_y, state.image_x = picture.inside(choice.at or start)
    what = "window" if fmap.kernel is None else "kernel"
    st.markdown(f"##### Zoom: the {what} over the picture's pixels")
    height, width = picture.size
    if height > 1:                                     # a slider needs two values
        st.slider("Point: row y", 0, height - 1, key="image_y",
                  help="A pixel of the picture: the zoom shows the kernel's windows around it.")
    if width > 1:
        st.slider("Point: column x", 0, width - 1, key="image_x")
    channels = list(range(fmap.spec.out_channels))
    if state.image_channel not in channels:
        state.image_channel = 0
    if len(channels) > 1:
        st.selectbox("Output channel", channels, key="image_channel")
    try:
        zoomed = zoom(fmap, picture, (state.image_y, state.image_x), channel=state.image_channel)
        page = zoom_page(zoomed, f"{choice.name}:{state.image_y},{state.image_x}:"
                                 f"{fmap.spec.to_query()}", keep=choice.name != UPLOAD)
    except ConvVizError as error:
        st.info(f"**The zoom cannot show this layer:** {plain(str(error))}.",
                icon=":material/zoom_in:")
        return None
    st.iframe(page, height="content", alt=ZOOM_ALT)
    st.caption(zoomed.describe())
    return zoomed


def zoom_page(zoomed: Zoom, key: str, *, keep: bool) -> str:
    """The step player of the zoom's numbers figure. Not cached here; unless ``keep``, not
    in convviz's caches either (an upload's pixels stay in its session only)."""
    view = views.View(zoomed.spec, style="numbers", kernel=zoomed.kernel, values=zoomed.values)
    anim = views.animation(view)
    page = player.html(anim.frames, [str(caption) for caption in views.captions(view)],
                       palette=anim.palette, key=key, name="zoom")
    if not keep:
        views.clear_caches()
    return page
