"""The filled-in output-size formulas: the seed note's tables, term for term with the general
form, and in the direction the user gave the padding."""
import re

import pytest

from convviz import ConvSpec, ConvVizError, output_formula
from convviz.gallery import PRESETS

# (preset, the p line or None, its m line) in LaTeX. The numbers are the seed note's tables;
# the terms are the general form's, so d·(k−1) is written 1·(3−1) and a transposed line keeps
# its + a + 1. One correction: the seed's "Arbitrary padding, no strides" transposed row
# writes m=(6-1)*1 - 2*1 + 4 = 5, but p = 2 there; the 2*2 below is right.
SEED = [
    ("no_padding_no_strides", None, r"m=\lfloor\frac{4+2\cdot0-1\cdot(3-1)-1}{1}+1\rfloor=2"),
    ("arbitrary_padding_no_strides", None,
     r"m=\lfloor\frac{5+2\cdot2-1\cdot(4-1)-1}{1}+1\rfloor=6"),
    ("same_padding_no_strides", None, r"m=\lfloor\frac{5+2\cdot1-1\cdot(3-1)-1}{1}+1\rfloor=5"),
    ("full_padding_no_strides", None, r"m=\lfloor\frac{5+2\cdot2-1\cdot(3-1)-1}{1}+1\rfloor=7"),
    ("no_padding_strides", None, r"m=\lfloor\frac{5+2\cdot0-1\cdot(3-1)-1}{2}+1\rfloor=2"),
    ("padding_strides", None, r"m=\lfloor\frac{5+2\cdot1-1\cdot(3-1)-1}{2}+1\rfloor=3"),
    ("no_padding_no_strides_transposed", "p=1\\cdot(3-1)-2=0",
     r"m=(2-1)\cdot1-2\cdot0+1\cdot(3-1)+0+1=4"),
    ("arbitrary_padding_no_strides_transposed", "p=1\\cdot(4-1)-1=2",
     r"m=(6-1)\cdot1-2\cdot2+1\cdot(4-1)+0+1=5"),
    ("same_padding_no_strides_transposed", "p=1\\cdot(3-1)-1=1",
     r"m=(5-1)\cdot1-2\cdot1+1\cdot(3-1)+0+1=5"),
    ("full_padding_no_strides_transposed", "p=1\\cdot(3-1)-0=2",
     r"m=(7-1)\cdot1-2\cdot2+1\cdot(3-1)+0+1=5"),
    ("no_padding_strides_transposed", "p=1\\cdot(3-1)-2=0",
     r"m=(2-1)\cdot2-2\cdot0+1\cdot(3-1)+0+1=5"),
    ("padding_strides_transposed", "p=1\\cdot(3-1)-1=1",
     r"m=(3-1)\cdot2-2\cdot1+1\cdot(3-1)+0+1=5"),
    ("dilation", None, r"m=\lfloor\frac{7+2\cdot0-2\cdot(3-1)-1}{1}+1\rfloor=3"),
]


def _squeeze(latex: str) -> str:
    return re.sub(r"\s+", "", latex)


@pytest.mark.parametrize("name, p_line, m_line", SEED)
def test_seed_table_values_and_form(name, p_line, m_line):
    """The seed gives transposed figures by their actual padding p_t: the p line follows."""
    preset = PRESETS[name]
    formula = output_formula(preset.spec, given="pt")
    expected = [p_line, m_line] if p_line else [m_line]
    assert [_squeeze(line) for line in formula.latex] == [_squeeze(line) for line in expected]
    m = int(m_line.rsplit("=", 1)[1])
    assert preset.spec.output_size == (m, m)
    if p_line:
        assert preset.spec.padding[0] == int(p_line.rsplit("=", 1)[1])


def test_every_seed_figure_is_a_preset():
    classic_seed = {p.name for p in PRESETS.values() if p.in_seed and p.classic}
    assert {name for name, _, _ in SEED} == classic_seed


def _numbers(line: str) -> list[int]:
    return [int(v) for v in re.findall(r"\d+", line)]


def test_seed_note_numbers_appear_in_the_note(shared):
    """Each seed table line, its numbers in order, is ours once the general form's extra
    terms (the 1· of d·(k−1), and + a + 1 where the seed folds d·(k−1) + 1 into k) go."""
    note = _squeeze("".join(path.read_text() for path in (shared / "seed").glob("*.txt")))
    for name, p_line, m_line in SEED:
        for line in filter(None, (p_line, m_line)):
            seed = re.sub(r"\+1\\cdot\((\d+)-1\)\+0\+1", lambda g: f"+{g.group(1)}",
                          _squeeze(line)).replace("1\\cdot(", "(")
            if name == "arbitrary_padding_no_strides_transposed" and line.startswith("m"):
                seed = seed.replace("2\\cdot2", "2\\cdot1")
            assert seed in note, (name, seed)


