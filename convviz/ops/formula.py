"""The output-size formula of a spec, with its numbers filled in, term for term.

The filled-in line keeps every term of the general form, so a student can match them one to
one: ``d·(k−1)`` stays ``1·(3−1)`` when d = 1, and a transposed convolution's ``+ a`` stays
``+ 0``. A transposed convolution also relates PyTorch's padding ``p`` and the actual padding
``p_t = d·(k−1) − p`` drawn in the figure (conv_arithmetic's picture); the line runs in the
direction the user gave it (``given="p"``: ``p_t = …``; ``given="pt"``: ``p = …``).

>>> print(output_formula(ConvSpec(input_size=5, kernel_size=3, stride=2, padding=1)).text[0])
m = ⌊(5 + 2·1 − 1·(3−1) − 1)/2 + 1⌋ = 3
>>> spec = ConvSpec.build(mode="transposed", input_size=3, kernel_size=3, stride=2, pt=1)
>>> print("\\n".join(output_formula(spec, given="pt").text))
p = 1·(3−1) − 1 = 1
m = (3−1)·2 − 2·1 + 1·(3−1) + 0 + 1 = 5
>>> output_formula(spec).text[0]
'p_t = 1·(3−1) − 1 = 1'
>>> print("\\n".join(output_formula(ConvSpec(mode="maxpool", input_size=5, kernel_size=2,
...                                          padding=1, ceil_mode=True)).text))
m = ⌈(5 + 2·1 − 1·(2−1) − 1)/2 + 1⌉ = 4
the last window would start at (4−1)·2 = 6 ≥ n + p = 6, in the right padding: m = 4 − 1 = 3
>>> print("\\n".join(output_formula(ConvSpec(input_size=6, kernel_size=3, stride=2,
...                                            padding="same", convention="tensorflow")).text))
P = max((3−1)·2 + 1·(3−1) + 1 − 6, 0) = 1 → top 0, bottom 1
m = ⌊(6 + (0 + 1) − 1·(3−1) − 1)/2 + 1⌋ = 3
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import ConvVizError
from ..text import MINUS
from .pool_shapes import pooled_length
from .spec import ConvSpec

GIVEN = ("p", "pt")
"""Which padding a user gave a transposed convolution: PyTorch's ``p`` or the actual ``pt``."""


@dataclass(frozen=True)
class Formula:
    """Lines of one formula: ``latex`` for ``st.latex``, ``text`` in plain Unicode, and the
    ``symbolic`` forms (LaTeX and Unicode, no numbers) in the same order of terms."""

    latex: tuple[str, ...]
    text: tuple[str, ...]
    symbolic: str
    symbolic_text: str = ""


def _num(value: int) -> tuple[str, str]:
    """(latex, text) of a number as a term: negative ones in parentheses."""
    if value < 0:
        return f"({value})", f"({MINUS}{-value})"
    return str(value), str(value)


def _span(k: int, d: int) -> tuple[str, str]:
    """(latex, text) of ``d·(k−1)``, every factor written."""
    return f"{d} \\cdot ({k}-1)", f"{d}·({k}{MINUS}1)"


def _conv_axis(sym: str, n: int, k: int, s: int, d: int, pads: tuple[int, int],
               m: int, ceil: bool = False) -> tuple[str, str]:
    """(latex, text) of ``m = ⌊(n + 2p − d·(k−1) − 1)/s + 1⌋`` for one axis (``ceil``:
    rounded up)."""
    pad_tex, pad_txt = ((f"2 \\cdot {pads[0]}", f"2·{pads[0]}") if pads[0] == pads[1] else
                        (f"({pads[0]}+{pads[1]})", f"({pads[0]} + {pads[1]})"))
    span_tex, span_txt = _span(k, d)
    (lo_tex, hi_tex), (lo, hi) = ((r"\lceil", r"\rceil"), "⌈⌉") if ceil else \
        ((r"\lfloor", r"\rfloor"), "⌊⌋")
    latex = f"{sym}={lo_tex}\\frac{{{n}+{pad_tex}-{span_tex}-1}}{{{s}}}+1{hi_tex}={m}"
    text = f"{sym} = {lo}({n} + {pad_txt} {MINUS} {span_txt} {MINUS} 1)/{s} + 1{hi} = {m}"
    return latex, text


