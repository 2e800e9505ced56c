"""The exercises page: predict, then reveal. A link sets the exercise, the page asks one
question at a time, checks answers, keeps the session's score and reveals on request.

- ``?quiz=size&mode=conv&n=7&k=3&s=2&p=0`` asks that question (``quiz=cells`` with
  ``cell=r,c``, ``quiz=param`` with ``m`` and all but one of k, s, p, d, ``quiz=inverse`` with
  ``k s p d m``), then drawn ones;
- ``?quiz=size&level=2&seed=42`` (or ``quiz=mix``) draws the set from a seed: every student
  who opens the link gets the same questions; ``q=3`` opens the third.

The questions, their checks and hints come from :mod:`convviz.quiz`; this module holds the
session (the set, where it is, how each question went) and lays out the page. The link it
writes back holds the set and the question number, never an answer.
"""
from __future__ import annotations

from urllib.parse import parse_qsl

import streamlit as st

from convviz import ConvVizError, quiz

from .exercise import Record, actions, answer_box, check, feedback, figure, givens, revealed
from .messages import plain
from .picker import picked
from .theme import header

KIND_LABELS = {"size": "Output size", "cells": "Which cells", "param": "Find the parameter",
               "inverse": "Transposed inverse", "mix": "All four kinds, in turn"}
LEVEL_HELP = " · ".join(f"{level}: {text}" for level, text in quiz.LEVELS.items())
CSS = """<style>
table.givens { border-collapse: collapse; font-size: 1.35rem; margin: .2rem 0 .6rem; }
table.givens th, table.givens td { border: 1px solid #e6dfc8; padding: .2rem .9rem;
                                   text-align: center; font-variant-numeric: tabular-nums; }
table.givens th { font-style: italic; font-weight: 600; color: #586e75; background: #fdf6e3; }
.st-key-quiz_prompt p { font-size: 1.3rem; }
</style>"""


def exercise_link() -> bool:
    """True when the page's link sets an exercise (``?quiz=...``)."""
    return "quiz" in st.query_params


def init_quiz() -> None:
    """The session's exercise state; on its first run, the set from the link."""
    state = st.session_state
    state.setdefault("quiz_log", {})
    if state.setdefault("quiz_read", False):
        return
    state.quiz_read = True
    try:
        state.quiz_set, state.quiz_index = quiz.Exercise.from_query(st.query_params.to_dict())
        state.quiz_error = None
    except ConvVizError as error:
        state.quiz_set, state.quiz_index, state.quiz_error = None, 0, str(error)
    chosen = state.quiz_set or quiz.Exercise()
    state.quiz_kind, state.quiz_level, state.quiz_seed = chosen.kind, chosen.level, chosen.seed


# ---- callbacks ---------------------------------------------------------------------------
def _record(index: int) -> Record:
    return st.session_state.quiz_log.setdefault(index, Record())


def submit(index: int) -> None:
    """Check callback: the answer typed (or the cells chosen) for question ``index``."""
    state = st.session_state
    question = state.quiz_set.question(index)
    answer = picked(f"quiz_pick_{index}") if question.kind == "cells" else \
        state.get(f"quiz_answer_{index}", "")
    check(question, _record(index), answer)


def reveal(index: int) -> None:
    """Reveal callback: the answer of question ``index`` is out."""
    _record(index).revealed = True


def next_question() -> None:
    """Next question callback."""
    st.session_state.quiz_index += 1


def start_set() -> None:
    """The set builder's callback: start the chosen set from its first question."""
    state = st.session_state
    state.quiz_set = quiz.Exercise(state.quiz_kind, state.quiz_level, state.quiz_seed)
    state.quiz_index, state.quiz_log, state.quiz_error = 0, {}, None


def leave() -> None:
    """Back to the explorer: the link no longer sets an exercise."""
    st.query_params.clear()
    st.session_state.quiz_read = False


# ---- the page ----------------------------------------------------------------------------
def set_builder(exercise: quiz.Exercise | None) -> None:
    """The sidebar: set an exercise (kind, level, seed) and share its link."""
    bar = st.sidebar
    bar.markdown("## Exercises")
    bar.selectbox("Kind", quiz.CHOICES, format_func=KIND_LABELS.get, key="quiz_kind")
    bar.segmented_control("Level", list(quiz.LEVELS), key="quiz_level", required=True,
                          help=LEVEL_HELP)
    bar.number_input("Seed", 0, quiz.MAX_SEED, step=1, key="quiz_seed",
                     help="The same kind, level and seed give everyone the same questions.")
    bar.button("Start this set", key="quiz_start", on_click=start_set, type="primary",
               width="stretch", icon=":material/play_arrow:")
    if exercise is not None:
        bar.caption("Send this link: everyone who opens it gets the same questions.")
        bar.code(f"{st.context.url or ''}?{exercise.query()}", language=None, wrap_lines=True)
    bar.button("Back to the explorer", key="quiz_leave", on_click=leave, width="stretch",
               icon=":material/arrow_back:")


def score() -> None:
    """The session's score: questions solved of those whose answer is out."""
    log = st.session_state.quiz_log.values()
    done = sum(record.done for record in log)
    right = sum(record.correct for record in log)
    first = sum(record.correct and not record.wrong for record in log)
    st.metric("Score", f"{right} of {done}", border=True,
              help=f"Solved {right} of the {done} questions whose answer is out ({first} at "
                   f"the first try); a revealed answer does not count.")


def quiz_page() -> None:
    """The exercises page (see the module doc)."""
    init_quiz()
    state = st.session_state
    header()
    st.html(CSS)
    exercise = state.quiz_set
    set_builder(exercise)
    if exercise is None:
        st.error(f"**This exercise link cannot work:** {plain(state.quiz_error)}. Choose a "
                 f"set in the sidebar.", icon=":material/link_off:")
        return
    index = state.quiz_index
    question, record = exercise.question(index), _record(index)
    head, points = st.columns([5, 1], vertical_alignment="bottom")
    head.markdown(f"## Question {index + 1}: {question.title}")
    with points:
        score()
    with st.container(key="quiz_prompt"):
        st.markdown(plain(question.prompt()))
    givens(question)
    left, right = st.columns([3, 2], gap="large")
    with left:
        chosen = figure(question, index, record)
    with right:
        if not record.done:
            st.code(question.pytorch(), language="python", wrap_lines=True)
        answer_box(question, index, record, chosen, on_check=submit)
        feedback(record)
        actions(index, record, on_reveal=reveal, on_next=next_question)
    if record.done:
        revealed(question, record)
    sync_link(exercise.query(index))


def sync_link(query: str) -> None:
    """Write the set and the question number to the URL, when they differ."""
    target = dict(parse_qsl(query))
    if st.query_params.to_dict() != target:
        st.query_params.from_dict(target)
