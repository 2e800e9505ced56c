"""The output-size formula of a spec, with its numbers filled in, as the seed note writes it.

>>> print(output_formula(ConvSpec(input_size=5, kernel_size=3, stride=2, padding=1)).text[0])
m = ⌊(5 + 2·1 − (3−1) − 1)/2 + 1⌋ = 3
>>> print("\\n".join(output_formula(ConvSpec.build(mode="transposed", input_size=3,
...                                            kernel_size=3, stride=2, pt=1)).text))
p = (3−1) − 1 = 1
m = (3−1)·2 − 2·1 + 3 = 5
>>> print("\\n".join(output_formula(ConvSpec(mode="maxpool", input_size=5, kernel_size=2,
...                                          padding=1, ceil_mode=True)).text))
m = ⌈(5 + 2·1 − (2−1) − 1)/2 + 1⌉ = 4
the last window would start at (4−1)·2 = 6 ≥ n + p = 6, in the right padding: m = 4 − 1 = 3
>>> print("\\n".join(output_formula(ConvSpec(input_size=6, kernel_size=3, stride=2,
...                                            padding="same", convention="tensorflow")).text))
P = max((3−1)·2 + (3−1) + 1 − 6, 0) = 1 → top 0, bottom 1
m = ⌊(6 + (0 + 1) − (3−1) − 1)/2 + 1⌋ = 3
"""
from __future__ import annotations

from dataclasses import dataclass

from ..text import MINUS
from .pool_shapes import pooled_length
from .spec import ConvSpec


@dataclass(frozen=True)
class Formula:
    """Lines of one formula: ``latex`` for ``st.latex``, ``text`` in plain Unicode, and the
    ``symbolic`` form (LaTeX, no numbers)."""

    latex: tuple[str, ...]
    text: tuple[str, ...]
    symbolic: str


def _num(value: int) -> str:
    """A number as a term: negative ones in parentheses."""
    return f"({value})" if value < 0 else str(value)


def _conv_axis(sym: str, n: int, k: int, s: int, d: int, pads: tuple[int, int],
               m: int, ceil: bool = False) -> tuple[str, str]:
    """(latex, text) of ``m = floor((n + 2p - d(k-1) - 1)/s + 1)`` for one axis (``ceil``:
    rounded up)."""
    pad_tex, pad_txt = ((f"2 \\cdot {pads[0]}", f"2·{pads[0]}") if pads[0] == pads[1] else
                        (f"({pads[0]}+{pads[1]})", f"({pads[0]} + {pads[1]})"))
    span_tex, span_txt = f"({k}-1)", f"({k}{MINUS}1)"
    if d != 1:
        span_tex, span_txt = f"{d} \\cdot {span_tex}", f"{d}·{span_txt}"
    (lo_tex, hi_tex), (lo, hi) = ((r"\lceil", r"\rceil"), "⌈⌉") if ceil else \
        ((r"\lfloor", r"\rfloor"), "⌊⌋")
    latex = f"{sym}={lo_tex}\\frac{{{n}+{pad_tex}-{span_tex}-1}}{{{s}}}+1{hi_tex}={m}"
    text = (f"{sym} = {lo}({n} + {pad_txt} {MINUS} {span_txt} {MINUS} 1)/{s} + 1{hi} = {m}")
    return latex, text


def _transposed_axis(sym: str, psym: str, n: int, k: int, s: int, p: int, d: int, a: int,
                     pt: int, m: int) -> tuple[tuple[str, str], tuple[str, str]]:
    """(latex, text) pairs of ``p = d(k-1) - p_t`` and ``m = (n-1)s - 2p + d(k-1) + a + 1``."""
    span_tex, span_txt = f"({k}-1)", f"({k}{MINUS}1)"
    if d != 1:
        span_tex, span_txt = f"{d} \\cdot {span_tex}", f"{d}·{span_txt}"
    p_line = (f"{psym}={span_tex}-{_num(pt)}={p}",
              f"{psym} = {span_txt} {MINUS} {_num(pt).replace('-', MINUS)} = {p}")
    if d == 1:
        tail_tex, tail_txt = f"+{k}", f" + {k}"
    else:
        tail_tex, tail_txt = f"+{span_tex}", f" + {span_txt}"
    if a:
        tail_tex, tail_txt = tail_tex + f"+{a}", tail_txt + f" + {a}"
    if d != 1:
        tail_tex, tail_txt = tail_tex + "+1", tail_txt + " + 1"
    m_line = (f"{sym}=({n}-1) \\cdot {s}-2 \\cdot {p}{tail_tex}={m}",
              f"{sym} = ({n}{MINUS}1)·{s} {MINUS} 2·{p}{tail_txt} = {m}")
    return p_line, m_line


def _conv_lines(spec: ConvSpec, sym: str, psym: str, ax: int) -> list[tuple[str, str]]:
    n, k, s, d = (getattr(spec, name)[ax] for name in
                  ("input_size", "kernel_size", "stride", "dilation"))
    return [_conv_axis(sym, n, k, s, d, spec.pads[2 * ax:2 * ax + 2], spec.output_size[ax])]


