"""convviz in the browser: pick a convolution, read its output size off the formula, step
through the figure, copy the PyTorch line, download the figure, share a link.

    streamlit run app.py

The app has two pages (``st.navigation`` at the top): one layer (``main`` below) and stacks of
layers (``ui/stack_page.py``, at ``/stack``). This file sets the page and lays out the first
page's sections, one module each under ``ui/``; they hold
the widgets and the session and URL state. Every number the page shows comes from convviz:
ConvSpec validates and sizes, output_formula writes the formula, views draws the frames,
writes each step's arithmetic, the legend and the file names and encodes the downloads,
values holds the kernel presets and checks custom values, and the player steps through the
frames in the browser (no round trip to the server per step).
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from convviz.ops.memory import release
from ui.cache import one_at_a_time
from ui.downloads import downloads
from ui.formula import formula
from ui.frameworks import differences, framework_code
from ui.image import image_panel
from ui.messages import problems
from ui.player import animation
from ui.pytorch import pytorch
from ui.quiz import exercise_link, quiz_page
from ui.share import share
from ui.sidebar import actual_padding, controls
from ui.state import init_state, sync_link
from ui.theme import footer, header
from ui.values import values_panel

ICON = Path(__file__).resolve().parent / "assets" / "favicon.png"  # served locally, no CDN


@one_at_a_time
def main() -> None:
    """The page: the sidebar's controls; the figure with its step controls beside the formula
    (so a 1280 x 720 projector shows both, and the step's arithmetic, without scrolling),
    the values under the figure, and the PyTorch line, the link and the downloads beside;
    or, when the link sets an exercise (``?quiz=...``), the exercises page."""
    if exercise_link():
        quiz_page()
        return
    init_state()
    view, error, pt_slot = controls()
    header()
    problems(error)
    if view is None:
        return
    notes = st.container()                            # what the values panel has to say
    st.session_state.last_good = view.spec
    if pt_slot is not None:
        actual_padding(pt_slot, view.spec)
    with st.container(key="stage"):
        left, right = st.columns([3, 2], gap="medium")
    with left:
        figure = st.container()                       # drawn once the values are known
        view = values_panel(view, notes)
        with figure:
            drawn = animation(view)
    differences(view.spec)                            # full width, under the columns
    image_keys = image_panel(view)                    # full width, last
    sync_link(view, image_keys)
    with right:
        formula(view.spec)
        pytorch(view.spec)
        framework_code(view.spec)
        share(view, image_keys)
        if drawn:
            downloads(view)
    footer()
    release()                     # what this run freed goes back to the system, not an arena


st.set_page_config(page_title="convviz: convolution arithmetic", page_icon=str(ICON),
                   layout="wide")
st.navigation([st.Page(main, title="One layer", icon=":material/grid_on:", default=True),
               st.Page("ui/stack_page.py", title="Stacks of layers", icon=":material/layers:",
                       url_path="stack")], position="sidebar").run()
