"""The stack figure as vector shapes (SVG, PDF) for notes, drawn with matplotlib (no pyplot).

It draws what the raster frame draws, from the same data
(:func:`~convviz.figures.stack_frames.drawn`: each drawn cell's fill, each grid segment's style,
the window's footprint), in the same order: per map, its cells as one polygon per run of equal
cells in a row, its grid lines (solid, dashed, or none) as whole runs, then the connectors to
the map above; the labels last.

>>> from convviz.ops.stack_text import parse_stack
>>> from convviz.figures.layerstack import StackFigure
>>> from convviz.figures.vector import figure_bytes
>>> figure_bytes(draw(StackFigure(parse_stack("conv k3", input_size=5), ((0, 0),)), 0),
...              "svg")[:5]
b'<?xml'
"""
from __future__ import annotations

import itertools

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from . import raster, style
from .stack_frames import PALETTE, connectors, drawn, map_styles, real_cells
from .stack_layout import LABEL_PX, Plan
from .vector import DPI

_PT = 72 / DPI                          # points per pixel


def _runs(values: np.ndarray) -> list[tuple[int, int, int]]:
    """``(start, stop, value)`` of each run of equal entries of a 1-D array."""
    edges = np.flatnonzero(np.diff(values)) + 1
    starts, stops = np.r_[0, edges], np.r_[edges, len(values)]
    return [(int(a), int(b), int(values[a])) for a, b in zip(starts, stops)]


def _cells(ax, found: Plan, number: int, codes: np.ndarray, z) -> None:
    """Each run of equal fills in a drawn row as one polygon (white ones are the paper)."""
    gh = codes.shape[0]
    for row in range(gh):
        y = gh - 1 - row
        for c0, c1, code in _runs(codes[row]):
            if code == 0:
                continue
            corners = [found.point(number, x, yy) for x, yy in ((c0, y), (c1, y), (c1, y + 1),
                                                               (c0, y + 1))]
            ax.add_patch(Polygon(corners, closed=True, edgecolor="none", linewidth=0,
                                 facecolor=style.hex_colour(tuple(PALETTE.fills[code])),
                                 zorder=next(z)))


def _lines(ax, found: Plan, number: int, style_h: np.ndarray, style_v: np.ndarray, z) -> None:
    """Every grid line of map ``number``, a run of solid or dashed segments at a time."""
    for styles, along in ((style_h, lambda at, t: (t, at)), (style_v, lambda at, t: (at, t))):
        for at, segments in enumerate(styles):
            for t0, t1, kind in _runs(segments):
                if kind == raster.NONE:
                    continue
                (x0, y0), (x1, y1) = (found.point(number, *along(at, t)) for t in (t0, t1))
                width = style.THICK_PX * _PT
                ax.plot([x0, x1], [y0, y1], color=style.hex_colour(style.LINE), linewidth=width,
                        solid_capstyle="butt", dash_capstyle="butt", zorder=next(z),
                        linestyle=(0, (style.DASH_PX / style.THICK_PX,) * 2)
                        if kind == raster.DASHED else "solid")


def draw(figure, index: int) -> Figure:
    """Frame ``index`` of a :class:`~convviz.figures.layerstack.StackFigure` as a matplotlib
    Figure of true vector shapes."""
    found, field = figure.plan, figure.regions[index]
    height, width = found.size
    fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.set_axis_off()
    z = itertools.count()
    for number, level in enumerate(found.levels):
        real = real_cells(level)
        styles = map_styles(real[::-1], found.lines, level.cut)
        codes, styles, box = drawn(found, number, field, real, styles)
        _cells(ax, found, number, codes, z)
        _lines(ax, found, number, *styles, z)
        ends = connectors(found, number, field, box) if number < len(found.levels) - 1 else None
        for a, b in zip(*ends) if ends is not None else ():
            ax.plot([a[0], b[0]], [a[1], b[1]], color="black", zorder=next(z),
                    linewidth=style.CONNECTOR_PX * _PT)
    for level, (x, y) in zip(found.levels, found.labels):
        for number, line in enumerate(level.label):
            ax.text(x, y + number * LABEL_PX * 1.25, line, ha="left", va="top",
                    fontsize=LABEL_PX * _PT, color=style.hex_colour(style.LINE), zorder=next(z))
    return fig
