"""Exercises: predict, then reveal.

Four kinds of question, each a :class:`Question` that knows its answer, checks a typed one
(or the cells chosen) and says what went wrong, and never shows its answer before asked:

- ``size`` (:class:`SizeQuestion`): the output size of a configuration; a wrong answer gets
  the likely mistake by name (the floor, the dilated span, p_t for p, ...), then the worked
  formula;
- ``cells`` (:class:`CellsQuestion`): the input cells an output cell reads, checked cell by
  cell;
- ``param`` (:class:`ParamQuestion`): the missing one of k, s, p, d; every value that works
  is accepted, and "none" where none does;
- ``inverse`` (:class:`InverseQuestion`): the input sizes (and output_padding) that give a
  transposed layer's output size.

:class:`Exercise` is a set as a link describes it (``?quiz=size&level=2&seed=42``): drawn
from a seed (:func:`question_set`), so a whole class gets the same questions. Pure data:
the app (``ui/quiz.py``), the worksheets (:mod:`convviz.worksheet`) and the CLI show them.

>>> exercise, index = Exercise.from_query({"quiz": "size", "mode": "conv", "n": "7",
...                                        "k": "3", "s": "2", "p": "0"})
>>> question = exercise.question(index)
>>> question.check("4").correct, question.check("3").message
(False, 'Correct: the output is 3 × 3.')
"""
from .base import Drawn, Feedback, Question
from .cells import CellsQuestion
from .draw import LEVELS
from .inverse import InverseQuestion
from .param import ParamQuestion
from .sets import CHOICES, KINDS, MAX_SEED, MIX, Exercise, question_set
from .size import SizeQuestion

__all__ = ["CHOICES", "KINDS", "LEVELS", "MAX_SEED", "MIX", "CellsQuestion", "Drawn",
           "Exercise", "Feedback", "InverseQuestion", "ParamQuestion", "Question",
           "SizeQuestion", "question_set"]
