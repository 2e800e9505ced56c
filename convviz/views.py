"""Which figure draws a spec: one entry point for the CLI and the app.

A :class:`View` is a spec plus how to show it: the ``classic`` conv_arithmetic style
(:mod:`convviz.render`, vector stills from :mod:`convviz.figures`; multi-channel specs by
:mod:`convviz.channels`) or the ``numbers`` style
(:mod:`convviz.numbers`: the values in the cells, with a seed, a kernel preset or custom
values; for a transposed spec also the ``scatter`` view, what PyTorch computes).
:func:`animation` gives its frames (as palette indices where the renderer makes them, for
fast GIFs) and :func:`still` one frame as PNG, SVG or PDF bytes; :func:`save` writes either
to a file by its suffix.

>>> view = View(ConvSpec(input_size=5, kernel_size=3, stride=2, padding=1))
>>> frame_count(view), still(view, 0, "png")[:4]
(9, b'\\x89PNG')
"""
from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl

import numpy as np

from . import channels, counts, export, numbers, render, style, values
from .errors import ConvVizError
from .geometry import layout
from .spec import ConvSpec

STILL_FORMATS = ("png", "svg", "pdf")
ANIMATION_FORMATS = ("gif", "mp4")
STYLES = ("classic", "numbers")

Table = tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class View:
    """A spec and the way to show it (hashable, so front ends can cache on it).

    Attributes
    ----------
    spec : ConvSpec
    style : {"classic", "numbers"}
    scatter : bool
        Numbers style, transposed spec: one frame per input cell stamping its scaled kernel
        (PyTorch's view) instead of the sliding window over the stretched input.
    seed : int
        The seed of the random small integers.
    kernel, values : str, rows of numbers, or None
        A kernel preset name (``"sobel_x"``) or rows (``"1,0,-1;2,0,-2;..."``), and the
        input's rows; None for the seeded random ones. The numbers style draws these values;
        every style's :func:`captions` compute with them.
    """

    spec: ConvSpec
    style: str = "classic"
    scatter: bool = False
    seed: int = 0
    kernel: str | Table | None = None
    values: str | Table | None = None

    def __post_init__(self) -> None:
        if self.style not in STYLES:
            raise ConvVizError(f"style must be one of {', '.join(STYLES)}, got {self.style!r}")
        if self.scatter and self.style != "numbers":
            raise ConvVizError("the scatter view is drawn in the numbers style: use style "
                               "'numbers' (--style numbers), got style 'classic'")
        if self.scatter and not self.spec.transposed:
            raise ConvVizError(f"the scatter view shows a transposed convolution: mode must be "
                               f"'transposed', got {self.spec.mode!r}")

    @property
    def _sweep(self) -> str:
        return "scatter" if self.scatter else "slide"

    def to_query(self) -> str:
        """The URL query string: the spec's (:meth:`ConvSpec.to_query`), then ``style``,
        ``view``, ``seed``, ``kernel`` and ``values`` where they are not the defaults.

        >>> View(ConvSpec(mode="transposed", input_size=3, stride=2), style="numbers",
        ...      scatter=True, kernel="1,2;3,4", seed=2).to_query()
        'mode=transposed&n=3&k=3&s=2&p=0&style=numbers&view=scatter&seed=2&kernel=1,2;3,4'
        """
        extra = {"style": None if self.style == "classic" else self.style,
                 "view": "scatter" if self.scatter else None,
                 "seed": self.seed or None, "kernel": _rows(self.kernel),
                 "values": _rows(self.values)}
        return "&".join([self.spec.to_query()] + [f"{key}={value}" for key, value in
                                                  extra.items() if value is not None])

    @classmethod
    def from_query(cls, query: str | Mapping[str, str]) -> View:
        """The view a query string (or its mapping) describes; see :meth:`to_query`."""
        if isinstance(query, str):
            query = dict(parse_qsl(query.lstrip("?"), keep_blank_values=True))
        query = dict(query)
        sweep = query.pop("view", "slide")
        if sweep not in ("slide", "scatter"):
            raise ConvVizError(f"view must be slide or scatter, got {sweep!r}")
        seed = query.pop("seed", "0")
        if not seed.isdigit():
            raise ConvVizError(f"seed must be an int >= 0, got {seed!r}")
        return cls(ConvSpec.from_query(query), style=query.pop("style", "classic"),
                   scatter=sweep == "scatter", seed=int(seed), kernel=query.pop("kernel", None),
                   values=query.pop("values", None))


def _rows(table: str | Table | None) -> str | None:
    """A kernel or input as query text: a preset name or ``'1,0;0,1'``."""
    if table is None or isinstance(table, str):
        return table
    return ";".join(",".join(values.format_number(v).replace(style.MINUS, "-") for v in row)
                    for row in table)


@dataclass(frozen=True, eq=False)
class Animation:
    """Frames of a view: ``frames`` are (H, W) uint8 indices into ``palette`` (P, 3), or
    (H, W, 3) RGB when ``palette`` is None; ``count`` of them."""

    palette: np.ndarray | None
    frames: Iterator[np.ndarray]
    count: int


