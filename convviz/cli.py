"""The command line: ``python -m convviz shape|render|handout|gallery|site|filter|quiz ...``.

Flags name ConvSpec fields (``-n/--input-size 5,7``, ``-k``, ``-s``, ``-p``, ``-d``, ``--pt``,
``--output-padding``, channels, pooling's ``--ceil-mode``, ``--no-count-include-pad``,
``--divisor-override``, a 1-D convolution's ``--causal``). Steps count from 1, as the app and
the captions count them (``--step 4``). Bad parameters print one line to stderr and exit
with 2.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import export, filter_command, handout_command, pages, quiz_command, views
from .errors import ConvVizError
from .figures import STYLES, SWEEPS
from .figures.sizing import MAX_FRAMES, SCALE_RANGE
from .figures.style import DURATION_MS, SCHEMES
from .gallery import PRESETS
from .ops import conventions, counts, frameworks
from .ops.args import parse_int
from .ops.formula import output_formula
from .ops.shapes import PADDING_MODES
from .ops.spec import ConvSpec
from .ops.table import MODES

# flag -> query key of ConvSpec.from_query, which parses "5" and "5,7" alike
_SPEC_FLAGS = {"input_size": "n", "kernel_size": "k", "stride": "s", "padding": "p",
               "dilation": "d", "pt": "pt", "output_padding": "op", "in_channels": "cin",
               "out_channels": "cout", "groups": "groups", "padding_mode": "pm",
               "convention": "conv", "ceil_mode": "ceil", "count_include_pad": "cip",
               "divisor_override": "div", "causal": "causal"}


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line and a ConvVizError."""

    def error(self, message: str) -> None:  # noqa: D102 -- argparse's hook
        raise ConvVizError(f"{message} (see '{self.prog} --help')")


def _add_spec_flags(parser: argparse.ArgumentParser) -> None:
    """The flags that make a ConvSpec; each takes an int or 'H,W'."""
    parser.add_argument("--mode", choices=MODES, default="conv")
    parser.add_argument("-n", "--input-size", metavar="N",
                        help="input size n, or H,W (default 5); one length in 1-D modes")
    parser.add_argument("-k", "--kernel-size", metavar="K",
                        help="kernel size k (default: the mode's, 3; pointwise 1)")
    parser.add_argument("-s", "--stride", metavar="S",
                        help="stride (default 1; pooling: the kernel size, as in PyTorch)")
    parser.add_argument("-p", "--padding", metavar="P",
                        help="PyTorch's padding: int, H,W, same or valid (default 0)")
    parser.add_argument("-d", "--dilation", metavar="D")
    parser.add_argument("--pt", metavar="PT", help="transposed: actual padding d*(k-1) - p")
    parser.add_argument("--output-padding", metavar="A", help="transposed: extra bottom/right")
    parser.add_argument("--in-channels", metavar="C")
    parser.add_argument("--out-channels", metavar="C")
    parser.add_argument("--groups", metavar="G")
    parser.add_argument("--padding-mode", choices=PADDING_MODES)
    parser.add_argument("--convention", choices=conventions.NAMES,
                        help="whose rules resolve the padding (default pytorch): tensorflow, "
                             "jax and onnx-upper put 'same''s odd cell bottom/right, "
                             "onnx-lower top/left")
    _add_pooling_flags(parser)


def _add_pooling_flags(parser: argparse.ArgumentParser) -> None:
    """Pooling's switches and divisor, and causal padding for 1-D convolutions."""
    parser.add_argument("--ceil-mode", action="store_const", const=True,
                        help="pooling: round the output size up (a window must still start "
                             "inside the input or the left padding)")
    parser.add_argument("--count-include-pad", action=argparse.BooleanOptionalAction,
                        help="average pooling: count padding cells in the divisor (default on)")
    parser.add_argument("--divisor-override", metavar="N",
                        help="average pooling: divide every window's sum by N")
    parser.add_argument("--causal", action="store_const", const=True,
                        help="1-D convolution: all p padding cells before the input, none after")


def spec_from_args(args: argparse.Namespace) -> ConvSpec:
    """The ConvSpec the spec flags of ``args`` describe."""
    query = {"mode": args.mode}
    for name, key in _SPEC_FLAGS.items():
        if getattr(args, name) is not None:
            query[key] = str(getattr(args, name))
    return ConvSpec.from_query(query)


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


