"""What a front end shows: a :class:`View` (a spec, a style, its numbers) and its outputs.

The CLI and the app go through here: :func:`figure` finds the figure class in the registry
(:data:`convviz.figures.REGISTRY`) and builds it; :func:`animation`, :func:`still`,
:func:`encode` and :func:`save` give its frames and files; :func:`captions`, :func:`legend`,
:func:`file_stem` and :func:`is_vector` give what a page shows beside it, so no front end
works any of it out for itself.

>>> from convviz import ConvSpec
>>> view = View(ConvSpec(input_size=5, kernel_size=3, stride=2, padding=1))
>>> frame_count(view), still(view, 0, "png")[:4], file_stem(view)
(9, b'\\x89PNG', 'padding_strides')
"""
from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import export, figures, geometry, player, sample
from .errors import ConvVizError
from .figures import Caption, Figure, Swatch, figure_class, layout_of, sizing
from .figures.annotated import AnnotatedFigure
from .figures.arithmetic import Slide, check_writable, slide
from .figures.notice import NoticeFigure
from .figures.style import DURATION_MS
from .gallery import name_of
from .ops.args import check_choice, check_int
from .view import View

STILL_FORMATS = ("png", "svg", "pdf")
ANIMATION_FORMATS = ("gif", "mp4")
ANY_FRAMES = sys.maxsize
"""The frame cap of a still: it draws one frame, however long the animation would be."""
Progress = export.Progress


@dataclass(frozen=True, eq=False)
class Animation:
    """Frames of a view: ``frames`` are (H, W) uint8 indices into ``palette`` (P, 3);
    ``count`` of them."""

    palette: np.ndarray
    frames: Iterator[np.ndarray]
    count: int


def figure(view: View, *, max_frames: int = sizing.MAX_FRAMES, scale: float = 1.0,
           annotate: bool = False, given: str = "p") -> Figure:
    """The figure that draws ``view`` (ConvVizError past ``max_frames`` or any other cap,
    before anything is drawn); one figure per view, whatever the cap: ``scale`` times its
    size on screen, and with ``annotate`` its title, formula, legend and step around it
    (``given``: the padding a transposed spec was given by, "p" or "pt")."""
    kind = figure_class(view.spec, view.style, view.sweep)
    kind.check(view.spec, max_frames=max_frames)
    return _built(view, scale, annotate, given)


@lru_cache(maxsize=4)
def _built(view: View, scale: float = 1.0, annotate: bool = False, given: str = "p") -> Figure:
    kind = figure_class(view.spec, view.style, view.sweep)
    drawn = kind(view.spec, view.numbers, max_frames=kind.count(view.spec),
                 scheme=view.palette, scale=scale)
    return AnnotatedFigure(drawn, given=given) if annotate else drawn


def notice(view: View, message: str) -> Figure:
    """A one-frame figure that says in the figure's place why ``view`` cannot be drawn."""
    return NoticeFigure(view.spec, message, scheme=view.palette)


def notice_page(view: View, message: str, *, embedded: bool = False) -> str:
    """The player page of :func:`notice`."""
    fig = notice(view, message)
    return player.html(fig.frames(), [str(c) for c in fig.captions()], palette=fig.palette,
                       name=file_stem(view), key=view.to_query(), embedded=embedded)


def clear_caches() -> None:
    """Forget every figure, drawing and number kept for reuse."""
    _built.cache_clear()
    figures.clear_caches()
    geometry.layout.cache_clear()
    sample.compute.cache_clear()


def frame_count(view: View) -> int:
    """How many frames the animation of ``view`` has (from the spec's arithmetic)."""
    return figure_class(view.spec, view.style, view.sweep).count(view.spec)


def captions(view: View) -> tuple[Caption, ...]:
    """What each frame computes, one :class:`Caption` per frame: the step's sum with the
    view's numbers (``y[0,1] = 2·1 + … = 6``), or the cells it fills where the figure is
    too large to write out.

    >>> from convviz import ConvSpec
    >>> spec = ConvSpec(input_size=3, kernel_size=2)
    >>> str(captions(View(spec, kernel="1,0;0,1", values="1,2,3;4,5,6;7,8,9"))[0])
    'y[0,0] = 1·1 + 2·0 + 4·0 + 5·1 = 6'
    """
    return figure(view).captions()


