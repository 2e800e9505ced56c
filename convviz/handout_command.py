"""``python -m convviz handout ... -o notes.pdf``: a figure's formula and key steps, printable.

The same spec and view flags as ``render`` (the CLI hands them over), plus ``--paper a4|letter``
and ``--steps 1,5,9`` (counted from 1; default: the first, the last and a few between).
"""
from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from . import export, views
from .figures.sizing import MAX_FRAMES
from .ops.args import parse_int

PAPERS_SHOWN = {"a4": "A4", "letter": "Letter"}
"""The paper sizes (:data:`convviz.handout.PAPERS`, which imports matplotlib: only when a
handout is made) by their names."""


def add_command(commands, flags: Callable[[argparse.ArgumentParser], None],
                view_of: Callable[[argparse.Namespace], views.View],
                given_of: Callable[[argparse.Namespace], str]) -> None:
    """Add ``handout`` to the CLI's subcommands: ``flags`` adds the spec and view flags,
    ``view_of`` reads the View they describe, ``given_of`` which padding was given."""
    def run(args: argparse.Namespace) -> int:
        view = view_of(args)
        export.format_of(args.output, ("pdf",))                 # refuses any other suffix
        steps = [parse_int(t, "step", 1) for t in args.steps.split(",")] if args.steps else []
        figure = views.figure(view, max_frames=args.max_frames or MAX_FRAMES)
        from .handout import handout  # matplotlib, imported only for a handout

        data = handout(figure, paper=args.paper, steps=steps, given=given_of(args))
        path = export.write_bytes(data, args.output)
        print(f"wrote {path} ({PAPERS_SHOWN[args.paper]})")
        return 0

    notes = commands.add_parser("handout", help="the formula and key steps as a printable PDF")
    flags(notes)
    notes.add_argument("-o", "--output", type=Path, required=True, help="the .pdf to write")
    notes.add_argument("--paper", choices=tuple(PAPERS_SHOWN), default="a4", help="a4 or letter")
    notes.add_argument("--steps", help="the steps to show, from 1, e.g. '1,5,9' (default: "
                                       "the first, the last and a few between)")
    notes.set_defaults(run=run)
