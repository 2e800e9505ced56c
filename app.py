"""convviz in the browser: pick a convolution, read its output size off the formula, step
through the figure, copy the PyTorch line, download the figure, share a link.

    streamlit run app.py

The app has two pages (``st.navigation``, in the sidebar): one layer (``ui/page.py``) and
stacks of layers (``ui/stack_page.py``, at ``/stack``), each laid out from sections, one
module each under ``ui/``; they hold the widgets and the session and URL state. Every number
the page shows comes from convviz: ConvSpec validates and sizes, output_formula writes the
formula, views draws the frames, writes each step's arithmetic, the legend and the file names
and encodes the downloads, values holds the kernel presets and checks custom values, and the
player steps through the frames in the browser (no round trip to the server per step).

``streamlit run`` reads this file twice over. It imports it once, to start the server: that
is ``app``, Streamlit's own (``st.App``) with the static files served from memory
(``ui/serving.py``). It then runs it as ``__main__`` for every page run of every session.
"""
from __future__ import annotations

import streamlit as st

if __name__ == "__main__":
    from ui.page import run

    run()
else:
    from ui.serving import MIDDLEWARE

    app = st.App(__file__, middleware=MIDDLEWARE)
