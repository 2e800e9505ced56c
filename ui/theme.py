"""The page's look: its CSS, in the figures' colours (:mod:`convviz.figures.style`), and the
title.

>>> "#2aa198" in css()              # the output size in the figures' output colour
True
"""
from __future__ import annotations

import streamlit as st

from convviz.figures.style import LINE, MUTED, OUTPUT, hex_colour


def css() -> str:
    """The page's ``<style>`` element."""
    ink, output = hex_colour(LINE), hex_colour(OUTPUT)
    muted = hex_colour(MUTED)
    return f"""
<style>
.block-container {{ padding-top: 1.6rem; }}
h1 {{ padding-top: 0; }}
.tagline {{ font-size: 1.05rem; font-weight: 400; color: {muted}; margin-left: .5rem; }}
.st-key-formula .katex {{ font-size: 1.5em; }}
.st-key-formula .katex-display {{ margin: .35em 0; overflow-x: auto; overflow-y: hidden; }}
.st-key-symbolic .katex {{ font-size: 1.05em; color: {muted}; }}
.st-key-formula [data-testid="stMetricValue"] {{ color: {output}; font-size: 2.6rem; }}
.pt {{ line-height: 1.2; padding-bottom: .35rem; color: {ink}; }}
.pt small {{ color: {muted}; }}
.chip {{ display: inline-flex; align-items: center; gap: .3rem; margin-right: .9rem;
        font-size: .85rem; color: {muted}; }}
.chip i {{ width: .95rem; height: .95rem; border: 1px solid {ink}; border-radius: 2px; }}
table.grid {{ border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 0; }}
table.grid caption {{ caption-side: top; text-align: left; font-weight: 600; color: {ink};
                     padding-bottom: .2rem; }}
table.grid td {{ border: 1px solid {muted}; padding: .1rem .45rem; text-align: right; }}
.conventions {{ border-collapse: collapse; font-size: .9rem; margin-bottom: .4rem; }}
.conventions th, .conventions td {{ border: 1px solid #d0d7de; padding: .2rem .55rem;
                                   text-align: center; color: {ink}; }}
.conventions tr.chosen th {{ font-weight: 700; }}
.conventions td.differs {{ background: #fdf0c2; font-weight: 600; }}
</style>
"""


def header() -> None:
    """The page's CSS and its title."""
    st.html(css())
    st.markdown("# convviz <span class='tagline'>convolution arithmetic, step by step</span>",
                unsafe_allow_html=True)
