"""``python -m convviz render``: one figure to a GIF, MP4, PNG, SVG, PDF or a page that stands
alone, its format from the suffix; stills show ``--step`` (counted from 1).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import export, pages, views
from .cli_flags import add_spec_flags, add_view_flags, given_of, int_flag, view_from_args
from .errors import ConvVizError
from .figures.sizing import MAX_FRAMES, SCALE_RANGE
from .figures.style import DURATION_MS


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
        views.refuse_unused(args.output, "stills (.png, .svg, .pdf)", step=args.step,
                            frame=args.frame, dpi=args.dpi)
        path = pages.save_page(view, args.output, duration_ms=args.duration_ms or DURATION_MS,
                               max_frames=args.max_frames or MAX_FRAMES)
    else:
        path = views.save(view, args.output, step=args.step, frame=args.frame,
                          duration_ms=args.duration_ms, max_frames=args.max_frames,
                          annotate=args.annotate, scale=args.scale, dpi=args.dpi,
                          given=given_of(args), progress=_progress)
    animated = path.suffix.lower() in (".gif", ".mp4", ".html")
    count = views.frame_count(view)
    print(f"wrote {path} ({count} frames)" if animated else
          f"wrote {path} (step {step} of {count})")
    return 0


def add_command(commands) -> None:
    """The ``render`` command."""
    render = commands.add_parser("render", help="draw one figure to a GIF, MP4, PNG, SVG, PDF "
                                 "or HTML page")
    add_spec_flags(render)
    add_view_flags(render)
    render.add_argument("-o", "--output", type=Path, required=True,
                        help="file to write; .gif .mp4 animate, .html is a page that plays "
                             "and stands alone, .png .svg .pdf show --step")
    render.add_argument("--step", type=int_flag("step", 1),
                        help="the step a still shows, counted from 1 as the app counts (default 1)")
    render.add_argument("--frame", type=int_flag("frame", 0),
                        help="the same counted from 0 (--frame 4 is --step 5); prefer --step")
    render.add_argument("--annotate", action="store_true",
                        help="add the title, the filled-in formula, the legend and the step's "
                             "arithmetic around the figure (vector text in SVG and PDF)")
    render.add_argument("--scale", type=float, default=1.0,
                        help=f"draw the figure this many times larger for print "
                             f"({SCALE_RANGE[0]:g}..{SCALE_RANGE[1]:g}, default 1)")
    render.add_argument("--dpi", type=int_flag("dpi", *export.DPI_RANGE),
                        help="stills: print resolution of a PNG (and of an annotated one's "
                             "text), default 150")
    render.add_argument("--duration-ms", type=int_flag("duration_ms", *export.DURATION_RANGE_MS),
                        help=f"animations: milliseconds per frame (default {DURATION_MS})")
    render.set_defaults(run=_render)
