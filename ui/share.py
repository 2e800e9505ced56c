"""The link to this exact view."""
from __future__ import annotations

import streamlit as st

from convviz import views


def share(view: views.View, extra: dict[str, str] | None = None) -> None:
    """The page's address with ``view``'s query string (:meth:`convviz.views.View.to_query`)
    and ``extra`` keys (the image panel's)."""
    with st.container(key="share"):
        st.markdown("#### Share")
        query = "&".join([view.to_query(), *(f"{key}={value}" for key, value in (extra or {})
                                             .items())])
        st.code(f"{st.context.url or ''}?{query}", language=None, wrap_lines=True)
