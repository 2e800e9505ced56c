"""The command line's shared flags: a spec's (named after ConvSpec's fields), a view's, and
ints refused with the one range message; the commands (:mod:`convviz.cli` and the
``*_command`` modules) build their parsers from these.
"""
from __future__ import annotations

import argparse

from . import views
from .errors import ConvVizError
from .figures import STYLES, SWEEPS
from .figures.sizing import MAX_FRAMES
from .figures.style import SCHEMES
from .ops import conventions
from .ops.args import parse_int
from .ops.shapes import PADDING_MODES
from .ops.spec import ConvSpec
from .ops.table import MODES

# flag -> query key of ConvSpec.from_query, which parses "5" and "5,7" alike
SPEC_FLAGS = {"input_size": "n", "kernel_size": "k", "stride": "s", "padding": "p",
               "dilation": "d", "pt": "pt", "output_padding": "op", "in_channels": "cin",
               "out_channels": "cout", "groups": "groups", "padding_mode": "pm",
               "convention": "conv", "ceil_mode": "ceil", "count_include_pad": "cip",
               "divisor_override": "div", "causal": "causal"}


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line and a ConvVizError."""

    def error(self, message: str) -> None:  # noqa: D102 -- argparse's hook
        raise ConvVizError(f"{message} (see '{self.prog} --help')")


IMAGE_GIVES = ("input_size", "in_channels")
"""The spec flags a picture answers for itself (``filter``: its size and channels)."""


def add_spec_flags(parser: argparse.ArgumentParser, *, image: bool = False) -> None:
    """The flags that make a ConvSpec; each takes an int or 'H,W'. With ``image``, those of
    a layer on a picture: no :data:`IMAGE_GIVES` flags, and the kernel size defaults to the
    kernel's own."""
    parser.add_argument("--mode", choices=MODES, default="conv")
    if not image:
        parser.add_argument("-n", "--input-size", metavar="N",
                            help="input size n, or H,W (default 5); one length in 1-D modes")
    parser.add_argument("-k", "--kernel-size", metavar="K",
                        help="kernel size k or H,W (default: the kernel's own)" if image else
                        "kernel size k (default: the mode's, 3; pointwise 1)")
    parser.add_argument("-s", "--stride", metavar="S",
                        help="stride (default 1; pooling: the kernel size, as in PyTorch)")
    parser.add_argument("-p", "--padding", metavar="P",
                        help="PyTorch's padding: int, H,W, same or valid (default 0)")
    parser.add_argument("-d", "--dilation", metavar="D")
    parser.add_argument("--pt", metavar="PT", help="transposed: actual padding d*(k-1) - p")
    parser.add_argument("--output-padding", metavar="A", help="transposed: extra bottom/right")
    if not image:
        parser.add_argument("--in-channels", metavar="C")
    parser.add_argument("--out-channels", metavar="C")
    parser.add_argument("--groups", metavar="G")
    parser.add_argument("--padding-mode", choices=PADDING_MODES)
    parser.add_argument("--convention", choices=conventions.NAMES,
                        help="whose rules resolve the padding (default pytorch): tensorflow, "
                             "jax and onnx-upper put 'same''s odd cell bottom/right, "
                             "onnx-lower top/left")
    add_pooling_flags(parser)


def add_pooling_flags(parser: argparse.ArgumentParser) -> None:
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
    for name, key in SPEC_FLAGS.items():
        if getattr(args, name) is not None:
            query[key] = str(getattr(args, name))
    return ConvSpec.from_query(query)


def given_of(args: argparse.Namespace) -> str:
    """Which padding the user gave: ``"pt"`` for ``--pt``, else ``"p"``."""
    return "pt" if getattr(args, "pt", None) is not None else "p"


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


def int_flag(name: str, low: int, high: int | None = None):
    """An argparse type: an int in ``low..high``, refused with the one range message."""
    def parse(text: str) -> int:
        try:
            return parse_int(text, name, low, high)
        except ConvVizError as error:           # argparse shows only this kind's message
            raise argparse.ArgumentTypeError(str(error)) from None
    return parse


def view_flags(parser: argparse.ArgumentParser) -> None:
    """The spec flags and the view flags."""
    add_spec_flags(parser)
    add_view_flags(parser)


def add_view_flags(parser: argparse.ArgumentParser) -> None:
    """How to draw a spec: style, sweep, values, colours."""
    parser.add_argument("--style", choices=STYLES,
                        help="classic (conv_arithmetic) or numbers (values in the cells)")
    parser.add_argument("--view", choices=SWEEPS, default="slide",
                        help="transposed, numbers style: scatter = one frame per input cell "
                             "stamping its scaled kernel, as PyTorch computes it")
    parser.add_argument("--kernel", help="numbers style: a preset (identity, box_blur, "
                        "gaussian, sharpen, sobel_x, sobel_y, laplacian) or rows '1,0,-1;2,0,-2'")
    parser.add_argument("--values", help="numbers style: the input's rows, e.g. '1,2;3,4'")
    parser.add_argument("--seed", type=int_flag("seed", 0),
                        help="numbers style: seed of the random values")
    parser.add_argument("--palette", choices=tuple(SCHEMES), default="default",
                        help="colours: default (conv_arithmetic) or cb (colour-blind safe)")
    parser.add_argument("--max-frames", type=int_flag("max_frames", 1),
                        help=f"refuse figures longer than this (default {MAX_FRAMES})")
