"""The output-size formula, as written and with this configuration's numbers, and the size.

A transposed convolution's padding line runs the way the user gave the padding (a link with
``pt`` gives p_t: the page derives p; otherwise the page derives p_t from p). On a phone the
typeset lines give way to the same lines as wrapping text (``ui.theme``'s CSS)."""
from __future__ import annotations

import html

import streamlit as st

from convviz import ConvSpec, output_formula
from convviz.text import size_text

EM_PER_CHAR = 0.52
"""About how wide one character of a typeset formula line is, in ems (KaTeX's operators
carry spaces around them)."""


def fitted(selector: str, text: str) -> str:
    """CSS that shrinks a typeset line of about ``len(text)`` characters to the formula box's
    width (a container-query unit), so a long filled-in line on a projector loses no term and
    keeps its ``= m``; short lines keep their full size."""
    size = 100 / (EM_PER_CHAR * max(len(text), 1))
    return f"<style>{selector} .katex {{ font-size: min(1em, {size:.2f}cqi); }}</style>"


def formula(spec: ConvSpec) -> None:
    """The formula of ``spec`` (:func:`convviz.output_formula`) and its output size."""
    result = output_formula(spec, given=st.session_state.get("given", "p"))
    with st.container(border=True, key="formula"):
        st.metric("Output length" if spec.dims == 1 else "Output size",
                  size_text(spec.output_shape[2:]), border=False)
        with st.container(key="symbolic"):
            st.latex(result.symbolic)
        for index, (line, text) in enumerate(zip(result.latex, result.text)):
            with st.container(key=f"formula_line_{index}"):
                st.html(fitted(f".st-key-formula_line_{index}", text))
                st.latex(line)
        text = "".join(f"<div>{html.escape(line)}</div>"
                       for line in (result.symbolic_text, *result.text))
        st.html(f"<div class='formula-text'>{text}</div>")
