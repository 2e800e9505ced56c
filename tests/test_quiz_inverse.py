"""Transposed-inverse exercises (convviz/quiz/inverse.py): the (n, a) pairs are exactly those
PyTorch's conv_transpose2d turns into the output size."""
from __future__ import annotations

import pytest

from convviz import ConvVizError
from convviz.quiz import InverseQuestion, question_set
from convviz.quiz.inverse import read_pairs

EIGHT = InverseQuestion(3, 2, 1, 1, 8)


@pytest.mark.parametrize("level", [1, 2, 3])
def test_the_pairs_are_every_input_and_output_padding_pytorch_maps_to_m(torch, level):
    questions = question_set("inverse", level, 9, 12)
    for q in questions:
        w = torch.zeros((1, 1, q.kernel_size, q.kernel_size))
        found = set()
        for n in range(1, (q.output + 2 * q.padding) // q.stride + 3):   # larger n: larger
            for a in range(max(q.stride, q.dilation)):
                try:
                    y = torch.nn.functional.conv_transpose2d(
                        torch.zeros((1, 1, n, n)), w, stride=q.stride, padding=q.padding,
                        output_padding=a, dilation=q.dilation)
                except RuntimeError:
                    continue
                if y.shape[-1] == q.output:
                    found.add((n, a))
        assert set(q.pairs()) == found, q.key()
    if level == 3:
        assert any(len(q.pairs()) > 1 for q in questions)


def test_the_explanation_ties_the_pair_to_the_convolution_it_undoes(torch):
    lines = EIGHT.explanation()
    assert lines[-1] == ("Conv2d with the same k, s, p, d maps 7 × 7 and 8 × 8 both to 4 × 4; "
                         "a = 1 picks 8 × 8.")
    for size in EIGHT.undone(4):
        y = torch.nn.functional.conv2d(torch.zeros((1, 1, size, size)),
                                       torch.zeros((1, 1, 3, 3)), stride=2, padding=1)
        assert y.shape[-1] == 4


@pytest.mark.parametrize("text, pairs", [
    ("4, 1", [(4, 1)]), ("n=4 a=1", [(4, 1)]), ("a = 1, n = 4", [(4, 1)]), ("4", [(4, 0)]),
    ("3, 1; 4, 0", [(3, 1), (4, 0)]), ("3 1 or 4 0", [(3, 1), (4, 0)]), ("", None),
    ("4 5 6", None), ("a=1", None), ("4.5, 1", None),
])
def test_pairs_are_read_as_typed(text, pairs):
    assert read_pairs(text) == pairs


def test_each_pair_is_checked():
    assert EIGHT.check("4, 1").message == "Correct: n = 4 with a = 1 gives 8 × 8."
    assert EIGHT.check("4").message == ("n = 4 with a = 0 gives 7 × 7, not 8 × 8; 1 more pair "
                                        "gives 8 × 8.")
    said = EIGHT.check("4, 1; 5, 0")
    assert not said.correct and said.marks == (("n=4, a=1", "right"), ("n=5, a=0", "wrong"))
    assert "a = 2 is too large: output_padding must be < max(s, d) = 2" in \
        EIGHT.check("4, 2").message
    assert not EIGHT.check("four").counted
    assert EIGHT.check("none").message == "Some input size does give 8 × 8."
    assert EIGHT.check("4", tries=1).steps[1] == "(n−1)·2 + a = 7, with 0 ≤ a ≤ 1"


def test_none_is_the_answer_below_the_smallest_output():
    below = InverseQuestion(3, 2, 0, 1, 2)
    assert below.pairs() == () and below.answer() == "none" and below.spec is None
    assert below.check("none").correct
    assert below.explanation()[-1] == ("No input size gives 2 × 2: n = 1 with a = 0 already "
                                       "gives 3 × 3.")


def test_several_pairs_when_the_dilation_is_wider_than_the_stride():
    several = InverseQuestion(3, 1, 0, 2, 8)
    assert several.pairs() == ((3, 1), (4, 0))
    assert several.check("4,0; 3,1").correct
    assert several.check("4, 0").message == "1 more pair gives 8 × 8."


def test_the_question_holds_no_answer():
    before = " ".join([EIGHT.prompt(), EIGHT.pytorch(), EIGHT.key(),
                       *(f"{s}={v}" for s, v in EIGHT.givens())])
    assert "n=4" not in before and "a=1" not in before and "(1, 1, 4, 4)" not in before
    assert EIGHT.key() == "quiz=inverse&k=3&s=2&p=1&d=1&m=8"
    assert InverseQuestion.from_query({"k": "3", "s": "2", "p": "1", "m": "8"}) == EIGHT
    with pytest.raises(ConvVizError, match="needs m"):
        InverseQuestion.from_query({"k": "3"})
