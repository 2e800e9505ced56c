"""The exercises page (ui/quiz.py, ui/exercise.py, ui/picker.py), run headless with AppTest:
links set the exercise, answers are checked with hints, the score counts, Reveal and Next
work, and nothing on the page gives the answer before it is out.

Choosing cells on the figure needs a browser: tests/test_quiz_browser.py.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from streamlit.testing.v1 import AppTest

from convviz.quiz import Exercise

APP = str(Path(__file__).resolve().parent.parent / "app.py")
ISSUE = "quiz=size&mode=conv&n=7&k=3&s=2&p=0"


def run(query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(dict(parse_qsl(query)))
    return at.run()


def page_text(at: AppTest) -> str:
    """Everything the page writes: text, code, formulas, figures' captions, values."""
    parts = []
    for kind in ("markdown", "code", "latex", "caption", "metric", "success", "warning",
                 "info", "error", "text_input", "html"):
        for element in at.get(kind):
            proto = element.proto
            parts += [str(getattr(proto, name, "")) for name in ("body", "value", "label",
                                                                   "placeholder", "help")]
    for element in at.get("imgs"):
        parts += [image.caption for image in element.proto.imgs]
    return "\n".join(parts)


def answer(at: AppTest, text: str) -> AppTest:
    at.text_input(key="quiz_answer_" + str(at.session_state.quiz_index)).input(text)
    return next(b for b in at.button if b.label == "Check").click().run()


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def test_the_issue_link_asks_without_giving_the_answer():
    at = run(ISSUE)
    assert_clean(at)
    text = page_text(at)
    assert "What is the output size m of this convolution?" in text
    for leak in ("3 × 3", "= 3", "3, 3", "[1, 1, 3, 3]", "y[2,2]", "of 9"):
        assert leak not in text, leak
    assert at.text_input[0].label == "Your answer"
    assert [latex.value.strip("$\n") for latex in at.latex] == [     # the general form, typeset
        "m=\\lfloor\\frac{n+2p-d \\cdot (k-1)-1}{s}+1\\rfloor"]
    assert not at.get("iframe")                                   # no player, no captions
    assert dict(at.query_params) == dict(parse_qsl(ISSUE))


def test_a_wrong_answer_gets_a_hint_then_the_worked_formula_and_the_right_one_reveals():
    at = answer(run(ISSUE), "4")
    assert_clean(at)
    assert "Off by one" in at.warning[0].value and not at.get("iframe")
    at = answer(at, "5")
    assert "The kernel moves s = 2 cells a step" in at.warning[0].value
    assert "m = ⌊(7 + 2·0 − 1·(3−1) − 1)/2 + 1⌋ = ?" in [c.value for c in at.code]
    at = answer(at, "3")
    assert "the output is 3 × 3" in at.success[0].value
    assert at.metric[1].value == "3 × 3"                         # the formula's output size
    assert any("\\rfloor=3" in latex.value for latex in at.latex)    # m = ⌊…⌋ = 3
    assert at.get("iframe")                                      # the figure, step by step
    assert at.metric[0].value == "1 of 1"
    assert any("torch.Size([1, 1, 3, 3])" in c.value for c in at.code)


def test_reveal_shows_the_answer_and_does_not_score():
    at = run(ISSUE)
    next(b for b in at.button if b.label == "Reveal the answer").click().run()
    assert_clean(at)
    assert "**Answer:** 3 × 3" in at.info[0].value
    assert at.metric[0].value == "0 of 1" and at.get("iframe")


def test_next_question_moves_on_and_the_link_follows_without_answers():
    at = run("quiz=mix&level=2&seed=42")
    exercise = Exercise("mix", 2, 42)
    for index in range(4):
        assert_clean(at)
        question = exercise.question(index)
        assert f"Question {index + 1}: {question.title}" in at.markdown[1].value
        link = dict(at.query_params)
        assert link == dict(parse_qsl(exercise.query(index)))
        assert question.answer() not in "&".join(f"{k}={v}" for k, v in link.items())
        at.button(key="quiz_next").click().run()
    assert dict(at.query_params)["q"] == "5"


def test_level_and_seed_give_every_student_the_same_questions():
    first, second = run("quiz=size&level=2&seed=42"), run("quiz=size&level=2&seed=42")
    for _ in range(3):
        assert page_text(first) == page_text(second)
        first, second = (at.button(key="quiz_next").click().run() for at in (first, second))
    other = run("quiz=size&level=2&seed=43")
    assert page_text(other) != page_text(run("quiz=size&level=2&seed=42"))


def test_a_cells_question_sends_the_figure_its_cells_but_not_what_they_read():
    at = run("quiz=cells&mode=conv&n=5&k=3&s=2&p=1&cell=1,1")
    assert_clean(at)
    data = json.loads(at.get("bidi_component")[0].proto.json)
    names = re.findall(r'aria-label="(x\[\d,\d\])"', data["cells"])
    assert len(names) == 25 and data["answer"] == [] and not data["locked"]
    assert 'data-links=""' in data["cells"] and "reads" not in data["cells"]
    assert data["image"].startswith("data:image/png;base64,")
    next(b for b in at.button if b.label == "Reveal the answer").click().run()
    data = json.loads(at.get("bidi_component")[0].proto.json)
    assert data["locked"] and data["answer"][0] == "x[1,1]" and len(data["answer"]) == 9


@pytest.mark.parametrize("query, reason", [
    ("quiz=sizes", "quiz must be one of size, cells, param, inverse, mix"),
    ("quiz=size&mode=conv&n=3&k=5", "kernel\\_size must be \\<= 3"),
    ("quiz=param&n=7&m=3&k=3", "leaves out one of k, s, p"),
])
def test_a_link_that_cannot_work_says_why_and_offers_the_set_builder(query, reason):
    at = run(query)
    assert_clean(at)
    assert reason in at.error[0].value
    at.button(key="quiz_start").click().run()
    assert_clean(at)
    assert "Question 1" in at.markdown[1].value


def test_the_set_builder_starts_a_set_and_back_leads_to_the_explorer():
    at = run(ISSUE)
    at.selectbox(key="quiz_kind").set_value("inverse")
    at.button_group(key="quiz_level").set_value(3)
    at.number_input(key="quiz_seed").set_value(7)
    at.button(key="quiz_start").click().run()
    assert_clean(at)
    assert dict(at.query_params) == {"quiz": "inverse", "level": "3", "seed": "7"}
    assert "Transposed inverse" in at.markdown[1].value
    at.button(key="quiz_leave").click().run()
    assert_clean(at)
    assert "quiz" not in at.query_params and at.metric[0].value == "3 × 3"   # the explorer


def test_the_explorer_offers_its_configuration_as_an_exercise():
    at = run("mode=transposed&n=3&k=3&s=2&p=1")
    assert_clean(at)
    assert any("?quiz=size&mode=transposed&n=3&k=3&s=2&p=1" in m.value for m in at.markdown)


def test_an_explorer_link_with_an_exercise_style_says_where_those_go():
    at = run("mode=conv&n=5&style=setup")
    assert_clean(at)
    assert "exercise figures come with ?quiz= links" in at.error[0].value


def test_a_question_too_large_to_draw_still_asks():
    at = run("quiz=size&mode=conv&n=200&k=3")
    assert_clean(at)
    assert "cannot be drawn here" in at.info[0].value
    at = answer(at, "198")
    assert_clean(at)
    assert "198 × 198" in at.success[0].value
