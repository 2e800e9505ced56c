"""Sets of exercises (convviz/quiz/sets.py, draw.py): a link's kind, level and seed give every
student the same questions, in every process; drawn questions stay in the app's ranges."""
from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import pytest

from convviz import ConvVizError
from convviz.quiz import KINDS, LEVELS, Exercise, SizeQuestion, question_set
from convviz.quiz.draw import RANGES

SCRIPT = ("import json, sys; from convviz.quiz import question_set; "
          "print(json.dumps([q.key() for q in question_set('mix', 2, 42, 12)]))")


def test_a_seed_gives_the_same_set_in_another_process():
    here = [q.key() for q in question_set("mix", 2, 42, 12)]
    env = dict(os.environ, PYTHONHASHSEED="123")
    there = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                           check=True, env=env, cwd=os.path.dirname(os.path.dirname(__file__)))
    assert json.loads(there.stdout) == here
    assert [q.key() for q in question_set("mix", 2, 43, 12)] != here


def test_a_longer_set_starts_with_the_shorter_one():
    assert question_set("size", 3, 8, 12)[:5] == question_set("size", 3, 8, 5)


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("level", list(LEVELS))
def test_drawn_questions_differ_and_fit_the_apps_controls(kind, level):
    questions = question_set(kind, level, 1, 15)
    assert len({q.key() for q in questions}) == 15
    for question in questions:
        assert question.kind == kind
        spec = question.spec
        if spec is not None:
            assert all(max(getattr(spec, name)) <= most for name, most in RANGES.items())
            assert math.prod(spec.output_size) <= 400


def test_levels_grow_harder():
    one, three = question_set("size", 1, 0, 30), question_set("size", 3, 0, 30)
    assert all(q.spec.mode == "conv" and q.spec.dilation == (1, 1) for q in one)
    for q in one:
        n, k, s, p = q.spec.input_size[0], q.spec.kernel_size[0], q.spec.stride[0], \
            q.spec.padding[0]
        assert (n + 2 * p - k) % s == 0                     # level 1: divisions come out exact
    assert any(q.spec.transposed and max(q.spec.output_padding) > 0 for q in three)
    assert any(not q.spec.square for q in three)
    two = question_set("size", 2, 0, 30)
    assert any(q.spec.transposed for q in two) and any(
        (q.spec.input_size[0] + 2 * q.spec.padding[0] - q.spec.dilation[0] *
         (q.spec.kernel_size[0] - 1) - 1) % q.spec.stride[0] for q in two if not q.spec.transposed)


def test_a_mixed_set_takes_the_kinds_in_turn():
    kinds = [q.kind for q in question_set("mix", 1, 0, 8)]
    assert kinds == list(KINDS) * 2


def test_a_link_spells_out_the_first_question_then_draws():
    exercise, index = Exercise.from_query({"quiz": "size", "mode": "conv", "n": "7", "k": "3",
                                           "s": "2", "p": "0", "level": "2", "seed": "4"})
    assert index == 0 and exercise.question(0).key() == "quiz=size&mode=conv&n=7&k=3&s=2&p=0"
    assert exercise.question(1) == question_set("size", 2, 4, 1)[0]
    assert exercise.query(2) == "quiz=size&mode=conv&n=7&k=3&s=2&p=0&level=2&seed=4&q=3"
    again, index = Exercise.from_query(dict(p.split("=") for p in exercise.query(2).split("&")))
    assert (again, index) == (exercise, 2)


def test_a_drawn_set_links_by_level_and_seed_and_never_by_answer():
    exercise, index = Exercise.from_query({"quiz": "mix", "level": "3", "seed": "42"})
    assert exercise.query(0) == "quiz=mix&level=3&seed=42"
    for i in range(8):
        question = exercise.question(i)
        assert question.answer() not in exercise.query(i)
    assert isinstance(Exercise("size").question(0), SizeQuestion)


@pytest.mark.parametrize("params, message", [
    ({"quiz": "sizes"}, "quiz must be one of size, cells, param, inverse, mix, got 'sizes'"),
    ({"quiz": "size", "level": "4"}, "level must be an int in 1..3, got '4'"),
    ({"quiz": "size", "seed": "-1"}, "seed must be an int in 0..999999, got '-1'"),
    ({"quiz": "size", "q": "0"}, "q must be an int in 1..999, got '0'"),
    ({"quiz": "size", "n": "3", "k": "5"}, "kernel_size must be <= 3"),
    ({"quiz": "inverse", "m": "0", "k": "3"}, "m must be an int >= 1, got '0'"),
])
def test_links_that_cannot_work_are_refused_with_the_reason(params, message):
    with pytest.raises(ConvVizError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Exercise.from_query(params)
