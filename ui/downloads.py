"""Downloads: a still of one step for notes (PNG, SVG, PDF; annotated by default), a handout
(PDF), the animation (GIF, MP4) and the figure as a page that plays on its own (HTML, for a
course page or an LMS). A file is made only when asked for; an animation that takes over a
second is prepared with a progress bar first.

"Still for notes" follows the player: the step the paused player rests on becomes the
still's step (:mod:`ui.follow`), and picking a step here shows it in the player.
"""
from __future__ import annotations

import streamlit as st

from convviz import views

from .cache import (
    MAX_FRAMES,
    animation_file,
    export_seconds,
    handout_file,
    one_at_a_time,
    page_file,
    step_captions,
    still_file,
)
from .follow import follow, followed

ANIMATION_MIME = {"gif": "image/gif", "mp4": "video/mp4"}
STILL_MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
PIXELS_HELP = ("This figure is drawn as pixels: the file holds the frame's pixels (and, "
               "annotated, its text as text).")
PAPERS = {"a4": "A4", "letter": "Letter"}
PAGE_HELP = ("One HTML file that plays by itself, offline: step controls, fullscreen, presenter "
             "keys, and cells to point at. Open it from disk, or put it on a course page or "
             "an LMS (the README has the iframe snippet).")


@st.fragment
@one_at_a_time
def downloads(view: views.View) -> None:
    """The still for notes, the handout and the animation of a drawable view (:func:`ui.player.
    animation` said so)."""
    with st.container(key="downloads"):
        st.markdown("#### Download")
        stem, given = views.file_stem(view), st.session_state.get("given", "p")
        index = still_step(view)
        annotate = st.toggle("Title, formula, legend and step around the still", value=True,
                             key="annotate_still",
                             help="The still as a figure for notes; off: the figure alone.")
        vector = views.is_vector(view)
        with st.container(horizontal=True, key="stills"):
            for fmt, mime in STILL_MIME.items():
                st.download_button(
                    fmt.upper(), lambda fmt=fmt: still_file(view, index, fmt, annotate, given),
                    file_name=f"{stem}_step{index + 1}.{fmt}", mime=mime, key=f"dl_{fmt}",
                    on_click="ignore", icon=":material/download:", width="content",
                    help=f"Step {index + 1} as {fmt.upper()}" + (
                        "" if vector or fmt == "png" else f". {PIXELS_HELP}"))
        handout(view, stem, given)
        animations(view, stem)


def still_step(view: views.View) -> int:
    """The step picker of the stills, each step by what it computes, kept in step with the
    player (:func:`ui.follow.follow`); the frame's index."""
    captions = step_captions(view)
    labels = {index: f"Step {index + 1} of {len(captions)}: {caption.short}"
              for index, caption in enumerate(captions)}
    state = st.session_state
    if state.get("still_step") not in labels:
        state.still_step = 0
    index = st.selectbox("Still for notes (follows the player when paused)", list(labels),
                         format_func=labels.get, key="still_step")
    key = view.to_query()
    follow(key, index, on_change=lambda: _followed(key, len(labels)))
    return index


def _followed(key: str, count: int) -> None:
    """The player of the figure with ``key`` settled on a step: the still takes it."""
    step = followed(key)
    if step is not None and 0 <= step < count:
        st.session_state.still_step = step


def handout(view: views.View, stem: str, given: str) -> None:
    """The handout: the formula and a few key steps, on A4 or Letter."""
    with st.container(horizontal=True, vertical_alignment="bottom", key="handout"):
        paper = st.segmented_control("Handout paper", list(PAPERS), format_func=PAPERS.get,
                                     key="paper", default="a4", width="content")
        st.download_button("Handout (PDF)", lambda: handout_file(view, paper or "a4", given),
                           file_name=f"{stem}_handout.pdf", mime="application/pdf",
                           key="dl_handout", on_click="ignore", icon=":material/print:",
                           width="content",
                           help="The formula, the legend and a few key steps with their "
                                "arithmetic, four to a page, for printing.")


def animations(view: views.View, stem: str) -> None:
    """GIF and MP4: directly when quick, else prepared with a progress bar first."""
    annotate = st.toggle("Title, formula, legend and step in the animation", value=False,
                         key="annotate_animation")
    with st.container(horizontal=True, key="animations"):
        for fmt, mime in ANIMATION_MIME.items():
            ready = export_seconds(view, fmt) <= 1.0 or (view, fmt, annotate) in _ready()
            if not ready and st.button(f"Prepare {fmt.upper()}", key=f"prepare_{fmt}",
                                       icon=":material/movie:", width="content",
                                       help=f"Up to {MAX_FRAMES} steps take a few seconds: "
                                            f"a bar shows how far it is."):
                ready = prepare(view, fmt, annotate)
            if ready:
                st.download_button(f"Animation ({fmt.upper()})",
                                   lambda fmt=fmt: animation_file(view, fmt, annotate),
                                   file_name=f"{stem}.{fmt}", mime=mime, key=f"dl_{fmt}",
                                   on_click="ignore", icon=":material/movie:", width="content")
        st.download_button("Interactive page (HTML)", lambda: page_file(view),
                           file_name=f"{stem}.html", mime="text/html", key="dl_html",
                           on_click="ignore", icon=":material/web:", width="content",
                           help=PAGE_HELP)


def _ready() -> set:
    return st.session_state.setdefault("prepared", set())


def prepare(view: views.View, fmt: str, annotate: bool) -> bool:
    """Make the animation with a progress bar (then it downloads at once); True."""
    bar = st.progress(0.0, text=f"Drawing the {fmt.upper()}…")

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=f"Drawing the {fmt.upper()}: step {done} of {total}")

    animation_file(view, fmt, annotate, progress)
    bar.empty()
    _ready().add((view, fmt, annotate))
    return True
