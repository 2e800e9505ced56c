"""The command line: ``python -m convviz shape|render|handout|gallery|site|filter|quiz|stack``.

Flags name ConvSpec fields (``-n/--input-size 5,7``, ``-k``, ``-s``, ``-p``, ``-d``, ``--pt``,
``--output-padding``, channels, pooling's ``--ceil-mode``, ``--no-count-include-pad``,
``--divisor-override``, a 1-D convolution's ``--causal``). Steps count from 1, as the app and
the captions count them (``--step 4``). Bad parameters print one line to stderr and exit
with 2.
"""
from __future__ import annotations

import argparse
import json
import re
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from . import (
    export,
    filter_command,
    handout_command,
    pages,
    quiz_command,
    render_command,
    stack_command,
    views,
)
from .cli_flags import (
    Parser,
    add_spec_flags,
    given_of,
    int_flag,
    spec_from_args,
    view_flags,
    view_from_args,
)
from .errors import ConvVizError
from .figures.style import DURATION_MS, SCHEMES
from .gallery import PRESETS
from .ops import conventions, counts, frameworks, reach
from .ops.formula import output_formula
from .ops.spec import ConvSpec


def _sizes(spec: ConvSpec) -> dict:
    """Parameters and multiply-adds of ``spec``, and those of the layer it is best compared
    with (:func:`convviz.ops.counts.counterpart`) where there is one."""
    own = counts.count(spec)
    sizes = {"parameters": own.parameters, "macs": own.macs}
    other = counts.counterpart(spec)
    if other is not None:
        sizes["compared_with"] = {"layer": other.label, "parameters": other.other.parameters,
                                  "macs": other.other.macs}
    return sizes


def _shape(args: argparse.Namespace) -> int:
    """``shape``: the filled-in formula, the output size, parameters and multiply-adds."""
    spec = spec_from_args(args)
    formula = output_formula(spec, given=given_of(args))
    sizes = _sizes(spec)
    axes = slice(2 - spec.dims, 2)                      # a 1-D spec's length only
    if args.json:
        padding = spec.padding if isinstance(spec.padding, str) else list(spec.padding[axes])
        print(json.dumps({
            "mode": spec.mode, "input": list(spec.input_shape[2:]),
            "output": list(spec.output_shape[2:]), "output_shape": list(spec.output_shape),
            "padding": padding, "pads": list(spec.pads[2 * axes.start:]),
            "convention": spec.convention,
            "actual_padding": list(spec.actual_padding[axes]) if spec.transposed else None,
            "formula": "; ".join(formula.text), "latex": list(formula.latex),
            "unread": _unread(spec, axes),
            "torch": spec.torch_line(), "code": frameworks.code(spec).text,
            "query": spec.to_query(), **sizes}))
        return 0
    print("\n".join(formula.text))
    print(f"output: {' x '.join(map(str, spec.output_shape[2:]))}"
          f"  (shape {spec.output_shape}, N = 1)")
    if isinstance(spec.padding, str) or spec.convention != conventions.DEFAULT:
        print("pads (top, bottom, left, right): {}, {}, {}, {}".format(*spec.pads))
    print(spec.torch_line())
    if spec.convention != conventions.DEFAULT:
        print(frameworks.code(spec).text)
    print(f"parameters: {sizes['parameters']:,}  multiply-adds: {sizes['macs']:,}")
    if "compared_with" in sizes:
        other = sizes["compared_with"]
        print(f"{other['layer']}: parameters {other['parameters']:,}  "
              f"multiply-adds {other['macs']:,}")
    return 0


def _unread(spec: ConvSpec, axes: slice) -> list | None:
    """Unread input rows and columns (a 1-D spec's cells) as JSON, or null for an input too
    large to list them."""
    if max(spec.input_size) > reach.MAX_LISTED:
        return None
    return [list(axis) for axis in spec.unread()[axes]]


