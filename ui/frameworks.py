"""The same layer in every framework: the chosen framework's code beside PyTorch's, the
"differences" table (each convention's output size and padding per side, differences marked)
and, for a transposed convolution, the output_padding explorer. Everything shown comes from
:mod:`convviz.ops.frameworks`.
"""
from __future__ import annotations

from html import escape

import streamlit as st

from convviz import ConvSpec
from convviz.ops import frameworks as fw
from convviz.ops.conventions import CONVENTIONS
from convviz.text import size_text

SIDES = ("top", "bottom", "left", "right")


def framework_code(spec: ConvSpec) -> None:
    """The layer in the spec's convention's framework (next to the PyTorch section), with the
    tensor layouts it uses; nothing more for PyTorch itself."""
    if spec.convention == "pytorch":
        return
    code = fw.code(spec)
    st.markdown(f"#### In {code.label}")
    st.code(code.text, language="python", wrap_lines=True)
    st.caption(f"Layouts: {code.layouts}. The PyTorch line above computes the same numbers.")


def differences(spec: ConvSpec) -> None:
    """Every convention's output size and per-side padding for these numbers, one table
    (modes that follow PyTorch's convention only, the 1-D ones, have none)."""
    if not spec.operation.takes("convention"):
        return
    rows = fw.differences(spec)
    with st.container(key="differences"):
        st.markdown("#### The same numbers in each framework")
        st.html(table_html(spec, rows))
        rule = ("A transposed convolution's crops are cut from its full output "
                "(n−1)·s + d·(k−1) + 1: padding on each side, less output_padding at the "
                "bottom/right." if spec.transposed else
                "'same' pads max((⌈n/s⌉−1)·s + d·(k−1) + 1 − n, 0) cells; an odd one goes "
                "bottom/right except under ONNX's SAME_LOWER.")
        if not spec.operation.weights:
            rule += (" Max pooling pads with −∞; an average leaves the padding out of its "
                     "divisor except in PyTorch (count_include_pad) or where switched on.")
        st.caption(f"Marked: where a framework differs from the chosen one "
                   f"({CONVENTIONS[spec.convention].label}). {rule}")
    if spec.transposed:
        explorer(spec)


def table_html(spec: ConvSpec, rows: tuple[fw.Difference, ...]) -> str:
    """The differences as an HTML table; cells that differ from the chosen row are marked."""
    chosen = next(row for row in rows if row.convention == spec.convention)
    sides = [f"crop {side}" for side in SIDES] if spec.transposed else SIDES
    head = "".join(f"<th>{name}</th>" for name in ("framework", "output", *sides, "note"))
    body = []
    for row in rows:
        cells = [f"<th scope='row'>{escape(row.label)}</th>"]
        if row.refusal is not None:
            cells.append(f"<td class='differs' colspan='6'>refused: {escape(row.refusal)}</td>")
        else:
            cells.append(cell(size_text(row.output), row.output != chosen.output))
            cells += [cell(str(value), chosen.pads is None or value != chosen.pads[i])
                      for i, value in enumerate(row.pads)]
            note = "; ".join(part for part in ("chosen" if row is chosen else "", row.note)
                             if part)
            cells.append(f"<td>{escape(note)}</td>")
        mark = " class='chosen'" if row is chosen else ""
        body.append(f"<tr{mark}>{''.join(cells)}</tr>")
    return (f"<table class='conventions'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def cell(text: str, differs: bool) -> str:
    return f"<td class='differs'>{escape(text)}</td>" if differs else f"<td>{escape(text)}</td>"


def explorer(spec: ConvSpec) -> None:
    """For a transposed convolution: the output sizes output_padding picks among, the input
    size the direct convolution maps each back to, and how Keras writes each."""
    axes = [(0, "")] if spec.square else [(0, " (H)"), (1, " (W)")]
    with st.container(key="explorer"):
        st.markdown("#### output_padding: which output size")
        for axis, name in axes:
            choices = fw.output_padding_choices(spec, axis)
            header = "| output_padding | output size | Conv2d maps it back to | Keras |"
            lines = [header, "|---|---|---|---|"]
            for choice in choices:
                mark = " (chosen)" if choice.chosen else ""
                lines.append(f"| {choice.output_padding}{mark} | {choice.size} | "
                             f"{choice.back} | `{choice.keras}` |")
            n = spec.input_size[axis]
            sizes = [str(c.size) for c in choices if c.back == n]
            which = " and ".join(sizes) if len(sizes) < 3 else ", ".join(sizes)
            st.markdown(f"The direct convolution with these k, s, p, d maps {which} "
                        f"{'all' if len(sizes) > 2 else 'both'} to {n}{name}, so its "
                        f"transpose cannot tell which you want: PyTorch's output_padding "
                        f"picks one (each one adds a row/column at the bottom/right)."
                        if len(sizes) > 1 else f"Only {which} maps back to {n}{name}.")
            st.markdown("\n".join(lines))
