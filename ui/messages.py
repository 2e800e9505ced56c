"""What the page says when a link or a combination cannot work, and how it quotes a reason."""
from __future__ import annotations

import re

import streamlit as st

from convviz.gallery import PRESETS
from convviz.text import size_text

from .fields import DEFAULT
from .state import load


def plain(text: str) -> str:
    """``text`` as written, inside Markdown (a message's ``*`` or ``_`` stay as they are).

    >>> plain("kernel_size must be <= 3")
    'kernel\\\\_size must be \\\\<= 3'
    """
    return re.sub(r"([\\`*_{}\[\]<>#|~$!-])", r"\\\1", text)


def problems(error: str | None) -> None:
    """A link or a combination that cannot work: the reason, and a way back."""
    link_error = st.session_state.pop("link_error", None)   # shown once, until a change
    if link_error:
        st.error(f"**This link cannot be shown:** {plain(link_error)}. "
                 f"Showing *{PRESETS[DEFAULT].caption}* instead.", icon=":material/link_off:")
    if error:
        good = st.session_state.last_good
        st.error(f"**This combination cannot work:** {plain(error)}. Change the value it "
                 f"names, or go back to the last one that worked.", icon=":material/error:")
        st.button(f"Back to {good.torch_line()} on a {size_text(good.input_size)} input",
                  key="restore", on_click=load, args=(good,), type="primary")