def numbers_figure(view: View) -> numbers.NumbersFigure:
    """The numbers of ``view``: its values, and the engine's output for them (one channel
    only, ConvVizError otherwise)."""
    return _numbers_figure(view.spec, view.seed, view.kernel, view.values)


@lru_cache(maxsize=8)
def _numbers_figure(spec: ConvSpec, seed: int, kernel, given) -> numbers.NumbersFigure:
    x, weight = values.values_for(spec, seed=seed, kernel=kernel, input=given)
    return numbers.numbers_figure(spec, x, weight)


def captions(view: View) -> list[str]:
    """What each frame computes, one line per frame: the step's sum with real numbers
    (``y[0,1] = 2·1 + … = 6``); for multi-channel figures, and inputs too large for the
    numbers style, the output cells it fills.

    >>> spec = ConvSpec(input_size=3, kernel_size=2)
    >>> captions(View(spec, kernel="1,0;0,1", values="1,2,3;4,5,6;7,8,9"))[0]
    'y[0,0] = 1·1 + 2·0 + 4·0 + 5·1 = 6'
    """
    if channels.is_multichannel(view.spec):
        stages = counts.stages(view.spec)
        prefix = [f"{conv.mode} stage: " if len(stages) > 1 else "" for conv in stages]
        return [f"{prefix[stage]}y[:, {step.out[0]}, {step.out[1]}], every output channel at "
                f"this position" for stage, step in channels.frame_steps(view.spec)]
    try:
        figure = numbers_figure(view)
    except ConvVizError:
        if view.style == "numbers":
            raise
        return [f"output cell y[{step.out[0]},{step.out[1]}]" for step in layout(view.spec)]
    equation = numbers.scatter_equation if view.scatter else numbers.step_equation
    return [equation(figure, index) for index in range(frame_count(view))]


def _classic(spec: ConvSpec):
    """The module that draws ``spec`` in the classic style."""
    return channels if channels.is_multichannel(spec) else render


def frame_count(view: View) -> int:
    """How many frames the animation of ``view`` has."""
    if view.style == "numbers":
        return numbers.frame_count(numbers_figure(view), view=view._sweep)
    return _classic(view.spec).frame_count(view.spec)


def animation(view: View, *, max_frames: int = render.MAX_FRAMES) -> Animation:
    """The frames of ``view``, streamed (ConvVizError past ``max_frames``)."""
    if view.style == "classic":
        palette, frames = _classic(view.spec).indexed_frames(view.spec, max_frames=max_frames)
        return Animation(palette, frames, frame_count(view))
    count = render.check_count(frame_count(view), max_frames,
                               per="input cell" if view.scatter else "output cell")
    return Animation(None, numbers.frames(numbers_figure(view), view=view._sweep), count)


def frame(view: View, index: int) -> np.ndarray:
    """Frame ``index`` of the animation, uint8 (H, W, 3)."""
    index = render.check_frame(index, frame_count(view))
    if view.style == "numbers":
        return numbers.frame(numbers_figure(view), index, view=view._sweep)
    return _classic(view.spec).frame(view.spec, index)


def still(view: View, index: int, fmt: str) -> bytes:
    """Frame ``index`` as "png", "svg" or "pdf" bytes: the frame itself as PNG; as SVG/PDF
    a vector drawing of the classic one-channel figure, or for the numbers style and
    multi-channel figures the frame's pixels on a page of its size."""
    if fmt not in STILL_FORMATS:
        raise ConvVizError(f"still format must be one of {', '.join(STILL_FORMATS)}, "
                           f"got {fmt!r}")
    drawn = fmt != "png" and view.style == "classic" and not channels.is_multichannel(view.spec)
    image = None if drawn else frame(view, index)     # a vector drawing needs no raster frame
    if fmt == "png":
        return export.encode([image], "png")
    from . import figures  # matplotlib, imported only for vector stills

    return figures.still(view.spec, index, fmt) if drawn else figures.image_still(image, fmt)


def encode(view: View, fmt: str, *, duration_ms: int = style.DURATION_MS,
           max_frames: int = render.MAX_FRAMES) -> bytes:
    """The whole animation as "gif" or "mp4" bytes."""
    anim = animation(view, max_frames=max_frames)
    return export.encode(anim.frames, fmt, duration_ms=duration_ms, palette=anim.palette)


def save(view: View, path: str | os.PathLike, *, frame: int = 0,
         duration_ms: int = style.DURATION_MS,
         max_frames: int = render.MAX_FRAMES) -> Path:
    """Write ``view`` to ``path``: .gif/.mp4 animate, .png/.svg/.pdf show frame ``frame``."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt in ANIMATION_FORMATS:
        anim = animation(view, max_frames=max_frames)
        return export.save(anim.frames, path, duration_ms=duration_ms, palette=anim.palette)
    if fmt in STILL_FORMATS:
        return export.write_bytes(still(view, frame, fmt), path)
    formats = ", ".join("." + f for f in ANIMATION_FORMATS + STILL_FORMATS)
    raise ConvVizError(f"file suffix must be one of {formats}, got {path.suffix or 'none'!r} "
                       f"({path.name})")
