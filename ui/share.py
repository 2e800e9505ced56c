"""The link to this exact view."""
from __future__ import annotations

import streamlit as st

from convviz import views


def share(view: views.View) -> None:
    """The page's address with ``view``'s query string (:meth:`convviz.views.View.to_query`)."""
    with st.container(key="share"):
        st.markdown("#### Share")
        st.code(f"{st.context.url or ''}?{view.to_query()}", language=None, wrap_lines=True)
