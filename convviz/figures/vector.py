"""Vector stills (SVG, PDF) for LaTeX notes, drawn with matplotlib (no pyplot).

:func:`draw` draws a classic figure's frame as vector shapes, following the canvas geometry
and drawing order of the raster frames of :mod:`convviz.figures.classic` (docs/style.md):
dashed grid over the padded input, solid input cells, the translucent kernel, its solid
footprint grid, connectors, then the output layer. :func:`image_still` puts a raster frame on
a vector page; :func:`figure_bytes` writes either without a date, so equal figures give equal
bytes.

>>> from convviz.gallery import PRESETS
>>> figure_bytes(draw(PRESETS["padding_strides"].spec, 0), "svg")[:5]
b'<?xml'
"""
from __future__ import annotations

import io
import itertools

import numpy as np
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from ..errors import ConvVizError
from ..geometry import INPUT, grid, layout
from ..ops.spec import ConvSpec
from . import style
from .sizing import Canvas, canvas, check_frame

FORMATS = ("svg", "pdf", "png")
DPI = 150                               # the references' resolution: 1 px = 72/150 pt
_PT = 72 / DPI                          # points per pixel


class _Pen:
    """Draws on one Axes in pixel coordinates of a canvas, each artist above the last."""

    def __init__(self, ax, c: Canvas) -> None:
        self.ax, self.c, self._z = ax, c, itertools.count()

    def cell(self, layer: str, x: int, y: int, colour: style.RGB, alpha: float = 1.0) -> None:
        """Fill grid cell ``(x, y)`` (y from the bottom) of "input" or "output"."""
        corners = [self.c.point(layer, x + dx, y + dy)
                   for dx, dy in ((0, 0), (1, 0), (1, 1), (0, 1))]
        self.ax.add_patch(Polygon(corners, closed=True, facecolor=style.hex_colour(colour),
                                  alpha=alpha, edgecolor="none", linewidth=0,
                                  zorder=next(self._z)))

    def line(self, a: tuple[float, float], b: tuple[float, float], *, width_px: float,
             colour: style.RGB = style.LINE, dashed: bool = False) -> None:
        """A line between pixel points ``a`` and ``b``; dashes start at ``a``."""
        self.ax.plot([a[0], b[0]], [a[1], b[1]], color=style.hex_colour(colour),
                     linewidth=width_px * _PT, solid_capstyle="butt", dash_capstyle="butt",
                     linestyle=(0, (style.DASH_PX / width_px,) * 2) if dashed else "solid",
                     zorder=next(self._z))

    def grid(self, layer: str, x0: int, y0: int, w: int, h: int, dashed: bool = False) -> None:
        """Every line of the w x h block of cells at (x0, y0), each drawn whole."""
        p = self.c.point
        for y in range(y0, y0 + h + 1):
            self.line(p(layer, x0, y), p(layer, x0 + w, y), width_px=style.THICK_PX,
                      dashed=dashed)
        for x in range(x0, x0 + w + 1):
            self.line(p(layer, x, y0), p(layer, x, y0 + h), width_px=style.THICK_PX,
                      dashed=dashed)


def draw(spec: ConvSpec, index: int, marked: tuple[int, int] | None = None) -> Figure:
    """Frame ``index`` of the classic figure of ``spec`` as a matplotlib Figure; grid cell
    ``marked`` (row from the top), if given, in the current output cell's colour."""
    steps = layout(spec)
    check_frame(index, len(steps))
    g, step = grid(spec), steps[index]
    (rows, cols), (orows, ocols), (span_h, span_w) = g.shape, g.output_size, g.span
    c = canvas(g.shape, g.output_size)
    fig = Figure(figsize=(c.size[1] / DPI, c.size[0] / DPI), dpi=DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, c.size[1])
    ax.set_ylim(c.size[0], 0)
    ax.set_axis_off()
    pen = _Pen(ax, c)
    pen.grid("input", 0, 0, cols, rows, dashed=True)
    for y, x in zip(*np.nonzero(g.kind[::-1] == INPUT)):             # row 0 at the bottom
        pen.cell("input", x, y, style.INPUT)
        pen.grid("input", x, y, 1, 1)
    for r in step.rows:
        for col in step.cols:
            pen.cell("input", col, rows - 1 - r, style.KERNEL, style.KERNEL_ALPHA)
    if marked is not None:                          # max pooling's winner, opaque
        pen.cell("input", marked[1], rows - 1 - marked[0],
                 style.blend(style.OUTPUT, style.KERNEL, style.KERNEL_ALPHA))
    x0, top = int(step.cols[0]), rows - int(step.rows[0])
    pen.grid("input", x0, top - span_h, span_w, span_h)
    orow, ocol = step.out
    ob = orows - 1 - orow
    bottom, right = top - span_h, x0 + span_w                     # the kernel's footprint
    for a, b in zip([(x0, top), (right, top), (x0, bottom), (right, bottom)],
                    [(ocol, ob + 1), (ocol + 1, ob + 1), (ocol, ob), (ocol + 1, ob)]):
        pen.line(c.point("input", *a), c.point("output", *b), width_px=style.CONNECTOR_PX,
                 colour=style.BLACK)
    for y in range(orows):
        for x in range(ocols):
            pen.cell("output", x, y, style.OUTPUT)
    pen.cell("output", ocol, ob, style.KERNEL, style.KERNEL_ALPHA)
    pen.grid("output", 0, 0, ocols, orows)
    return fig


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """``fig`` as "svg", "pdf" or "png" bytes without a creation date (stable bytes)."""
    if fmt not in FORMATS:
        raise ConvVizError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    buffer = io.BytesIO()
    metadata = {"svg": {"Date": None}, "pdf": {"CreationDate": None}, "png": {}}[fmt]
    with rc_context({"svg.hashsalt": "convviz"}):             # stable element ids
        fig.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata)
    return buffer.getvalue()


def image_still(image: np.ndarray, fmt: str) -> bytes:
    """A raster frame on an SVG or PDF page of its size (for figures drawn as pixels, such
    as the numbers style), for notes that take only vector formats.

    Parameters
    ----------
    image : ndarray, shape (H, W, 3), uint8
    """
    fig = Figure(figsize=(image.shape[1] / DPI, image.shape[0] / DPI), dpi=DPI)
    fig.figimage(image, resize=False)
    return figure_bytes(fig, fmt)
