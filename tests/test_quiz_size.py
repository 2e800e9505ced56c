"""Output-size exercises (convviz/quiz/size.py): answers, the hints that name the likely
mistake, the worked formula after a wrong try, and nothing that gives the answer away."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from convviz import ConvSpec, ConvVizError
from convviz.quiz import SizeQuestion, question_set
from convviz.text import size_text

SEVEN = SizeQuestion(ConvSpec(input_size=7, kernel_size=3, stride=2))      # m = 3


def transposed(**fields) -> SizeQuestion:
    return SizeQuestion(ConvSpec(mode="transposed", **fields))


@pytest.mark.parametrize("question, typed, named", [
    (SEVEN, "4", "Off by one: (n + 2p − d·(k−1) − 1)/s counts the strides"),
    (SEVEN, "2", "Off by one: the + 1 counts the kernel's first position"),
    (SEVEN, "5", "The kernel moves s = 2 cells a step"),
    (SizeQuestion(ConvSpec(input_size=8, kernel_size=3, stride=2)), "4", "You rounded up"),
    (SizeQuestion(ConvSpec(input_size=8, kernel_size=3, stride=2)), "3.5", "whole cells"),
    (SizeQuestion(ConvSpec(input_size=7, kernel_size=3, dilation=2)), "5",
     "spans d·(k−1) + 1 = 5 cells, not k = 3"),
    (SizeQuestion(ConvSpec(input_size=5, kernel_size=3, padding=1)), "3",
     "You left out the padding"),
    (SizeQuestion(ConvSpec(input_size=5, kernel_size=3, padding=1)), "4",
     "Padding goes on both sides"),
    (SEVEN, "15", "That is a transposed convolution's formula"),
    (transposed(input_size=3, kernel_size=3, stride=2), "3", "You used p_t = 2 for p"),
    (transposed(input_size=3, kernel_size=3, stride=2, padding=1), "2",
     "That is the direct convolution's formula"),
    (transposed(input_size=3, kernel_size=3, stride=2, padding=1, output_padding=1), "5",
     "You left out output_padding a = 1"),
    (transposed(input_size=3, kernel_size=3, stride=2, padding=1), "7",
     "n input cells have n − 1 gaps"),
    (transposed(input_size=3, kernel_size=2, dilation=2, stride=2), "6",
     "spans d·(k−1) + 1 = 3 cells, not k = 2"),
    (transposed(input_size=3, kernel_size=3, stride=2, padding=1), "6",
     "The padding p is cropped from both sides"),
])
def test_a_wrong_answer_gets_the_likely_mistake_by_name(question, typed, named):
    said = question.check(typed)
    assert not said.correct and said.counted
    assert named in said.message


@pytest.mark.parametrize("typed", ["3", " 3 ", "3 × 3", "3x3", "(3, 3)", "3,3"])
def test_the_answer_may_be_written_in_several_ways(typed):
    assert SEVEN.check(typed).correct
    assert SEVEN.check(typed).message == "Correct: the output is 3 × 3."


@pytest.mark.parametrize("typed", ["", "abc", "1 2 3", "m"])
def test_text_that_is_no_answer_is_not_a_try(typed):
    said = SEVEN.check(typed)
    assert not said.correct and not said.counted and "whole number" in said.message


def test_a_non_square_input_asks_for_h_and_w():
    question = SizeQuestion(ConvSpec(input_size=(5, 7), kernel_size=3))     # 3 x 5
    assert question.prompt() == "What is the output size H × W of this convolution?"
    assert not question.check("3").counted
    assert question.check("3 × 4").message.startswith("H is right. W: ")
    assert question.check("4 × 5").message.startswith("H: ")
    assert question.check("3 × 5").correct


def test_the_worked_formula_comes_after_the_first_wrong_try_without_the_result():
    assert SEVEN.check("4", tries=0).steps == ()
    steps = SEVEN.check("4", tries=1).steps
    assert steps == ("m = ⌊(7 + 2·0 − 1·(3−1) − 1)/2 + 1⌋ = ?",)
    assert SEVEN.explanation()[0] == "m = ⌊(7 + 2·0 − 1·(3−1) − 1)/2 + 1⌋ = 3"
    pt = transposed(input_size=3, kernel_size=3, stride=2, padding=1)
    assert pt.worked() == ("p_t = 1·(3−1) − 1 = 1", "m = (3−1)·2 − 2·1 + 1·(3−1) + 0 + 1 = ?")


def test_zero_or_negative_sizes_are_wrong_with_a_reason():
    said = SEVEN.check("0")
    assert said.counted and "at least one cell" in said.message


@pytest.mark.parametrize("level", [1, 2, 3])
def test_nothing_a_question_shows_before_the_reveal_holds_its_answer(level):
    for question in question_set("size", level, 7, 25):
        m, shown = question.spec.output_size, question.answer()
        before = " ".join([question.prompt(), question.pytorch(), question.key(),
                           *question.worked(), *(v for _, v in question.givens())])
        assert shown == size_text(m) and shown not in before
        assert all(line.endswith("= ?") for line in question.worked() if line.startswith("m"))
        assert "?, ?" in question.pytorch()


@given(n=st.integers(1, 16), k=st.integers(1, 5), s=st.integers(1, 4), p=st.integers(0, 3),
       d=st.integers(1, 3))
def test_the_right_answer_is_correct_and_no_other_is(n, k, s, p, d):
    try:
        spec = ConvSpec(input_size=n, kernel_size=k, stride=s, padding=p, dilation=d)
    except ConvVizError:
        return
    question, m = SizeQuestion(spec), spec.output_size[0]
    assert question.check(str(m)).correct
    for other in (m - 1, m + 1, m + 2):
        said = question.check(str(other), tries=1)
        assert not said.correct and said.counted and said.message and said.steps


@pytest.mark.parametrize("spec, message", [
    (ConvSpec(mode="depthwise", in_channels=2), "mode must be one of conv, transposed, dilated"),
    (ConvSpec(in_channels=2), "one channel in and out"),
])
def test_exercises_ask_about_one_channel(spec, message):
    with pytest.raises(ConvVizError, match=message):
        SizeQuestion(spec)


def test_a_link_spells_a_question_out_and_back():
    question = SizeQuestion.from_query({"mode": "conv", "n": "7", "k": "3", "s": "2",
                                        "p": "0", "quiz": "size"})
    assert question == SEVEN
    assert question.key() == "quiz=size&mode=conv&n=7&k=3&s=2&p=0"
    assert question.figure() == ("setup", SEVEN.spec, 0)
    assert question.answer_figure() == ("classic", SEVEN.spec, 0)
