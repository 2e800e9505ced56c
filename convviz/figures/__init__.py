"""The figures: one interface (:class:`~convviz.figures.base.Figure`), one registry.

:data:`REGISTRY` maps (layout, style, sweep) to the figure class that draws it: ``layout`` is
what the spec needs drawn (:func:`layout_of`: one channel, or channels), ``style`` is
``classic`` (conv_arithmetic), ``numbers`` (values in the cells), or an exercise's
``setup`` (the output left out) or ``cells`` (an output cell marked, the kernel left
out), ``sweep`` is ``slide``
(the kernel over the input) or ``scatter`` (a transposed convolution as PyTorch computes
it). :func:`figure_class` looks a view up; adding a figure kind is one module and one line
here (``docs/architecture.md``). Figures never import views, export, the CLI or the app.

>>> figure_class(ConvSpec(in_channels=3), "classic", "slide").__name__
'ChannelsFigure'
"""
from __future__ import annotations

from ..errors import ConvVizError
from ..ops.args import check_choice
from ..ops.spec import ConvSpec
from . import arithmetic, channels, classic
from .base import Caption, Figure, Swatch, Target
from .channel_numbers import ChannelNumbersFigure
from .channels import ChannelsFigure
from .classic import ClassicFigure
from .numeric import ScatterFigure, SlideFigure
from .pool import PoolFigure, PoolNumbersFigure
from .question import CellsFigure, SetupFigure
from .strip import StripFigure, StripNumbersFigure

STYLES = ("classic", "numbers", "setup", "cells")
SWEEPS = ("slide", "scatter")

REGISTRY: dict[tuple[str, str, str], type[Figure]] = {
    ("single", "classic", "slide"): ClassicFigure,
    ("channels", "classic", "slide"): ChannelsFigure,
    ("single", "numbers", "slide"): SlideFigure,
    ("channels", "numbers", "slide"): ChannelNumbersFigure,
    ("single", "numbers", "scatter"): ScatterFigure,
    ("channels", "numbers", "scatter"): ScatterFigure,   # refuses, saying why
    ("pool", "classic", "slide"): PoolFigure,
    ("pool", "numbers", "slide"): PoolNumbersFigure,
    ("strip", "classic", "slide"): StripFigure,
    ("strip", "numbers", "slide"): StripNumbersFigure,
    ("strip", "numbers", "scatter"): ScatterFigure,      # 1-D transposed: x, w, y as rows
    ("single", "setup", "slide"): SetupFigure,           # exercises: the output left out
    ("channels", "setup", "slide"): SetupFigure,         # refuses, saying why
    ("single", "cells", "slide"): CellsFigure,           # exercises: the kernel left out
    ("channels", "cells", "slide"): CellsFigure,         # refuses, saying why
}
"""(layout, style, sweep) -> the figure class that draws it."""


def layout_of(spec: ConvSpec) -> str:
    """The row's own layout where it names one (``"pool"``, ``"strip"`` for 1-D), else
    ``"channels"`` for a spec drawn with its channels (more than one in or out, or a mode
    whose row says so), else ``"single"``."""
    if spec.operation.layout:
        return spec.operation.layout
    multi = spec.operation.channels or spec.in_channels > 1 or spec.out_channels > 1
    return "channels" if multi else "single"


def figure_class(spec: ConvSpec, style: str, sweep: str) -> type[Figure]:
    """The class that draws ``spec`` in ``style`` and ``sweep`` (see :data:`REGISTRY`)."""
    check_choice(style, "style", STYLES)
    check_choice(sweep, "view", SWEEPS)
    if sweep == "scatter" and style != "numbers":
        raise ConvVizError(f"the scatter view is drawn in the numbers style: use style "
                           f"'numbers' (--style numbers), got style {style!r}")
    found = REGISTRY.get((layout_of(spec), style, sweep))
    if found is None and sweep == "scatter":
        raise ConvVizError(f"the {sweep} view is drawn for transposed convolutions, got mode "
                           f"{spec.mode!r}")
    if found is None:
        raise ConvVizError(f"the {style} style draws 2-D convolutions, got mode {spec.mode!r}")
    return found


def clear_caches() -> None:
    """Forget every drawing and number kept for reuse (benchmarks that time the first
    drawing; a server that wants its memory back)."""
    for cached in (classic.drawing, channels.drawing, arithmetic.slide,
                   arithmetic.scatter_steps):
        cached.cache_clear()


__all__ = ["REGISTRY", "STYLES", "SWEEPS", "Caption", "CellsFigure", "ChannelNumbersFigure",
           "ChannelsFigure", "ClassicFigure", "Figure", "PoolFigure", "PoolNumbersFigure",
           "ScatterFigure", "SetupFigure", "SlideFigure", "StripFigure", "StripNumbersFigure",
           "Swatch", "Target",
           "clear_caches", "figure_class", "layout_of"]