def _gallery(args: argparse.Namespace) -> int:
    """``gallery``: every named figure as OUTDIR/<name>.gif, all of them or none."""
    try:
        args.outdir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConvVizError(f"cannot create {args.outdir}: {error.strerror}") from None
    targets = {args.outdir / f"{name}.gif": preset for name, preset in PRESETS.items()}
    with export.all_or_none(list(targets)) as temporary:
        for tmp, preset in zip(temporary, targets.values()):
            views.save(views.View(preset.spec, palette=args.palette), tmp,
                       duration_ms=args.duration_ms)
    print(f"wrote {len(PRESETS)} figures to {args.outdir}")
    return 0


def _site(args: argparse.Namespace) -> int:
    """``site``: OUTDIR/index.html and one interactive page per named figure."""
    written = pages.build(args.outdir, duration_ms=args.duration_ms)
    figures = sum(path.suffix == ".html" for path in written) - 1
    print(f"wrote {args.outdir / 'index.html'} and {figures} figure pages")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog="convviz", description="Convolution arithmetic, computed and drawn.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    shape = commands.add_parser("shape", help="print the output-size formula and size")
    add_spec_flags(shape)
    shape.add_argument("--json", action="store_true", help="print one JSON object")
    shape.set_defaults(run=_shape)
    render_command.add_command(commands)
    handout_command.add_command(commands, view_flags, view_from_args, given_of)
    gallery = commands.add_parser("gallery", help="write every named figure as OUTDIR/NAME.gif")
    gallery.add_argument("outdir", type=Path)
    gallery.add_argument("--duration-ms", type=int_flag("duration_ms", *export.DURATION_RANGE_MS),
                         default=DURATION_MS)
    gallery.add_argument("--palette", choices=tuple(SCHEMES), default="default")
    gallery.set_defaults(run=_gallery)
    _add_site(commands)
    filter_command.add_command(commands, int_flag)
    quiz_command.add_command(commands, int_flag)
    stack_command.add_command(commands, int_flag)
    return parser


def _add_site(commands) -> None:
    """The ``site`` command."""
    site = commands.add_parser("site", help="write OUTDIR/index.html and one interactive page "
                                "per named figure (no server needed)")
    site.add_argument("outdir", type=Path)
    site.add_argument("--duration-ms", type=int_flag("duration_ms", *export.DURATION_RANGE_MS),
                      default=DURATION_MS)
    site.set_defaults(run=_site)


class Stopped(BaseException):
    """A SIGTERM (``kill``, ``timeout``) arriving while the CLI runs: raised where the program
    is, so that every partial file is removed on the way out (as for Ctrl-C)."""


def _stop(signum: int, frame) -> None:
    raise Stopped


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI on ``argv`` (default ``sys.argv[1:]``) and return the exit code: 2 for a
    bad parameter (one line on stderr), 130 for Ctrl-C and 143 for SIGTERM (one line, no
    partial file left behind)."""
    previous = signal.signal(signal.SIGTERM, _stop) \
        if threading.current_thread() is threading.main_thread() else None
    try:
        args = _parser().parse_args(_attached(sys.argv[1:] if argv is None else list(argv)))
        return args.run(args)
    except ConvVizError as error:
        print(f"convviz: error: {error}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, Stopped) as stop:
        name, code = ("Ctrl-C", 130) if isinstance(stop, KeyboardInterrupt) else ("SIGTERM", 143)
        print(f"convviz: stopped by {name}; no partial file was left", file=sys.stderr)
        return code
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _attached(argv: list[str]) -> list[str]:
    """``argv`` with a value that starts with a minus sign attached to its ``--kernel`` or
    ``--values`` (``--kernel=-1,0,1``), which argparse would otherwise take for a flag."""
    out = []
    for arg in argv:
        if out and out[-1] in ("--kernel", "--values") and re.match(r"-[\d.]", arg):
            out[-1] = f"{out[-1]}={arg}"
        else:
            out.append(arg)
    return out
