"""``python -m convviz stack TEXT -n N``: a stack of layers' shapes and receptive fields.

TEXT is the short form (``"conv k3 s2 p1; conv k3 s2 p1"``) or PyTorch (``"nn.Conv2d(3, 8, 3,
padding=1)"``; ``-`` reads it from standard input); ``--preset`` names one of
:data:`convviz.ops.stack_text.PRESETS` instead. It prints one line per layer (``--json``: a
list of objects with ``output``, ``rf``, ``jump`` and ``start`` as ``[H, W]``); ``--cell I,J``
adds what that output cell of the last layer depends on (``region``, half-open ``[[y0, y1],
[x0, x1]]`` in input cells, null when it reads padding only; ``cells`` when the region has
holes); ``-o`` draws the figure, as ``render`` does.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import export, stack_views
from .errors import ConvVizError
from .figures.sizing import MAX_FRAMES
from .figures.style import DURATION_MS
from .ops.args import parse_int, parse_ints
from .ops.stack_text import PRESETS, parse_stack
from .ops.summary import Row, as_json, pair_text, rf_text, summary
from .regions import Region
from .stack_views import StackView
from .text import size_text

FORMATS = stack_views.ANIMATION_FORMATS + stack_views.STILL_FORMATS + ("html",)


def add_command(commands, int_flag) -> None:
    """The ``stack`` subcommand (``int_flag(name, low, high)`` is the CLI's int type)."""
    stack = commands.add_parser(
        "stack", help="shapes and receptive fields through a stack of layers",
        description="A stack of layers: per layer its output size, receptive field (rf), "
                    "jump and start; --cell: the input cells one output cell depends on.")
    stack.add_argument("text", nargs="?", help="the layers: 'conv k3 s2 p1; maxpool k2', or "
                       "PyTorch such as 'nn.Conv2d(3, 8, 3, padding=1)'; - reads standard input")
    stack.add_argument("--preset", choices=list(PRESETS), help="a named stack instead of TEXT")
    stack.add_argument("-n", "--input-size", metavar="N",
                       help="input size n, or H,W (default 32; a preset's own)")
    stack.add_argument("--in-channels", metavar="C",
                       help="input channels (default: the first layer's, else 1)")
    stack.add_argument("--cell", metavar="I,J", help="an output cell of the last layer: the "
                       "input region it depends on; the figure starts from it")
    stack.add_argument("--json", action="store_true", help="print a JSON list of the layers")
    stack.add_argument("--zoom", action=argparse.BooleanOptionalAction,
                       help="the figure: a window of each map around the field (--zoom) or "
                            "every map whole, to scale (--no-zoom); default: zoom where the "
                            "maps are too large to show their cells")
    stack.add_argument("-o", "--output", type=Path, help="draw the figure: .gif .mp4 animate a "
                       "few cells, .html plays on its own, .png .svg .pdf show --frame")
    stack.add_argument("--frame", type=int_flag("frame", 0), default=0,
                       help="frame of a still (default 0)")
    stack.add_argument("--duration-ms", type=int_flag("duration_ms", *export.DURATION_RANGE_MS),
                       default=DURATION_MS, help=f"milliseconds per frame (default {DURATION_MS})")
    stack.set_defaults(run=run)


def view_from_args(args: argparse.Namespace) -> StackView:
    """The StackView that the arguments describe."""
    if (args.text is None) == (args.preset is None):
        raise ConvVizError("give the layers as TEXT or --preset NAME (one of them), e.g. "
                           "stack 'conv k3 s2 p1; maxpool k2' -n 32")
    preset = PRESETS[args.preset] if args.preset else None
    text = preset.text if preset else sys.stdin.read() if args.text == "-" else args.text
    size = parse_ints(args.input_size, "n") if args.input_size else \
        preset.input_size if preset else 32
    channels = parse_int(args.in_channels, "in_channels", 1) if args.in_channels else \
        preset.in_channels if preset else None
    cell = parse_ints(args.cell, "cell") if args.cell else None
    if isinstance(cell, int):
        raise ConvVizError(f"cell must be 'row,column' (two ints), got {args.cell!r}")
    return StackView(parse_stack(text, input_size=size, in_channels=channels), cell, args.zoom)


def _line(row: Row) -> str:
    return (f"{row.number:>3}  {row.text:<26} {size_text(row.output):>11} × {row.channels:<5} "
            f"rf {rf_text(row):<7} jump {pair_text(row.jump):<5} start "
            f"{pair_text(row.start):<6} {row.parameters:>11,} params {row.macs:>14,} MACs")


def region_json(found: Region) -> dict:
    """``region`` (and ``cells`` where it has holes), and the unclipped ``field``."""
    box = found.box
    extra = {"cell": list(found.cell), "region": [list(axis) for axis in box] if box else None,
             "field": [list(axis) for axis in found.field] if found.field else None}
    if found.holes:
        extra["cells"] = found.cells()
    return extra


def run(args: argparse.Namespace) -> int:
    """``stack``: the table (or JSON), the chosen cell's region, the figure."""
    view = view_from_args(args)
    if args.output is not None:                     # the suffix first: no work for a bad one
        export.format_of(args.output, FORMATS)
    rows = summary(view.stack)
    found = stack_views.chosen(view) if view.cell is not None else None
    if args.json:
        layers = [as_json(row) for row in rows]
        if found is not None:
            layers[-1].update(region_json(found))
        print(json.dumps(layers))
    else:
        stack = view.stack
        print(f"input {size_text(stack.input_size)} × {stack.in_channels}")
        print("\n".join(_line(row) for row in rows))
        if found is not None:
            print(stack_views.describe(view))
    if args.output is not None:
        path = stack_views.save(view, args.output, frame=args.frame,
                                duration_ms=args.duration_ms, max_frames=MAX_FRAMES)
        what = f"{len(view.cells)} frames" if path.suffix.lower() in (".gif", ".mp4", ".html") \
            else f"frame {args.frame}"
        print(f"wrote {path} ({what})", file=sys.stderr if args.json else sys.stdout)
    return 0
