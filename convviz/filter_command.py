"""``python -m convviz filter IMAGE --kernel K -o OUT``: a layer applied to a real image.

The image is read as :func:`convviz.images.read_image` reads it (grayscale, Pillow's "L",
unless ``--rgb``; longest side at most ``--max-side``); the layer is the spec flags'
(``-k -s -p -d``, ``--mode``, ``--groups``, pooling's ``--ceil-mode``, ...) on the image's
size and channels, and the kernel a preset or rows (pooling has none). OUT ``.npy`` holds
the raw float64 map, shape ``(H_out, W_out)`` for a one-channel map of a grayscale image,
else ``(C_out, H_out, W_out)``; OUT ``.png`` the map as it is shown, in its stated colours
with a colour bar. The size printed is the formula's.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from . import export
from .cli_flags import IMAGE_GIVES, SPEC_FLAGS, add_spec_flags
from .errors import ConvVizError
from .featuremap import check_mode, feature_map, is_pooling
from .figures.heatmap import heatmap
from .images import MAX_SIDE, Picture, read_image
from .ops.formula import output_formula
from .ops.spec import ConvSpec
from .text import size_text
from .values import parse_kernel, preset_name

FORMATS = ("npy", "png")
_FLAGS = {name: key for name, key in SPEC_FLAGS.items() if name not in IMAGE_GIVES}
"""Flag -> the link key of ConvSpec.from_query (the image gives n and cin)."""


def add_command(commands, int_flag) -> None:
    """Add ``filter`` to the CLI's subcommands (``int_flag(name, low)``: an int type)."""
    parser = commands.add_parser("filter", help="apply a layer to an image: the feature map "
                                 "as .npy (raw values) or .png (as shown)")
    parser.add_argument("image", type=Path, help="a PNG, JPEG, WebP or GIF file")
    parser.add_argument("--kernel",
                        help="a preset (identity, box_blur, gaussian, sharpen, sobel_x, "
                             "sobel_y, laplacian) or rows '1,0,-1;2,0,-2;1,0,-1'; needed "
                             "except for pooling (--mode maxpool or avgpool)")
    parser.add_argument("-o", "--output", type=Path, required=True,
                        help=".npy: the raw float64 map; .png: the map in its colours")
    parser.add_argument("--rgb", action="store_true",
                        help="three channels (Pillow's RGB) instead of grayscale (its L)")
    parser.add_argument("--max-side", type=int_flag("max_side", 1), default=MAX_SIDE,
                        help=f"downscale larger images to this longest side "
                             f"(default {MAX_SIDE})")
    add_spec_flags(parser, image=True)
    parser.set_defaults(run=run)


def layer_of(args: argparse.Namespace, picture: Picture) -> ConvSpec:
    """The layer the flags describe, on ``picture``'s size and channels."""
    check_mode(args.mode)
    query = {"mode": args.mode, "n": ",".join(map(str, picture.size)),
             "cin": str(picture.channels)}
    for name, key in _FLAGS.items():
        if getattr(args, name) is not None:
            query[key] = str(getattr(args, name))
    if args.kernel_size is None and args.kernel is not None:
        query["k"] = _kernel_size(args.kernel)
    spec = ConvSpec.from_query(query)
    if args.kernel is None and not is_pooling(spec):
        raise ConvVizError(f"kernel (--kernel) is needed for mode {spec.mode!r}: a preset "
                           f"name or rows like '1,0,-1;2,0,-2;1,0,-1'; only pooling has none")
    return spec


def _kernel_size(kernel: str) -> str:
    """The ``H,W`` of rows like ``'1,0;0,1'``; a preset (or a kernel that is neither, which
    :func:`convviz.values.kernel_weight` then refuses) is 3 x 3."""
    try:
        return "3" if preset_name(kernel) else ",".join(map(str, parse_kernel(kernel).shape))
    except ConvVizError:
        return "3"


def run(args: argparse.Namespace) -> int:
    """``filter``: read, apply, write, and say what was done."""
    fmt = export.format_of(args.output, FORMATS)
    picture = read_image(args.image, rgb=args.rgb, max_side=args.max_side)
    fmap = feature_map(picture, layer_of(args, picture), args.kernel)
    if fmt == "npy":
        data, scale = fmap.npy(grayscale=not args.rgb), None
    else:
        still = heatmap(fmap.values)
        data, scale = export.encode([still.frame], "png", palette=still.palette), still.scale
    path = export.write_bytes(data, args.output)
    print("; ".join([f"{picture.name}: {size_text(picture.size)}, {picture.mode}",
                     *picture.notes]))
    print("\n".join(output_formula(fmap.spec).text))
    print(f"feature map: {size_text(fmap.size)}  (shape {fmap.values.shape}), values "
          f"{fmap.values.min():.6g} .. {fmap.values.max():.6g}")
    print(fmap.spec.torch_line())
    if scale is not None:
        print(f"colours: {scale.text}")
    print(f"wrote {path}")
    return 0