def _padding_line(psym: str, given: str, k: int, d: int, p: int,
                  pt: int) -> tuple[str, str]:
    """(latex, text) of the padding relation, solved for the one the user did not give."""
    span_tex, span_txt = _span(k, d)
    known, result = (p, pt) if given == "p" else (pt, p)
    name_tex, name_txt = (f"{psym}_t", f"{psym}_t") if given == "p" else (psym, psym)
    if "_" in psym and given == "p":                  # p_H -> p_{t,H}
        axis = psym.split("_")[1]
        name_tex, name_txt = f"p_{{t,{axis}}}", f"p_t,{axis}"
    k_tex, k_txt = _num(known)
    return (f"{name_tex}={span_tex}-{k_tex}={result}",
            f"{name_txt} = {span_txt} {MINUS} {k_txt} = {str(result).replace('-', MINUS)}")


def _transposed_axis(sym: str, n: int, k: int, s: int, p: int, d: int, a: int,
                     m: int) -> tuple[str, str]:
    """(latex, text) of ``m = (n−1)·s − 2p + d·(k−1) + a + 1`` for one axis."""
    span_tex, span_txt = _span(k, d)
    p_tex, p_txt = _num(p)
    return (f"{sym}=({n}-1) \\cdot {s}-2 \\cdot {p_tex}+{span_tex}+{a}+1={m}",
            f"{sym} = ({n}{MINUS}1)·{s} {MINUS} 2·{p_txt} + {span_txt} + {a} + 1 = {m}")


def _sizes(spec: ConvSpec, ax: int) -> tuple[int, int, int, int]:
    return tuple(getattr(spec, name)[ax] for name in
                 ("input_size", "kernel_size", "stride", "dilation"))


def _conv_lines(spec: ConvSpec, sym: str, psym: str, ax: int,
                given: str) -> list[tuple[str, str]]:
    n, k, s, d = _sizes(spec, ax)
    return [_conv_axis(sym, n, k, s, d, spec.pads[2 * ax:2 * ax + 2], spec.output_size[ax])]


def _pool_lines(spec: ConvSpec, sym: str, psym: str, ax: int,
                given: str) -> list[tuple[str, str]]:
    """Pooling's formula: the convolution's, rounded up in ceil mode, with the rule that drops
    a last window starting in the right padding stated when it bites."""
    n, k, s, d = _sizes(spec, ax)
    pads = spec.pads[2 * ax:2 * ax + 2]
    if spec.padding == "same":          # a convention's 'same': no window hangs past its pads
        return [_conv_axis(sym, n, k, s, d, pads, spec.output_size[ax])]
    p = pads[0]
    m, dropped = pooled_length(n, k, s, p, d, spec.ceil_mode)
    lines = [_conv_axis(sym, n, k, s, d, (p, p), m + dropped, spec.ceil_mode)]
    if dropped:
        start = (m + dropped - 1) * s
        lines.append((f"\\text{{the last window would start at }}({m + 1}-1) \\cdot {s}={start}"
                      f"\\ge n+p={n + p}\\text{{, in the right padding: }}{sym}={m + 1}-1={m}",
                      f"the last window would start at ({m + 1}{MINUS}1)·{s} = {start} ≥ n + p = "
                      f"{n + p}, in the right padding: {sym} = {m + 1} {MINUS} 1 = {m}"))
    return lines


def _pool_form(spec: ConvSpec) -> tuple[str, str]:
    """Pooling's general form: the convolution's, rounded up in ceil mode (not with 'same':
    there the pads fit the windows)."""
    if not spec.ceil_mode or spec.padding == "same":
        return _CONV_FORM
    return ("m=\\lceil\\frac{n+2p-d \\cdot (k-1)-1}{s}+1\\rceil,\\ "
            "\\text{every window starting inside the input or the left padding}",
            f"m = ⌈(n + 2p {MINUS} d·(k{MINUS}1) {MINUS} 1)/s + 1⌉, every window starting "
            f"inside the input or the left padding")


def _transposed_lines(spec: ConvSpec, sym: str, psym: str, ax: int,
                      given: str) -> list[tuple[str, str]]:
    n, k, s, d = _sizes(spec, ax)
    p, pt = spec.padding[ax], spec.actual_padding[ax]
    return [_padding_line(psym, given, k, d, p, pt),
            _transposed_axis(sym, n, k, s, p, d, spec.output_padding[ax],
                             spec.output_size[ax])]


