"""Downloads: the animation as GIF or MP4, the figure as a page that plays on its own (HTML,
for a course page or an LMS), one step as PNG, SVG or PDF for notes; each file is made only
when asked for."""
from __future__ import annotations

import streamlit as st

from convviz import views

from .cache import animation_file, page_file, step_captions, still_file

ANIMATION_MIME = {"gif": "image/gif", "mp4": "video/mp4"}
STILL_MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
PIXELS_HELP = "This figure is drawn as pixels: the page holds the PNG frame at its full size."
PAGE_HELP = ("One HTML file that plays by itself, offline: step controls, fullscreen, presenter "
             "keys, and cells to point at. Open it from disk, or put it on a course page or "
             "an LMS (the README has the iframe snippet).")


@st.fragment
def downloads(view: views.View) -> None:
    """GIF/MP4 of the animation, PNG/SVG/PDF of one step (a drawable view:
    :func:`ui.player.animation` said so)."""
    st.markdown("#### Download")
    stem = views.file_stem(view)
    for col, (fmt, mime) in zip(st.columns(2), ANIMATION_MIME.items()):
        col.download_button(f"Animation ({fmt.upper()})",
                            lambda fmt=fmt: animation_file(view, fmt),
                            file_name=f"{stem}.{fmt}", mime=mime, key=f"dl_{fmt}",
                            on_click="ignore", icon=":material/movie:", width="stretch")
    st.download_button("Interactive page (HTML)", lambda: page_file(view),
                       file_name=f"{stem}.html", mime="text/html", key="dl_html",
                       on_click="ignore", icon=":material/web:", width="stretch", help=PAGE_HELP)
    index = still_step(view)
    vector = views.is_vector(view)
    for col, (fmt, mime) in zip(st.columns(3), STILL_MIME.items()):
        col.download_button(fmt.upper(), lambda fmt=fmt: still_file(view, index, fmt),
                            file_name=f"{stem}_step{index + 1}.{fmt}", mime=mime,
                            key=f"dl_{fmt}", on_click="ignore", icon=":material/download:",
                            width="stretch",
                            help=None if vector or fmt == "png" else PIXELS_HELP)


def still_step(view: views.View) -> int:
    """The step picker of the stills, each step by what it computes; the frame's index."""
    labels = {index: f"Step {index + 1}: {caption.short}"
              for index, caption in enumerate(step_captions(view))}
    return st.selectbox("Still for notes", list(labels), format_func=labels.get,
                        key="still_step")
