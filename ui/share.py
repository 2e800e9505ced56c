"""The link to this exact view, and to the same configuration asked as an exercise."""
from __future__ import annotations

import streamlit as st

from convviz import ConvVizError, quiz, views

from .state import query_text


def share(view: views.View, extra: dict[str, str] | None = None) -> None:
    """The page's address with ``view``'s query string (:func:`ui.state.query_text`) and
    ``extra`` keys (the image panel's)."""
    with st.container(key="share"):
        st.markdown("#### Share")
        query = "&".join([query_text(view), *(f"{key}={value}" for key, value in (extra or {})
                                              .items())])
        st.code(f"{st.context.url or ''}?{query}", language=None, wrap_lines=True)
        exercise(view)


def exercise(view: views.View) -> None:
    """A link that asks this configuration's output size as an exercise (one channel)."""
    try:
        question = quiz.SizeQuestion(view.spec)
    except ConvVizError:
        return
    st.markdown(f"[Ask its output size as an exercise](?{question.key()}) — the page hides the "
                f"answer until it is typed or revealed.")