def test_every_term_of_the_general_form_is_filled_in():
    general = output_formula(ConvSpec()).symbolic_text
    assert general == "m = ⌊(n + 2p − d·(k−1) − 1)/s + 1⌋"
    assert output_formula(ConvSpec(input_size=5, kernel_size=3, stride=2, padding=1)).text == (
        "m = ⌊(5 + 2·1 − 1·(3−1) − 1)/2 + 1⌋ = 3",)
    assert output_formula(PRESETS["dilation"].spec).text == (
        "m = ⌊(7 + 2·0 − 2·(3−1) − 1)/1 + 1⌋ = 3",)
    transposed = output_formula(PRESETS["padding_strides_transposed"].spec)
    assert transposed.symbolic_text.startswith("m = (n−1)·s − 2p + d·(k−1) + a + 1")
    assert transposed.text[1] == "m = (3−1)·2 − 2·1 + 1·(3−1) + 0 + 1 = 5"


def test_the_padding_line_runs_the_way_the_user_gave_it():
    spec = PRESETS["padding_strides_transposed"].spec
    typed_p, typed_pt = output_formula(spec, given="p"), output_formula(spec, given="pt")
    assert typed_p.text[0] == "p_t = 1·(3−1) − 1 = 1"
    assert typed_p.symbolic.endswith("p_t=d \\cdot (k-1)-p")
    assert typed_pt.text[0] == "p = 1·(3−1) − 1 = 1"
    assert typed_pt.symbolic.endswith("p=d \\cdot (k-1)-p_t")
    with pytest.raises(ConvVizError, match="given must be one of p, pt, got 'q'"):
        output_formula(spec, given="q")


def test_non_square_uneven_and_general_transposed():
    text = output_formula(ConvSpec(input_size=(5, 7), kernel_size=(4, 3), padding="same")).text
    assert text == ("m_H = ⌊(5 + (1 + 2) − 1·(4−1) − 1)/1 + 1⌋ = 5",
                    "m_W = ⌊(7 + 2·1 − 1·(3−1) − 1)/1 + 1⌋ = 7")
    spec = ConvSpec(mode="transposed", input_size=3, kernel_size=3, stride=2, padding=1,
                    output_padding=1, dilation=2)
    assert output_formula(spec, given="pt").text == ("p = 2·(3−1) − 3 = 1",
                                                     "m = (3−1)·2 − 2·1 + 2·(3−1) + 1 + 1 = 8")
    assert spec.output_size == (8, 8)
    negative = ConvSpec(mode="transposed", input_size=3, kernel_size=3, stride=2, padding=3)
    assert output_formula(negative, given="pt").text[0] == "p = 1·(3−1) − (−1) = 3"
    assert output_formula(negative).text[0] == "p_t = 1·(3−1) − 3 = −1"
    wide = ConvSpec(mode="transposed", input_size=(3, 4), kernel_size=3, stride=2, padding=1)
    assert output_formula(wide).text[::2] == ("p_t,H = 1·(3−1) − 1 = 1",
                                              "p_t,W = 1·(3−1) − 1 = 1")


@pytest.mark.parametrize("query, lines", [
    ("mode=maxpool&n=4&k=2", ["m = ⌊(4 + 2·0 − 1·(2−1) − 1)/2 + 1⌋ = 2"]),
    ("mode=avgpool&n=5&k=2&ceil=1", ["m = ⌈(5 + 2·0 − 1·(2−1) − 1)/2 + 1⌉ = 3"]),
    ("mode=maxpool&n=5&k=3&s=2&p=1&d=2", ["m = ⌊(5 + 2·1 − 2·(3−1) − 1)/2 + 1⌋ = 2"]),
    ("mode=maxpool1d&n=5&k=2&s=2&p=1&ceil=1",
     ["m = ⌈(5 + 2·1 − 1·(2−1) − 1)/2 + 1⌉ = 4",
      "the last window would start at (4−1)·2 = 6 ≥ n + p = 6, in the right padding: "
      "m = 4 − 1 = 3"]),
    ("mode=conv1d&n=8&k=3", ["m = ⌊(8 + 2·0 − 1·(3−1) − 1)/1 + 1⌋ = 6"]),
    ("mode=conv1d&n=8&k=3&p=2&causal=1", ["m = ⌊(8 + (2 + 0) − 1·(3−1) − 1)/1 + 1⌋ = 8"]),
    ("mode=transposed1d&n=3&k=3&s=2&p=1", ["p = 1·(3−1) − 1 = 1",
                                           "m = (3−1)·2 − 2·1 + 1·(3−1) + 0 + 1 = 5"]),
])
def test_pooling_and_1d_formulas_term_for_term(query, lines):
    spec = ConvSpec.from_query(query)
    formula = output_formula(spec, given="pt")
    assert list(formula.text) == lines
    assert int(lines[-1].rsplit("= ", 1)[1]) == spec.output_shape[-1]
    assert len(formula.latex) == len(lines)


def test_the_ceil_rule_shows_in_the_general_form_only_in_ceil_mode():
    assert "lceil" in output_formula(ConvSpec(mode="avgpool", ceil_mode=True)).symbolic
    assert "lfloor" in output_formula(ConvSpec(mode="avgpool")).symbolic
