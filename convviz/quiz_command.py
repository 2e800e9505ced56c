"""``python -m convviz quiz --level 2 --seed 42 --count 10 -o sheet.pdf``: a worksheet of
exercises and its answer key (:mod:`convviz.worksheet`), the same set a link
``?quiz=mix&level=2&seed=42`` gives in the app."""
from __future__ import annotations

import argparse
from pathlib import Path

from . import quiz, worksheet


def add_command(commands, int_flag) -> None:
    """Add ``quiz`` to the CLI's subcommands (``int_flag(name, low, high)``: an int type)."""
    sheet = commands.add_parser("quiz", help="write a worksheet of exercises (PDF) and its "
                                "answer key (a second PDF)")
    sheet.add_argument("--kind", choices=quiz.CHOICES, default=quiz.MIX,
                       help="size, cells, param, inverse, or mix (the four in turn; default)")
    sheet.add_argument("--level", type=int_flag("level", min(quiz.LEVELS), max(quiz.LEVELS)),
                       default=1, help="1 exact divisions, 2 floors, dilation and transposed, "
                                       "3 output_padding, non-square and no-answer questions")
    sheet.add_argument("--seed", type=int_flag("seed", 0, quiz.MAX_SEED), default=0,
                       help="the same seed gives the same questions, here and in the app")
    sheet.add_argument("--count", type=int_flag("count", 1, worksheet.MAX_COUNT), default=10)
    sheet.add_argument("-o", "--output", type=Path, required=True, help="the worksheet (.pdf)")
    sheet.add_argument("--answers", type=Path,
                       help="the answer key (.pdf; default: OUTPUT-answers.pdf beside it)")
    sheet.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """``quiz``: the worksheet and its key."""
    exercise = quiz.Exercise(args.kind, args.level, args.seed)
    written, key = worksheet.save(exercise, args.count, args.output, args.answers)
    print(f"wrote {written} ({args.count} questions) and its answer key {key}")
    print(f"the same set in the app: ?{exercise.query()}")
    return 0
