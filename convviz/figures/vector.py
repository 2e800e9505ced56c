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
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..errors import ConvVizError
from ..geometry import INPUT, grid, layout
from ..ops.spec import ConvSpec
from . import style
from .sizing import Canvas, canvas, check_frame
from .style import Scheme
from .style import scheme as find_scheme

FORMATS = ("svg", "pdf", "png")
DPI = 150                               # the references' resolution: 1 px = 72/150 pt
PT_PER_PX = 72 / DPI
_PT = PT_PER_PX
TEXT_RC = {"svg.fonttype": "none", "pdf.fonttype": 42, "font.family": "DejaVu Sans",
           "svg.hashsalt": "convviz"}
"""Text stays text: ``<text>`` elements in SVG, embedded TrueType in PDF (searchable notes);
and stable element ids, so equal figures give equal bytes."""


class _Pen:
    """Draws on one Axes in pixel coordinates of a canvas. Shapes are gathered into batches
    (one collection each, drawn in the order batches are closed), so a large grid is a few
    artists rather than thousands."""

    def __init__(self, ax, c: Canvas) -> None:
        self.ax, self.c, self._z = ax, c, itertools.count()
        self._cells: dict = {}
        self._lines: dict = {}

    def cell(self, layer: str, x: int, y: int, colour: style.RGB, alpha: float = 1.0) -> None:
        """Fill grid cell ``(x, y)`` (y from the bottom) of "input" or "output"."""
        corners = [self.c.point(layer, x + dx, y + dy)
                   for dx, dy in ((0, 0), (1, 0), (1, 1), (0, 1))]
        self._cells.setdefault((colour, alpha), []).append(corners)

    def line(self, a: tuple[float, float], b: tuple[float, float], *, width_px: float,
             colour: style.RGB = style.LINE, dashed: bool = False) -> None:
        """A line between pixel points ``a`` and ``b``; dashes start at ``a``."""
        self._lines.setdefault((width_px, colour, dashed), []).append([a, b])

    def grid(self, layer: str, x0: int, y0: int, w: int, h: int, dashed: bool = False) -> None:
        """Every line of the w x h block of cells at (x0, y0), each drawn whole."""
        p = self.c.point
        for y in range(y0, y0 + h + 1):
            self.line(p(layer, x0, y), p(layer, x0 + w, y), width_px=style.THICK_PX,
                      dashed=dashed)
        for x in range(x0, x0 + w + 1):
            self.line(p(layer, x, y0), p(layer, x, y0 + h), width_px=style.THICK_PX,
                      dashed=dashed)

    def flush(self) -> None:
        """Draw what was gathered, cells under lines, above everything drawn before."""
        for (colour, alpha), polys in self._cells.items():
            self.ax.add_collection(PolyCollection(
                polys, facecolors=style.hex_colour(colour), alpha=alpha, edgecolors="none",
                linewidths=0, zorder=next(self._z)))
        for (width, colour, dashed), segments in self._lines.items():
            self.ax.add_collection(LineCollection(
                segments, colors=style.hex_colour(colour), linewidths=width * _PT,
                capstyle="butt", zorder=next(self._z),
                linestyles=[(0, (style.DASH_PX / width,) * 2)] if dashed else "solid"))
        self._cells, self._lines = {}, {}


