"""Find-the-parameter exercises (convviz/quiz/param.py): every value PyTorch accepts with the
right output size is an answer, no other is, and "none" is right exactly when none is."""
from __future__ import annotations

import pytest

from convviz import ConvVizError
from convviz.quiz import ParamQuestion, question_set

FIND_S = ParamQuestion("conv", 7, 3, "stride", (("kernel_size", 3), ("padding", 0),
                                                ("dilation", 1)))


def torch_size(torch, question: ParamQuestion, value: int) -> int | None:
    """The output size PyTorch gives with the unknown at ``value``, or None if it refuses."""
    v, n = question.values(value), question.input_size
    x = torch.zeros((1, 1, n, n))
    w = torch.zeros((1, 1, v["kernel_size"], v["kernel_size"]))
    try:
        if question.spec is not None and question.spec.transposed or question.mode == \
                "transposed":
            y = torch.nn.functional.conv_transpose2d(
                x, w, stride=v["stride"], padding=v["padding"], dilation=v["dilation"],
                output_padding=v["output_padding"])
        else:
            if question.mode == "dilated" and v["dilation"] < 2:
                return None
            y = torch.nn.functional.conv2d(x, w, stride=v["stride"], padding=v["padding"],
                                           dilation=v["dilation"])
    except RuntimeError:
        return None
    return y.shape[-1] if y.numel() else None


@pytest.mark.parametrize("level", [1, 2, 3])
def test_the_answers_are_every_value_that_gives_m_in_pytorch(torch, level):
    for question in question_set("param", level, 5, 12):
        low = 0 if question.unknown == "padding" else 1
        for value in range(low, 40):
            agrees = torch_size(torch, question, value) == question.output_size
            assert question.accepts(value) == agrees, (question.key(), value)
        if level == 1:
            assert len(question.answers()) == 1


def test_level_three_has_questions_without_an_answer():
    questions = question_set("param", 3, 5, 30)
    assert any(not q.answers() for q in questions)
    assert any(q.mode == "transposed" for q in questions)


def test_one_answer_several_answers_endless_answers_and_none():
    assert (FIND_S.answers(), FIND_S.answer()) == ((2,), "s = 2")
    one = ParamQuestion("conv", 8, 3, "stride", (("kernel_size", 2), ("padding", 0)))
    assert one.answer() == "s = 3"                          # 6/3 = 2, 6/4 floors to 1
    two = ParamQuestion("conv", 10, 3, "stride", (("kernel_size", 2), ("padding", 0)))
    assert (two.answers(), two.answer()) == ((3, 4), "s = 3 or 4")    # 8/4 = 2, 8/3 floors
    many = ParamQuestion("conv", 13, 2, "stride", (("kernel_size", 1), ("padding", 0)))
    assert many.answer() == "any s from 7 to 12"
    endless = ParamQuestion("conv", 7, 1, "stride", (("kernel_size", 3), ("padding", 0)))
    assert endless.endless and endless.answer() == "any s ≥ 5" and endless.accepts(1000)
    free = ParamQuestion("conv", 7, 3, "dilation", (("kernel_size", 1), ("stride", 3)))
    assert free.answer() == "any d ≥ 1"
    none = ParamQuestion("conv", 7, 4, "stride", (("kernel_size", 3), ("padding", 0)))
    assert none.answer() == "none" and none.spec is None
    assert none.explanation()[-1] == "No s gives 4 × 4."
    assert FIND_S.explanation() == ("3 = ⌊(7 + 2·0 − 1·(3−1) − 1)/s + 1⌋",
                                    "Output sizes: s = 1: 5, s = 2: 3, s = 3: 2",
                                    "So s = 2 (it gives 3 × 3).")


def test_checks_say_what_a_wrong_value_gives_and_which_way_to_go():
    assert FIND_S.check("2").message == "Correct: s = 2 gives 3 × 3."
    assert FIND_S.check("1").message == ("With s = 1 the output is 5 × 5, not 3 × 3. The output "
                                         "shrinks as s grows.")
    assert FIND_S.check("none").message == "Some s does give 3 × 3."
    assert not FIND_S.check("two").counted
    k = ParamQuestion("conv", 5, 3, "kernel_size", (("stride", 1), ("padding", 0)))
    assert "cannot run" in k.check("9").message
    none = ParamQuestion("conv", 7, 4, "stride", (("kernel_size", 3), ("padding", 0)))
    assert none.check("none").correct and not none.check("1").correct
    assert FIND_S.check("1", tries=1).steps == ("3 = ⌊(7 + 2·0 − 1·(3−1) − 1)/s + 1⌋",)


def test_the_question_holds_no_answer_and_links_round_trip():
    assert FIND_S.key() == "quiz=param&mode=conv&n=7&m=3&k=3&p=0&d=1&find=s"
    assert "stride=?" in FIND_S.pytorch() and "s=" not in FIND_S.key()
    assert ("s", "?") in FIND_S.givens()
    again = ParamQuestion.from_query(dict(p.split("=") for p in FIND_S.key().split("&")))
    assert again == FIND_S
    implied = ParamQuestion.from_query({"mode": "conv", "n": "7", "m": "3", "k": "3", "p": "0"})
    assert implied == FIND_S


def test_only_a_find_s_question_of_a_convolution_has_a_figure():
    assert FIND_S.figure()[0] == "setup"
    find_p = ParamQuestion("conv", 5, 5, "padding", (("kernel_size", 3), ("stride", 1)))
    assert find_p.figure() is None and find_p.answers() == (1,)


@pytest.mark.parametrize("params, message", [
    ({"n": "7", "m": "3", "k": "3"}, "leaves out one of k, s, p .* got 2 left out"),
    ({"n": "7", "m": "3", "k": "3", "s": "1", "p": "0", "find": "s"}, "find=s is given too"),
    ({"n": "7", "m": "3", "find": "q"}, "find must be one of k, s, p, d, got 'q'"),
    ({"n": "7", "k": "3", "p": "0"}, "needs m"),
    ({"mode": "grouped", "n": "7", "m": "3", "k": "3"}, "mode must be one of"),
])
def test_links_that_cannot_work_are_refused(params, message):
    with pytest.raises(ConvVizError, match=message):
        ParamQuestion.from_query(params)
