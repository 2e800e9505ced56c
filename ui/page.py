"""The app's first page and its navigation, as ``app.py`` runs them on every page run: the
sidebar's controls; the figure with its step controls beside the formula; the values, the
PyTorch line, the link and the downloads; or, on an exercise link, the exercises.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from convviz.ops.memory import release

from .cache import one_at_a_time
from .downloads import downloads
from .formula import formula
from .frameworks import differences, framework_code
from .image import image_panel
from .messages import problems
from .player import animation
from .pytorch import pytorch
from .quiz import exercise_link, quiz_page
from .share import share
from .sidebar import actual_padding, controls
from .state import init_state, sync_link
from .theme import footer, header
from .values import values_panel

ICON = Path(__file__).resolve().parent.parent / "assets" / "favicon.png"  # served locally, no CDN


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


def run() -> None:
    """One page run: the page's settings, the two pages, and the one the link asks for."""
    st.set_page_config(page_title="convviz: convolution arithmetic", page_icon=str(ICON),
                       layout="wide")
    st.navigation([st.Page(main, title="One layer", icon=":material/grid_on:", default=True),
                   st.Page("ui/stack_page.py", title="Stacks of layers",
                           icon=":material/layers:", url_path="stack")],
                  position="sidebar").run()