_CONV_FORM = ("m=\\lfloor\\frac{n+2p-d \\cdot (k-1)-1}{s}+1\\rfloor",
              f"m = ⌊(n + 2p {MINUS} d·(k{MINUS}1) {MINUS} 1)/s + 1⌋")
_TRANSPOSED_FORM = ("m=(n-1) \\cdot s-2p+d \\cdot (k-1)+a+1",
                    f"m = (n{MINUS}1)·s {MINUS} 2p + d·(k{MINUS}1) + a + 1")
_PADDING_FORM = {"p": ("p_t=d \\cdot (k-1)-p", f"p_t = d·(k{MINUS}1) {MINUS} p"),
                 "pt": ("p=d \\cdot (k-1)-p_t", f"p = d·(k{MINUS}1) {MINUS} p_t")}

FORMULAS = {  # Operation.formula -> (lines of one axis, the general form: latex, text)
    "conv": (_conv_lines, _CONV_FORM),
    "transposed": (_transposed_lines, _TRANSPOSED_FORM),
    "pool": (_pool_lines, _pool_form),
}
"""Each output-size relation of the operation table: how to fill it in, and its general form."""


def _same_lines(spec: ConvSpec, ax: int, sym: str) -> list[tuple[str, str]]:
    """(latex, text) of how ``"same"`` pads one axis under the spec's convention:
    ``total = max((⌈n/s⌉ − 1)·s + d·(k−1) + 1 − n, 0)``, split before/after."""
    n, k, s, d = _sizes(spec, ax)
    before, after = spec.pads[2 * ax:2 * ax + 2]
    names = ("top", "bottom") if ax == 0 else ("left", "right")
    span_tex, span_txt = _span(k, d)
    out = -(-n // s)
    latex = (f"{sym}=\\max(({out}-1) \\cdot {s}+{span_tex}+1-{n},0)={before + after}"
             f"\\;\\to\\;\\text{{{names[0]} {before}, {names[1]} {after}}}")
    text = (f"{sym} = max(({out}{MINUS}1)·{s} + {span_txt} + 1 {MINUS} {n}, 0) = "
            f"{before + after} → {names[0]} {before}, {names[1]} {after}")
    return [(latex, text)]


def general_form(key: str, spec: ConvSpec | None = None) -> tuple[str, str]:
    """The general form (LaTeX, Unicode text; no numbers) of output-size relation ``key`` of
    :data:`FORMULAS` (pooling's depends on its ceil mode: give its ``spec``).

    >>> general_form("conv")[1]
    'm = ⌊(n + 2p − d·(k−1) − 1)/s + 1⌋'
    """
    form = FORMULAS[key][1]
    return form(spec) if callable(form) else form


def output_formula(spec: ConvSpec, *, given: str = "p") -> Formula:
    """The output-size formula of ``spec`` with its numbers, one line per axis unless square.

    Parameters
    ----------
    spec : ConvSpec
    given : {"p", "pt"}, keyword only
        For a transposed spec, the padding the user gave: PyTorch's ``p`` (the first line
        is then ``p_t = d·(k−1) − p``) or the actual padding ``pt`` (``p = d·(k−1) − p_t``).
        Ignored for a direct convolution. A 1-D spec has one axis, its length.
    """
    if given not in GIVEN:
        raise ConvVizError(f"given must be one of {', '.join(GIVEN)}, got {given!r}")
    lines_of = FORMULAS[spec.operation.formula][0]
    symbolic, symbolic_text = general_form(spec.operation.formula, spec)
    if spec.transposed:
        pad_tex, pad_txt = _PADDING_FORM[given]
        symbolic = f"{symbolic},\\quad {pad_tex}"
        symbolic_text = f"{symbolic_text};  {pad_txt}"
    axes = [("m", "p", 1)] if spec.dims == 1 else [("m", "p", 0)] if spec.square else \
        [("m_H", "p_H", 0), ("m_W", "p_W", 1)]
    lines = [line for sym, psym, ax in axes for line in lines_of(spec, sym, psym, ax, given)]
    if spec.padding == "same" and spec.convention != "pytorch":   # where "same"'s cells go
        totals = [("P", 0)] if spec.square and spec.pads[:2] == spec.pads[2:] else \
            [("P_H", 0), ("P_W", 1)]
        lines = [line for sym, ax in totals for line in _same_lines(spec, ax, sym)] + lines
    return Formula(tuple(tex for tex, _ in lines), tuple(txt for _, txt in lines), symbolic,
                   symbolic_text)
