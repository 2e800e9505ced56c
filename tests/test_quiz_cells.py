"""Which-cells exercises (convviz/quiz/cells.py): the answer is what PyTorch's gradient says
the output cell depends on, and every chosen cell is checked."""
from __future__ import annotations

import numpy as np
import pytest

from convviz import ConvSpec, ConvVizError
from convviz.quiz import CellsQuestion, question_set

PADDED = CellsQuestion(ConvSpec(input_size=5, kernel_size=3, stride=2, padding=1), (1, 1))
NINE = ["x[1,1]", "x[1,2]", "x[1,3]", "x[2,1]", "x[2,2]", "x[2,3]", "x[3,1]", "x[3,2]",
        "x[3,3]"]


def torch_reads(torch, question: CellsQuestion) -> list[str]:
    """The input cells whose gradient through the output cell is not zero (all-ones weights,
    so that no product cancels)."""
    spec, (r, c) = question.spec, question.cell
    x = torch.ones((1, 1, *spec.input_size), dtype=torch.float64, requires_grad=True)
    weight = torch.ones((1, 1, *spec.kernel_size), dtype=torch.float64)
    if spec.transposed:
        y = torch.nn.functional.conv_transpose2d(
            x, weight, stride=spec.stride, padding=spec.padding,
            output_padding=spec.output_padding, dilation=spec.dilation)
    else:
        y = torch.nn.functional.conv2d(x, weight, stride=spec.stride, padding=spec.padding,
                                       dilation=spec.dilation)
    y[0, 0, r, c].backward()
    rows, cols = np.nonzero(x.grad[0, 0].numpy())
    return [f"x[{i},{j}]" for i, j in zip(rows.tolist(), cols.tolist())]


@pytest.mark.parametrize("level", [1, 2, 3])
def test_the_answer_is_what_the_output_cell_depends_on_in_pytorch(torch, level):
    questions = question_set("cells", level, 3, 30)
    assert any(q.spec.transposed for q in questions) or level < 3
    for question in questions:
        assert list(question.read) == torch_reads(torch, question), question.key()


def test_every_chosen_cell_is_checked():
    said = PADDED.check(["x[1,1]", "x[0,0]", "x[4,4]"])
    assert not said.correct and said.counted
    assert said.message == ("x[0,0] and x[4,4] are not read by y[1,1]; 8 cells it reads are "
                            "not chosen yet.")
    assert said.marks == (("x[1,1]", "right"), ("x[0,0]", "wrong"), ("x[4,4]", "wrong"))
    missing = PADDED.check(NINE[:7])
    assert missing.message == ("Every cell you chose is read by y[1,1], but 2 cells it reads "
                               "are not chosen yet.")
    assert PADDED.check(list(reversed(NINE))).correct
    assert PADDED.check(" ".join(NINE)).message == "Correct: y[1,1] reads these 9 input cells."


def test_choosing_nothing_is_not_a_try_and_the_rule_comes_after_a_wrong_one():
    assert not PADDED.check([]).counted
    assert PADDED.check(["x[0,0]"]).steps == ()
    assert "r·s − p + i·d" in PADDED.check(["x[0,0]"], tries=1).steps[0]


def test_padding_taps_are_counted_in_the_explanation():
    corner = CellsQuestion(PADDED.spec, (0, 0))
    assert corner.read == ("x[0,0]", "x[0,1]", "x[1,0]", "x[1,1]")
    assert corner.explanation()[1] == "It reads 4 input cells, and 5 padding cells."


def test_the_question_and_its_link_hold_no_answer():
    before = " ".join([PADDED.prompt(), PADDED.pytorch(), PADDED.key(),
                       *(v for _, v in PADDED.givens())])
    assert not any(name in before for name in NINE)
    assert PADDED.key() == "quiz=cells&mode=conv&n=5&k=3&s=2&p=1&cell=1,1"
    assert CellsQuestion.from_query({"n": "5", "k": "3", "s": "2", "p": "1"}).cell == (1, 1)
    assert PADDED.figure() == ("cells", PADDED.spec, 4)
    assert PADDED.answer_figure() == ("classic", PADDED.spec, 4)


@pytest.mark.parametrize("spec, cell, message", [
    (ConvSpec(input_size=5), (3, 0), "cell row must be an int in 0..2, got 3"),
    (ConvSpec(input_size=5), (0, -1), "cell column must be an int in 0..2, got -1"),
    (ConvSpec(mode="transposed", input_size=3, kernel_size=3, stride=2, padding=3), (0, 0),
     r"padding must be <= d\*\(k-1\) = 2, got 3"),
    (ConvSpec(mode="pointwise", in_channels=2), (0, 0), "mode must be one of"),
    (ConvSpec(input_size=30), (0, 0), "at most 24 input and 40 output cells a side to choose "
                                      "from, got 30 × 30 -> 28 × 28"),
])
def test_questions_that_cannot_be_asked_are_refused(spec, cell, message):
    with pytest.raises(ConvVizError, match=message):
        CellsQuestion(spec, cell)