def page(size: tuple[int, int]) -> tuple[Figure, object]:
    """A Figure ``size`` = ``(H, W)`` pixels big (at :data:`DPI`) and its one Axes, whose data
    coordinates are those pixels: x to the right, y down, no frame."""
    fig = Figure(figsize=(size[1] / DPI, size[0] / DPI), dpi=DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    pixel_axes(ax, size)
    return fig, ax


def pixel_axes(ax, size: tuple[int, int]) -> None:
    """Make ``ax``'s data coordinates the pixels of a ``(H, W)`` frame (y down), unframed."""
    ax.set_xlim(0, size[1])
    ax.set_ylim(size[0], 0)
    ax.set_aspect("equal")
    ax.set_axis_off()


def draw(spec: ConvSpec, index: int, scheme: str | Scheme = "default") -> Figure:
    """Frame ``index`` of the classic figure of ``spec`` as a matplotlib Figure."""
    fig, ax = page(canvas(grid(spec).shape, grid(spec).output_size).size)
    draw_classic(ax, spec, index, scheme)
    return fig


def draw_classic(ax, spec: ConvSpec, index: int, scheme: str | Scheme = "default",
                 unit_px: float | None = None) -> None:
    """Draw frame ``index`` of the classic figure of ``spec`` on ``ax`` (pixel coordinates:
    :func:`pixel_axes`), in the colours of ``scheme``."""
    colours = find_scheme(scheme)
    steps = layout(spec)
    check_frame(index, len(steps))
    g, step = grid(spec), steps[index]
    (rows, cols), (orows, ocols), (span_h, span_w) = g.shape, g.output_size, g.span
    c = canvas(g.shape, g.output_size, unit_px)
    pen = _Pen(ax, c)
    pen.grid("input", 0, 0, cols, rows, dashed=True)
    pen.flush()
    for y, x in zip(*np.nonzero(g.kind[::-1] == INPUT)):             # row 0 at the bottom
        pen.cell("input", x, y, colours.input)
        pen.grid("input", x, y, 1, 1)
    pen.flush()
    for r in step.rows:
        for col in step.cols:
            pen.cell("input", col, rows - 1 - r, colours.kernel, colours.kernel_alpha)
    x0, top = int(step.cols[0]), rows - int(step.rows[0])
    pen.grid("input", x0, top - span_h, span_w, span_h)
    pen.flush()
    orow, ocol = step.out
    ob = orows - 1 - orow
    bottom, right = top - span_h, x0 + span_w                     # the kernel's footprint
    for a, b in zip([(x0, top), (right, top), (x0, bottom), (right, bottom)],
                    [(ocol, ob + 1), (ocol + 1, ob + 1), (ocol, ob), (ocol + 1, ob)]):
        pen.line(c.point("input", *a), c.point("output", *b), width_px=style.CONNECTOR_PX,
                 colour=style.BLACK)
    pen.flush()
    for y in range(orows):
        for x in range(ocols):
            pen.cell("output", x, y, colours.output)
    pen.flush()
    pen.cell("output", ocol, ob, colours.kernel, colours.kernel_alpha)
    pen.grid("output", 0, 0, ocols, orows)
    pen.flush()


def figure_bytes(fig: Figure, fmt: str, dpi: int = DPI) -> bytes:
    """``fig`` as "svg", "pdf" or "png" bytes without a creation date (stable bytes); ``dpi``
    sets the resolution of a PNG (and of any image inside a PDF)."""
    if fmt not in FORMATS:
        raise ConvVizError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    buffer = io.BytesIO()
    metadata = {"svg": {"Date": None}, "pdf": {"CreationDate": None}, "png": {}}[fmt]
    with rc_context(TEXT_RC):
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata)
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


def annotated_page(figure, page, notes, index: int) -> Figure:
    """Frame ``index`` of ``figure`` with its notes around it, as laid out by
    :func:`convviz.figures.annotated.plan` (``page``): the title, the formula, the legend and
    the step's arithmetic as text; the figure as vector shapes where it has them, else its
    frame's pixels."""
    text_px, swatch_px = page.text_px, page.swatch_px
    (height, width), (x, y) = page.size, page.figure
    fig, ax = page_of((height, width))
    fh, fw = figure.size
    inset = fig.add_axes((x / width, 1 - (y + fh) / height, fw / width, fh / height))
    pixel_axes(inset, figure.size)
    if figure.vector:
        figure.draw_vector(inset, index)
    else:
        inset.imshow(figure.rgb(index), interpolation="nearest", extent=(0, fw, fh, 0))
    ink = style.hex_colour(style.LINE)
    for text, tx, ty, size, bold in page.header:
        ax.text(tx, ty, text, fontsize=size * PT_PER_PX, va="top", color=ink,
                fontweight="bold" if bold else "normal")
    for swatch, sx, sy in page.swatches:
        ax.add_patch(Rectangle((sx, sy + 2), swatch_px, swatch_px,
                               facecolor=style.hex_colour(swatch.rgb), edgecolor=ink,
                               linewidth=(2.2 if swatch.mark == "bold" else 0.8),
                               linestyle="--" if swatch.mark == "dashed" else "-"))
        ax.text(sx + swatch_px + 6, sy, swatch.label, fontsize=text_px * PT_PER_PX, va="top",
                color=ink)
    for i, line in enumerate(page.steps[index]):
        ax.text(page.margin_px, page.steps_y + i * round(1.4 * text_px), line, va="top",
                color=ink, fontsize=text_px * PT_PER_PX, fontweight="bold" if i == 0 else "normal")
    return fig


def page_of(size: tuple[int, int]) -> tuple[Figure, object]:
    """A white page ``size`` (H, W) pixels with one Axes in pixel coordinates, drawn behind
    anything added later."""
    fig, ax = page(size)
    ax.set_zorder(-1)
    return fig, ax
