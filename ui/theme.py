"""The page's look: its CSS, in the figures' colours (:mod:`convviz.figures.style`), and the
title.

>>> "#2aa198" in css()              # the output size in the figures' output colour
True
"""
from __future__ import annotations

import streamlit as st

from convviz.figures.style import LINE, MUTED, OUTPUT, hex_colour

from .fields import SOURCE


def css() -> str:
    """The page's ``<style>`` element."""
    ink, output = hex_colour(LINE), hex_colour(OUTPUT)
    muted = hex_colour(MUTED)
    return f"""
<style>
.block-container {{ padding-top: .8rem; padding-bottom: 2rem; }}
h1 {{ padding: 0 0 .4rem; font-size: 1.7rem; }}
.tagline {{ font-size: 1.05rem; font-weight: 400; color: {muted}; margin-left: .5rem; }}
.st-key-formula {{ container-type: inline-size; }}
.st-key-formula .katex {{ font-size: 1.0em; }}
.st-key-formula .katex-display {{ margin: .25em 0; overflow-x: auto; overflow-y: hidden; }}
.st-key-symbolic .katex {{ font-size: 1.0em; color: {muted}; }}
.st-key-formula [data-testid="stMetricValue"] {{ color: {output}; font-size: 2.2rem; }}
[data-testid="stMetricValue"] > div {{ overflow: visible; text-overflow: clip; }}
.formula-text {{ display: none; font-size: 1.05rem; line-height: 1.5; color: {ink};
                 overflow-wrap: anywhere; }}
.formula-text div:first-child {{ color: {muted}; }}
@media (max-width: 640px) {{
  .st-key-formula .katex-display {{ display: none; }}
  .formula-text {{ display: block; }}
}}
.st-key-stage [data-testid="stHorizontalBlock"] {{ flex-wrap: wrap; }}
.st-key-stage [data-testid="stColumn"]:first-child {{ flex: 3 1 0; min-width: 340px; }}
.st-key-stage [data-testid="stColumn"]:last-child {{ flex: 2 1 0; min-width: 300px; }}
.st-key-stills, .st-key-animations, .st-key-handout {{ flex-wrap: wrap; }}
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
.chip i.dashed {{ border-style: dashed; }}
.chip i.bold {{ border-width: 3px; }}
.cite {{ font-size: .8rem; color: {muted}; }}
@media print {{
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stExpander"], [data-testid="stAlert"], .st-key-downloads, .st-key-share,
  .st-key-torch, .st-key-values, .st-key-differences, .stDecoration {{ display: none !important; }}
  .st-key-stage [data-testid="stColumn"] {{ flex: 1 1 100% !important; min-width: 100%; }}
  .block-container {{ padding: 0 !important; max-width: 100% !important; }}
  .st-key-formula .katex-display {{ display: block !important; }}
  .formula-text {{ display: none !important; }}
}}
</style>
"""


def header() -> None:
    """The page's CSS and its title."""
    st.html(css())
    st.markdown("# convviz <span class='tagline'>convolution arithmetic, step by step</span>",
                unsafe_allow_html=True)


def footer() -> None:
    """Where the figures and formulas come from."""
    st.markdown(f"<p class='cite'>The classic figures follow {SOURCE}; its figures are MIT "
                f"licensed.</p>", unsafe_allow_html=True)