def _given(args: argparse.Namespace) -> str:
    """Which padding the user gave: ``"pt"`` for ``--pt``, else ``"p"``."""
    return "pt" if getattr(args, "pt", None) is not None else "p"


def _shape(args: argparse.Namespace) -> int:
    """``shape``: the filled-in formula, the output size, parameters and multiply-adds."""
    spec = spec_from_args(args)
    formula = output_formula(spec, given=_given(args))
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
            "unread": [list(axis) for axis in spec.unread()[axes]],
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


def view_from_args(args: argparse.Namespace) -> views.View:
    """The View the spec and style flags of ``args`` describe; the numbers style is implied
    by ``--view scatter``, ``--kernel``, ``--values`` or ``--seed``."""
    numbers_flags = {"--view scatter": args.view == "scatter", "--kernel": args.kernel,
                     "--values": args.values, "--seed": args.seed is not None}
    given = [flag for flag, value in numbers_flags.items() if value]
    if args.style == "classic" and given:
        raise ConvVizError(f"{given[0]} belongs to the numbers style: use --style numbers, "
                           f"got --style classic")
    style = args.style or ("numbers" if given else "classic")
    return views.View(spec_from_args(args), style=style, scatter=args.view == "scatter",
                      seed=args.seed or 0, kernel=args.kernel, values=args.values,
                      palette=args.palette)


def _step(args: argparse.Namespace) -> int:
    """The step a still shows, counted from 1: ``--step``, or ``--frame`` + 1."""
    if args.frame is not None and args.step is not None:
        raise ConvVizError(f"give --step (from 1) or --frame (from 0), not both: got --step "
                           f"{args.step} and --frame {args.frame}")
    return args.frame + 1 if args.frame is not None else args.step or 1


def _progress(done: int, total: int) -> None:
    """A progress line on a terminal's stderr (nothing when stderr is not one)."""
    if sys.stderr.isatty() and total > 1:
        end = "\n" if done == total else ""
        print(f"\rframe {done} / {total}", end=end, file=sys.stderr, flush=True)


def _render(args: argparse.Namespace) -> int:
    """``render``: one figure to a file, its format from the suffix."""
    view, step = view_from_args(args), _step(args)
    export.format_of(args.output, views.ANIMATION_FORMATS + views.STILL_FORMATS + ("html",))
    if args.output.suffix.lower() == ".html":               # a page that stands alone
        path = pages.save_page(view, args.output, duration_ms=args.duration_ms,
                               max_frames=args.max_frames)
    else:
        path = views.save(view, args.output, step=step, frame=args.frame,
                          duration_ms=args.duration_ms, max_frames=args.max_frames,
                          annotate=args.annotate, scale=args.scale, dpi=args.dpi,
                          given=_given(args), progress=_progress)
    animated = path.suffix.lower() in (".gif", ".mp4", ".html")
    count = views.frame_count(view)
    print(f"wrote {path} ({count} frames)" if animated else
          f"wrote {path} (step {step} of {count})")
    return 0


def _gallery(args: argparse.Namespace) -> int:
    """``gallery``: every named figure as OUTDIR/<name>.gif."""
    try:
        args.outdir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConvVizError(f"cannot create {args.outdir}: {error.strerror}") from None
    for preset in PRESETS.values():
        views.save(views.View(preset.spec, palette=args.palette),
                   args.outdir / f"{preset.name}.gif", duration_ms=args.duration_ms)
    print(f"wrote {len(PRESETS)} figures to {args.outdir}")
    return 0


def _site(args: argparse.Namespace) -> int:
    """``site``: OUTDIR/index.html and one interactive page per named figure."""
    written = pages.build(args.outdir, duration_ms=args.duration_ms)
    figures = sum(path.suffix == ".html" for path in written) - 1
    print(f"wrote {args.outdir / 'index.html'} and {figures} figure pages")
    return 0


def _int_flag(name: str, low: int, high: int | None = None):
    """An argparse type: an int in ``low..high``, refused with the one range message."""
    def parse(text: str) -> int:
        try:
            return parse_int(text, name, low, high)
        except ConvVizError as error:           # argparse shows only this kind's message
            raise argparse.ArgumentTypeError(str(error)) from None
    return parse


def _view_flags(parser: argparse.ArgumentParser) -> None:
    """The spec flags and the view flags."""
    _add_spec_flags(parser)
    _add_view_flags(parser)