def numbers_of(view: View) -> Slide:
    """The numbers of a one-channel ``view`` that a page can write out cell by cell: its
    input, kernel and output as 2-D arrays (``x`` (H, W), ``weight`` (kH, kW), ``output``
    (H_out, W_out), from the engine; one row each in 1-D; no weight for pooling);
    ConvVizError saying why for a multi-channel view or one too large to write out."""
    spec = view.spec
    if layout_of(spec) == "channels" or spec.in_channels > 1 or spec.out_channels > 1:
        raise ConvVizError(f"values are shown for one channel, got mode {spec.mode} "
                           f"with {spec.in_channels} -> {spec.out_channels} channels")
    check_writable(view.spec)
    return slide(view.spec, view.numbers)


def legend(view: View) -> tuple[Swatch, ...]:
    """What the figure's colours mean (empty where the figure labels itself)."""
    return figure(view).legend()


def is_vector(view: View) -> bool:
    """Whether SVG and PDF stills of ``view`` are vector drawings, not pixels on a page."""
    return figure_class(view.spec, view.style, view.sweep).vector


def animation(view: View, *, max_frames: int = sizing.MAX_FRAMES, annotate: bool = False,
              scale: float = 1.0, progress: Progress | None = None) -> Animation:
    """The frames of ``view``, streamed (ConvVizError past ``max_frames``); ``annotate``,
    ``scale`` as :func:`figure`; ``progress(done, total)`` hears of every frame drawn."""
    fig = figure(view, max_frames=max_frames, annotate=annotate, scale=scale)
    return Animation(fig.palette, export.reporting(fig.frames(), fig.frame_count, progress),
                     fig.frame_count)


def frame(view: View, index: int) -> np.ndarray:
    """Frame ``index`` (from 0) of the animation, uint8 (H, W, 3)."""
    return figure(view).rgb(index)


def still(view: View, index: int, fmt: str, *, annotate: bool = False, scale: float = 1.0,
          dpi: int = 150, given: str = "p") -> bytes:
    """Frame ``index`` (from 0) as "png", "svg" or "pdf" bytes: the frame itself as PNG; as
    SVG/PDF a vector drawing where the figure has one (:func:`is_vector`), else the frame's
    pixels on a page. ``annotate`` adds the title, formula, legend and step as true text
    (a PNG is then rendered at ``dpi``); ``scale`` draws it larger; ``dpi`` is the print
    resolution a PNG records."""
    check_choice(fmt, "still format", STILL_FORMATS)
    dpi = export.check_dpi(dpi)
    fig = figure(view, max_frames=ANY_FRAMES, scale=scale, annotate=annotate, given=given)
    if fmt == "png" and not annotate:                 # one frame, however many there are
        return export.encode([fig.frame(index)], "png", palette=fig.palette, dpi=dpi)
    from .figures import vector  # matplotlib, imported only for vector stills

    if fig.vector or annotate:
        return vector.figure_bytes(fig.vector_figure(index), fmt, dpi=dpi)
    return vector.image_still(fig.rgb(fig.check_frame(index)), fmt)


def encode(view: View, fmt: str, *, duration_ms: int = DURATION_MS,
           max_frames: int = sizing.MAX_FRAMES, annotate: bool = False, scale: float = 1.0,
           progress: Progress | None = None) -> bytes:
    """The whole animation as "gif" or "mp4" bytes (options as :func:`animation`)."""
    anim = animation(view, max_frames=max_frames, annotate=annotate, scale=scale,
                     progress=progress)
    return export.encode(anim.frames, fmt, duration_ms=duration_ms, palette=anim.palette)


def step_index(view: View, step: int) -> int:
    """The 0-based frame of ``step`` (counted from 1, as people count steps), or the refusal."""
    return check_int(step, "step", 1, frame_count(view)) - 1


