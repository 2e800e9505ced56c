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
from matplotlib.patches import PathPatch
from matplotlib.path import Path

from ..errors import ConvVizError
from ..geometry import INPUT, grid, layout
from ..ops.spec import ConvSpec
from . import style
from .sizing import Canvas, canvas, check_frame

FORMATS = ("svg", "pdf", "png")
DPI = 150                               # the references' resolution: 1 px = 72/150 pt
_PT = 72 / DPI                          # points per pixel


class _Pen:
    """Draws on one Axes in pixel coordinates of a canvas, each layer above the last. Every
    layer is one compound path (all cells of a colour, all lines of a kind as its subpaths),
    so a 160 x 160 grid costs a handful of shapes in the file rather than one per cell."""

    def __init__(self, ax, c: Canvas) -> None:
        self.ax, self.c, self._z = ax, c, itertools.count()

    def cells(self, layer: str, xs, ys, colour: style.RGB, alpha: float = 1.0) -> None:
        """Fill the grid cells at ``xs``, ``ys`` (y from the bottom) of "input"/"output"."""
        xs, ys = np.asarray(xs, float), np.asarray(ys, float)
        corners = [self.c.point(layer, xs + dx, ys + dy) for dx, dy in
                   ((0, 0), (1, 0), (1, 1), (0, 1), (0, 0))]
        vertices = np.stack([np.stack(pt, axis=-1) for pt in corners], axis=1)   # (n, 5, 2)
        codes = np.tile([Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY],
                        len(xs))
        self.ax.add_artist(PathPatch(Path(vertices.reshape(-1, 2), codes),
                                    facecolor=style.hex_colour(colour), alpha=alpha,
                                    edgecolor="none", linewidth=0, zorder=next(self._z)))

    def lines(self, starts, ends, *, width_px: float, colour: style.RGB = style.LINE,
              dashed: bool = False) -> None:
        """Lines from pixel points ``starts`` to ``ends`` (``(n, 2)`` each); each line's
        dashes start at its start (every subpath starts its dash pattern anew)."""
        vertices = np.stack([np.asarray(starts, float), np.asarray(ends, float)], axis=1)
        codes = np.tile([Path.MOVETO, Path.LINETO], len(vertices))
        self.ax.add_artist(PathPatch(
            Path(vertices.reshape(-1, 2), codes), fill=False, zorder=next(self._z),
            edgecolor=style.hex_colour(colour), linewidth=width_px * _PT, capstyle="butt",
            linestyle=(0, (style.DASH_PX / width_px,) * 2) if dashed else "solid"))

    def grid(self, layer: str, x0: int, y0: int, w: int, h: int, dashed: bool = False) -> None:
        """Every line of the w x h block of cells at (x0, y0), each drawn whole."""
        ys, xs = np.arange(y0, y0 + h + 1), np.arange(x0, x0 + w + 1)
        starts = [*zip(*self.c.point(layer, np.full(len(ys), x0), ys)),
                  *zip(*self.c.point(layer, xs, np.full(len(xs), y0)))]
        ends = [*zip(*self.c.point(layer, np.full(len(ys), x0 + w), ys)),
                *zip(*self.c.point(layer, xs, np.full(len(xs), y0 + h)))]
        self.lines(starts, ends, width_px=style.THICK_PX, dashed=dashed)

    def edges(self, layer: str, solid: np.ndarray) -> None:
        """Solid lines on every edge of the cells ``solid`` ``(rows, cols)`` marks (row 0 at
        the bottom)."""
        edge = np.pad(solid, 1)
        ys, xs = np.nonzero(edge[:-1, 1:-1] | edge[1:, 1:-1])     # horizontal unit edges
        vy, vx = np.nonzero((edge[1:-1, :-1] | edge[1:-1, 1:]).T)   # vertical: (x, y)
        a = self.c.point(layer, np.r_[xs, vy], np.r_[ys, vx])
        b = self.c.point(layer, np.r_[xs + 1, vy], np.r_[ys, vx + 1])
        self.lines(np.stack(a, axis=-1), np.stack(b, axis=-1), width_px=style.THICK_PX)


def draw(spec: ConvSpec, index: int) -> Figure:
    """Frame ``index`` of the classic figure of ``spec`` as a matplotlib Figure."""
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
    real = g.kind[::-1] == INPUT                                    # row 0 at the bottom
    ys, xs = np.nonzero(real)
    pen.cells("input", xs, ys, style.INPUT)
    pen.edges("input", real)
    taps = [(col, rows - 1 - r) for r in step.rows for col in step.cols]
    pen.cells("input", *zip(*taps), style.KERNEL, style.KERNEL_ALPHA)
    x0, top = int(step.cols[0]), rows - int(step.rows[0])
    pen.grid("input", x0, top - span_h, span_w, span_h)
    orow, ocol = step.out
    ob = orows - 1 - orow
    bottom, right = top - span_h, x0 + span_w                     # the kernel's footprint
    pen.lines([c.point("input", *a) for a in [(x0, top), (right, top), (x0, bottom),
                                              (right, bottom)]],
              [c.point("output", *b) for b in [(ocol, ob + 1), (ocol + 1, ob + 1), (ocol, ob),
                                               (ocol + 1, ob)]],
              width_px=style.CONNECTOR_PX, colour=style.BLACK)
    oy, ox = np.mgrid[:orows, :ocols]
    pen.cells("output", ox.ravel(), oy.ravel(), style.OUTPUT)
    pen.cells("output", [ocol], [ob], style.KERNEL, style.KERNEL_ALPHA)
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