def _add_view_flags(parser: argparse.ArgumentParser) -> None:
    """How to draw a spec: style, sweep, values, colours."""
    parser.add_argument("--style", choices=STYLES,
                        help="classic (conv_arithmetic) or numbers (values in the cells)")
    parser.add_argument("--view", choices=SWEEPS, default="slide",
                        help="transposed, numbers style: scatter = one frame per input cell "
                             "stamping its scaled kernel, as PyTorch computes it")
    parser.add_argument("--kernel", help="numbers style: a preset (identity, box_blur, "
                        "gaussian, sharpen, sobel_x, sobel_y, laplacian) or rows '1,0,-1;2,0,-2'")
    parser.add_argument("--values", help="numbers style: the input's rows, e.g. '1,2;3,4'")
    parser.add_argument("--seed", type=_int_flag("seed", 0),
                        help="numbers style: seed of the random values")
    parser.add_argument("--palette", choices=tuple(SCHEMES), default="default",
                        help="colours: default (conv_arithmetic) or cb (colour-blind safe)")
    parser.add_argument("--max-frames", type=_int_flag("max_frames", 1), default=MAX_FRAMES,
                        help=f"refuse figures longer than this (default {MAX_FRAMES})")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="convviz", description="Convolution arithmetic, computed and drawn.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    shape = commands.add_parser("shape", help="print the output-size formula and size")
    _add_spec_flags(shape)
    shape.add_argument("--json", action="store_true", help="print one JSON object")
    shape.set_defaults(run=_shape)
    _add_render(commands)
    handout_command.add_command(commands, _view_flags, view_from_args, _given)
    gallery = commands.add_parser("gallery", help="write every named figure as OUTDIR/NAME.gif")
    gallery.add_argument("outdir", type=Path)
    gallery.add_argument("--duration-ms", type=_int_flag("duration_ms", *export.DURATION_RANGE_MS),
                         default=DURATION_MS)
    gallery.add_argument("--palette", choices=tuple(SCHEMES), default="default")
    gallery.set_defaults(run=_gallery)
    _add_site(commands)
    filter_command.add_command(commands, _int_flag)
    quiz_command.add_command(commands, _int_flag)
    return parser


def _add_render(commands) -> None:
    """The ``render`` command."""
    render = commands.add_parser("render", help="draw one figure to a GIF, MP4, PNG, SVG, PDF "
                                 "or HTML page")
    _add_spec_flags(render)
    _add_view_flags(render)
    render.add_argument("-o", "--output", type=Path, required=True,
                        help="file to write; .gif .mp4 animate, .html is a page that plays "
                             "and stands alone, .png .svg .pdf show --step")
    render.add_argument("--step", type=_int_flag("step", 1),
                        help="the step a still shows, counted from 1 as the app counts (default 1)")
    render.add_argument("--frame", type=_int_flag("frame", 0),
                        help="the same counted from 0 (--frame 4 is --step 5); prefer --step")
    render.add_argument("--annotate", action="store_true",
                        help="add the title, the filled-in formula, the legend and the step's "
                             "arithmetic around the figure (vector text in SVG and PDF)")
    render.add_argument("--scale", type=float, default=1.0,
                        help=f"draw the figure this many times larger for print "
                             f"({SCALE_RANGE[0]:g}..{SCALE_RANGE[1]:g}, default 1)")
    render.add_argument("--dpi", type=_int_flag("dpi", *export.DPI_RANGE), default=150,
                        help="print resolution of a PNG (and of an annotated one's text), "
                             "default 150")
    render.add_argument("--duration-ms", type=_int_flag("duration_ms", *export.DURATION_RANGE_MS),
                        default=DURATION_MS, help=f"milliseconds per frame (default {DURATION_MS})")
    render.set_defaults(run=_render)


def _add_site(commands) -> None:
    """The ``site`` command."""
    site = commands.add_parser("site", help="write OUTDIR/index.html and one interactive page "
                                "per named figure (no server needed)")
    site.add_argument("outdir", type=Path)
    site.add_argument("--duration-ms", type=_int_flag("duration_ms", *export.DURATION_RANGE_MS),
                      default=DURATION_MS)
    site.set_defaults(run=_site)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI on ``argv`` (default ``sys.argv[1:]``) and return the exit code."""
    try:
        args = _parser().parse_args(argv)
        return args.run(args)
    except ConvVizError as error:
        print(f"convviz: error: {error}", file=sys.stderr)
        return 2
