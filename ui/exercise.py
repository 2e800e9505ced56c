"""One exercise on the page: the question, its numbers and formula, its figure with the
answer left out, the answer box, what a check says, and once revealed, the answer with its
worked formula, the figure and the PyTorch line.

Before the answer is out the page holds no result: not in its text, its figure (an exercise
figure, :mod:`convviz.figures.question`, drawn as an image: no player, so no step captions
or frame count), its PyTorch line (the output shape is ``?``) or its link.
"""
from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field

import streamlit as st

from convviz import ConvVizError, quiz, views
from convviz.ops.formula import general_form

from .cache import cell_targets, still_file
from .formula import formula
from .messages import plain
from .picker import pick_cells, picked
from .player import animation
from .pytorch import pytorch

REVEAL_HELP = ("For the teacher: show the answer, the worked formula and the figure (the "
               "question then no longer counts for the score).")


@dataclass
class Record:
    """How one question went in this session: wrong tries, solved, revealed, the last
    feedback and the cells it checked."""

    wrong: int = 0
    correct: bool = False
    revealed: bool = False
    feedback: quiz.Feedback | None = None
    checked: tuple[str, ...] = field(default_factory=tuple)
    answered: str = ""

    @property
    def done(self) -> bool:
        """The answer is out (solved or revealed)."""
        return self.correct or self.revealed


def givens(question: quiz.Question) -> None:
    """The numbers the question gives, as a table (symbols over values), and the general
    formula (no numbers in it)."""
    head = "".join(f"<th>{html.escape(symbol)}</th>" for symbol, _ in question.givens())
    row = "".join(f"<td>{html.escape(value)}</td>" for _, value in question.givens())
    st.html(f"<table class='givens'><tr>{head}</tr><tr>{row}</tr></table>")
    if question.kind != "cells":
        st.latex(general_form(question.formula)[0])


def figure(question: quiz.Question, index: int, record: Record) -> list[str]:
    """The question's figure with the answer left out (the cells to choose, for a cells
    question); returns the cells chosen."""
    drawn = question.figure()
    if drawn is None:
        st.caption("No figure for this one: any figure would give the answer away.")
        return []
    style, spec, frame = drawn
    view = views.View(spec, style=style)
    try:
        png = still_file(view, frame, "png")
    except ConvVizError as error:
        st.info(f"**The figure cannot be drawn here:** {plain(str(error))}.",
                icon=":material/image:")
        return []
    if style != "cells":
        st.image(png, caption="The input and the kernel at its first position; the output is "
                 "left out.")
        return []
    marks = dict(record.feedback.marks) if record.feedback and \
        tuple(picked(_picker(index))) == record.checked else {}
    return pick_cells(_picker(index), png=png, size=views.figure(view).size,
                      targets=cell_targets(view), question=question.key(), marks=marks,
                      alt=f"The input and the output; {question.prompt()}",
                      answer=question.read if record.done else (), locked=record.done)


def _picker(index: int) -> str:
    return f"quiz_pick_{index}"


def answer_box(question: quiz.Question, index: int, record: Record, chosen: list[str], *,
               on_check: Callable[[int], None]) -> None:
    """The answer box ("Your answer"; for a cells question, the cells chosen on the figure)
    and its Check button, which calls ``on_check(index)``."""
    if record.done:
        if record.answered:
            st.markdown(f"Your answer: **{plain(record.answered)}**")
        return
    if question.kind == "cells":
        st.button("Check", key=f"quiz_check_{index}", type="primary", on_click=on_check,
                  args=(index,), icon=":material/task_alt:",
                  help=f"{len(chosen)} cells chosen" if chosen else "Choose cells first")
        return
    with st.form(f"quiz_form_{index}", border=False, enter_to_submit=True):
        st.text_input("Your answer", key=f"quiz_answer_{index}",
                      placeholder=question.answer_help)
        st.form_submit_button("Check", type="primary", on_click=on_check, args=(index,),
                              icon=":material/task_alt:")


def check(question: quiz.Question, record: Record, answer: str | list[str]) -> None:
    """Check ``answer`` and keep what it says in ``record``."""
    if record.done:
        return
    feedback = question.check(answer, record.wrong)
    record.feedback = feedback
    record.checked = tuple(answer) if isinstance(answer, list) else ()
    record.answered = ", ".join(answer) if isinstance(answer, list) else answer.strip()
    record.correct = feedback.correct
    if feedback.counted and not feedback.correct:
        record.wrong += 1


def feedback(record: Record) -> None:
    """What the last check said: correct, the likely mistake (then the worked formula), or
    what to type."""
    said = record.feedback
    if said is None:
        return
    if said.correct:
        st.success(f"**Correct:** {plain(said.message.removeprefix('Correct: '))}",
                   icon=":material/check_circle:")
    elif not said.counted:
        st.info(plain(said.message), icon=":material/edit:")
    else:
        st.warning(f"**Not yet.** {plain(said.message)}", icon=":material/lightbulb:")
    if said.steps and not said.correct:
        st.markdown("The formula with this question's numbers:")
        st.code("\n".join(said.steps), language=None, wrap_lines=True)


def revealed(question: quiz.Question, record: Record) -> None:
    """The answer, its worked formula, and the figure and PyTorch line that show it."""
    if record.revealed and not record.correct:
        st.info(f"**Answer:** {plain(question.answer())}", icon=":material/visibility:")
    spec = question.spec
    if question.kind == "size":
        formula(spec)
    else:
        st.code("\n".join(question.explanation()), language=None, wrap_lines=True)
    if spec is None:
        return
    left, right = st.columns([3, 2], gap="large")
    with left:
        animation(views.View(spec))
    with right:
        pytorch(spec)


def actions(index: int, record: Record, *, on_reveal: Callable[[int], None],
            on_next: Callable[[], None]) -> None:
    """The Reveal button (for the teacher) and the Next question button."""
    reveal, following = st.columns(2)
    reveal.button("Reveal the answer", key=f"quiz_reveal_{index}", disabled=record.done,
                  icon=":material/visibility:", help=REVEAL_HELP, width="stretch",
                  on_click=on_reveal, args=(index,))
    following.button("Next question", key="quiz_next", width="stretch", on_click=on_next,
                     type="primary" if record.done else "secondary",
                     icon=":material/arrow_forward:")
