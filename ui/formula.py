"""The output-size formula, as written and with this configuration's numbers, and the size."""
from __future__ import annotations

import streamlit as st

from convviz import ConvSpec, output_formula
from convviz.text import size_text


def formula(spec: ConvSpec) -> None:
    """The formula of ``spec`` (:func:`convviz.output_formula`) and its output size."""
    result = output_formula(spec)
    with st.container(border=True, key="formula"):
        lines, size = st.columns([6, 1], vertical_alignment="center")
        with lines:
            st.caption("Output size")
            with st.container(key="symbolic"):
                st.latex(result.symbolic)
            for line in result.latex:
                st.latex(line)
        size.metric("Output length" if spec.dims == 1 else "Output",
                    size_text(spec.output_shape[2:]), border=False)