def save(view: View, path: str | os.PathLike, *, step: int | None = None,
         frame: int | None = None, duration_ms: int | None = None,
         max_frames: int | None = None, annotate: bool = False, scale: float = 1.0,
         dpi: int | None = None, given: str = "p", progress: Progress | None = None) -> Path:
    """Write ``view`` to ``path``: .gif/.mp4 animate (``duration_ms`` per frame, default
    1000; at most ``max_frames``, default 1024), .png/.svg/.pdf show ``step`` (counted from 1,
    default 1; ``frame`` is the older 0-based way to say ``step - 1``) at ``dpi`` (default
    150); ``annotate``, ``scale``, ``given`` and ``progress`` as :func:`still` and
    :func:`animation`. An option the format has no use for is refused, not ignored."""
    path = Path(path)
    fmt = export.format_of(path, ANIMATION_FORMATS + STILL_FORMATS)
    if fmt in ANIMATION_FORMATS:
        refuse_unused(path, "stills (.png, .svg, .pdf)", step=step, frame=frame, dpi=dpi)
        anim = animation(view, max_frames=sizing.MAX_FRAMES if max_frames is None
                         else max_frames, annotate=annotate, scale=scale, progress=progress)
        return export.save(anim.frames, path, palette=anim.palette,
                           duration_ms=DURATION_MS if duration_ms is None else duration_ms)
    refuse_unused(path, "animations (.gif, .mp4)", duration_ms=duration_ms, max_frames=max_frames)
    if frame is not None and step is not None:
        raise ConvVizError(f"step and frame both name the still: give one, got step={step} "
                           f"and frame={frame}")
    index = step_index(view, 1 if step is None else step) if frame is None else \
        figure(view, max_frames=ANY_FRAMES).check_frame(frame)
    return export.write_bytes(still(view, index, fmt, annotate=annotate, scale=scale,
                                    dpi=150 if dpi is None else dpi, given=given), path)


def refuse_unused(path: Path, where: str, **options: int | None) -> None:
    """Refuse an option given (not None) for a file whose format has no use for it; ``where``
    names the formats it is for."""
    for name, value in options.items():
        if value is not None:
            flag = "--" + name.replace("_", "-")
            raise ConvVizError(f"{name} ({flag}) is for {where}, not {path.name}: leave it out, "
                               f"got {value!r}")


def player_page(view: View, *, max_frames: int = sizing.MAX_FRAMES,
                duration_ms: int = DURATION_MS, page: player.Page | None = None,
                embedded: bool = False, level: int = 1) -> str:
    """The step player of ``view`` as one HTML document: its frames, each step's caption and
    its cells to point at (:meth:`~convviz.figures.base.Figure.targets`), with ``page``'s
    title and what it shows around the player (see :func:`convviz.player.html` for
    ``embedded`` and ``level``); ConvVizError past ``max_frames``."""
    fig = figure(view, max_frames=max_frames)
    return player.html(fig.frames(), [str(caption) for caption in fig.captions()],
                       palette=fig.palette, duration_ms=duration_ms, name=file_stem(view),
                       key=view.to_query(), targets=fig.targets(), page=page or player.Page(),
                       embedded=embedded, level=level)


def file_stem(view: View) -> str:
    """A file name for the view's downloads: the conv_arithmetic name of a gallery figure,
    else ``convviz_`` and its query; the numbers style adds where its values come from.

    >>> from convviz import ConvSpec
    >>> file_stem(View(ConvSpec(input_size=6), style="numbers", kernel="sobel_x", seed=2))
    'convviz_modeconv_n6_k3_s1_p0_numbers_sobel_x_seed2'
    """
    name = name_of(view.spec)
    if name is None:
        name = "convviz_" + view.spec.to_query().replace("&", "_").replace("=", "")
    parts = [name.replace(",", "x")]
    if view.style == "numbers":                     # its figure shows the values: name them
        parts += ["numbers", view.kernel if isinstance(view.kernel, str) else
                  "custom_kernel" if view.kernel else "", "custom_input" if view.values else "",
                  f"seed{view.seed}" if view.seed else "", "scatter" if view.scatter else ""]
    if view.palette != "default":
        parts.append(view.palette)
    return "_".join(part for part in parts if part)