def _pool_lines(spec: ConvSpec, sym: str, psym: str, ax: int) -> list[tuple[str, str]]:
    """Pooling's formula: the convolution's, rounded up in ceil mode, with the rule that drops
    a last window starting in the right padding stated when it bites."""
    n, k, s, p, d = (getattr(spec, name)[ax] for name in
                     ("input_size", "kernel_size", "stride", "padding", "dilation"))
    m, dropped = pooled_length(n, k, s, p, d, spec.ceil_mode)
    lines = [_conv_axis(sym, n, k, s, d, (p, p), m + dropped, spec.ceil_mode)]
    if dropped:
        start = (m + dropped - 1) * s
        lines.append((f"\\text{{the last window would start at }}({m + 1}-1) \\cdot {s}={start}"
                      f"\\ge n+p={n + p}\\text{{, in the right padding: }}{sym}={m + 1}-1={m}",
                      f"the last window would start at ({m + 1}{MINUS}1)·{s} = {start} ≥ n + p = "
                      f"{n + p}, in the right padding: {sym} = {m + 1} {MINUS} 1 = {m}"))
    return lines


def _transposed_lines(spec: ConvSpec, sym: str, psym: str, ax: int) -> list[tuple[str, str]]:
    n, k, s, d = (getattr(spec, name)[ax] for name in
                  ("input_size", "kernel_size", "stride", "dilation"))
    return list(_transposed_axis(sym, psym, n, k, s, spec.padding[ax], d,
                                 spec.output_padding[ax], spec.actual_padding[ax],
                                 spec.output_size[ax]))


FORMULAS = {  # Operation.formula -> (lines of one axis, the general form in LaTeX)
    "conv": (_conv_lines, "m=\\lfloor\\frac{n+2p-d \\cdot (k-1)-1}{s}+1\\rfloor"),
    "transposed": (_transposed_lines,
                   "m=(n-1) \\cdot s-2p+d \\cdot (k-1)+a+1,\\quad p=d \\cdot (k-1)-p_t"),
    "pool": (_pool_lines, lambda spec: (
        "m=\\lceil\\frac{n+2p-d \\cdot (k-1)-1}{s}+1\\rceil,\\ "
        "\\text{every window starting inside the input or the left padding}" if spec.ceil_mode
        else "m=\\lfloor\\frac{n+2p-d \\cdot (k-1)-1}{s}+1\\rfloor")),
}
"""Each output-size relation of the operation table: how to fill it in, and its general form."""


def _same_lines(spec: ConvSpec, ax: int, sym: str) -> list[tuple[str, str]]:
    """(latex, text) of how ``"same"`` pads one axis under the spec's convention:
    ``total = max((⌈n/s⌉ − 1)·s + d·(k−1) + 1 − n, 0)``, split before/after."""
    n, k, s, d = (getattr(spec, name)[ax] for name in
                  ("input_size", "kernel_size", "stride", "dilation"))
    before, after = spec.pads[2 * ax:2 * ax + 2]
    names = ("top", "bottom") if ax == 0 else ("left", "right")
    span_tex, span_txt = (f"{d} \\cdot ({k}-1)", f"{d}·({k}{MINUS}1)") if d != 1 else \
        (f"({k}-1)", f"({k}{MINUS}1)")
    out = -(-n // s)
    latex = (f"{sym}=\\max(({out}-1) \\cdot {s}+{span_tex}+1-{n},0)={before + after}"
             f"\\;\\to\\;\\text{{{names[0]} {before}, {names[1]} {after}}}")
    text = (f"{sym} = max(({out}{MINUS}1)·{s} + {span_txt} + 1 {MINUS} {n}, 0) = "
            f"{before + after} → {names[0]} {before}, {names[1]} {after}")
    return [(latex, text)]


def output_formula(spec: ConvSpec) -> Formula:
    """The output-size formula of ``spec`` with its numbers, one line per axis unless square.

    A transposed spec gets the seed's two lines per axis: ``p`` from the actual padding
    ``p_t``, then ``m``. A 1-D spec has one axis, its length.
    """
    lines_of, symbolic = FORMULAS[spec.operation.formula]
    symbolic = symbolic(spec) if callable(symbolic) else symbolic
    axes = [("m", "p", 1)] if spec.dims == 1 else [("m", "p", 0)] if spec.square else \
        [("m_H", "p_H", 0), ("m_W", "p_W", 1)]
    lines = [line for sym, psym, ax in axes for line in lines_of(spec, sym, psym, ax)]
    if spec.padding == "same" and spec.convention != "pytorch":   # where "same"'s cells go
        totals = [("P", 0)] if spec.square and spec.pads[:2] == spec.pads[2:] else \
            [("P_H", 0), ("P_W", 1)]
        lines = [line for sym, ax in totals for line in _same_lines(spec, ax, sym)] + lines
    return Formula(tuple(tex for tex, _ in lines), tuple(txt for _, txt in lines), symbolic)
