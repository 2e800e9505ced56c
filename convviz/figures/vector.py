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
from matplotlib.patches import PathPatch, Polygon, Rectangle
from matplotlib.path import Path

from ..errors import ConvVizError
from ..geometry import INPUT, grid, layout
from ..ops.spec import ConvSpec
from . import style
from .palettes import ink
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
    (one compound path each, drawn in the order batches are closed), so a large grid is a few
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
        """Draw what was gathered, cells under lines, above everything drawn before: each
        batch one compound path (its shapes as subpaths), so a 160 x 160 grid is a handful of
        shapes in the file rather than one per cell."""
        for (colour, alpha), polys in self._cells.items():
            vertices = np.asarray(polys, float)                          # (P, 4, 2)
            codes = np.tile([Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO], len(polys))
            self.ax.add_artist(PathPatch(
                Path(vertices.reshape(-1, 2), codes), facecolor=style.hex_colour(colour),
                alpha=alpha, edgecolor="none", linewidth=0, zorder=next(self._z)))
        for (width, colour, dashed), segments in self._lines.items():
            vertices = np.asarray(segments, float)                       # (L, 2, 2)
            codes = np.tile([Path.MOVETO, Path.LINETO], len(segments))
            self.ax.add_artist(PathPatch(
                Path(vertices.reshape(-1, 2), codes), fill=False, zorder=next(self._z),
                edgecolor=style.hex_colour(colour), linewidth=width * _PT, capstyle="butt",
                linestyle=(0, (style.DASH_PX / width,) * 2) if dashed else "solid"))
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


def draw(spec: ConvSpec, index: int, scheme: str | Scheme = "default",
         marked: tuple[int, int] | None = None, *, kernel: bool = True,
         output: bool = True) -> Figure:
    """Frame ``index`` of the classic figure of ``spec`` as a matplotlib Figure (see
    :func:`draw_classic`)."""
    g = grid(spec)
    fig, ax = page(canvas(g.shape, g.output_size if output else (0, 0)).size)
    draw_classic(ax, spec, index, scheme, marked=marked, kernel=kernel, output=output)
    return fig


def draw_classic(ax, spec: ConvSpec, index: int, scheme: str | Scheme = "default",
                 unit_px: float | None = None, marked: tuple[int, int] | None = None, *,
                 kernel: bool = True, output: bool = True) -> None:
    """Draw frame ``index`` of the classic figure of ``spec`` on ``ax`` (pixel coordinates:
    :func:`pixel_axes`), in the colours of ``scheme``; grid cell ``marked`` (row from the
    top; max pooling's winner), if given, in the current output cell's colour. Without
    ``kernel``, its output cell marked and no kernel (or connectors); without ``output``,
    the input alone, on a page that does not depend on the output (an exercise's figures,
    :mod:`convviz.figures.question`)."""
    colours = find_scheme(scheme)
    steps = layout(spec)
    check_frame(index, len(steps))
    g, step = grid(spec), steps[index]
    (rows, cols), (orows, ocols) = g.shape, g.output_size
    pen = _Pen(ax, canvas(g.shape, g.output_size if output else (0, 0), unit_px))
    pen.grid("input", 0, 0, cols, rows, dashed=True)
    pen.flush()
    for y, x in zip(*np.nonzero(g.kind[::-1] == INPUT)):             # row 0 at the bottom
        pen.cell("input", x, y, colours.input)
        pen.grid("input", x, y, 1, 1)
    pen.flush()
    if kernel:
        _kernel(pen, g, step, marked, output, colours)
    if output:
        orow, ocol = step.out
        for y in range(orows):
            for x in range(ocols):
                pen.cell("output", x, y, colours.output)
        pen.flush()
        pen.cell("output", ocol, orows - 1 - orow, colours.kernel, colours.kernel_alpha)
        pen.grid("output", 0, 0, ocols, orows)
        pen.flush()


def _kernel(pen: _Pen, g, step, marked: tuple[int, int] | None, connectors: bool,
            colours: Scheme) -> None:
    """The kernel's taps (``marked`` as in :func:`draw_classic`), the grid over its
    footprint and (to the output) the connectors."""
    rows, (span_h, span_w), c = g.shape[0], g.span, pen.c
    for r in step.rows:
        for col in step.cols:
            pen.cell("input", col, rows - 1 - r, colours.kernel, colours.kernel_alpha)
    if marked is not None:                          # max pooling's winner, opaque
        pen.cell("input", marked[1], rows - 1 - marked[0], colours.current)
    x0, top = int(step.cols[0]), rows - int(step.rows[0])
    pen.grid("input", x0, top - span_h, span_w, span_h)
    pen.flush()
    if not connectors:
        return
    orow, ocol = step.out
    ob = g.output_size[0] - 1 - orow
    bottom, right = top - span_h, x0 + span_w                     # the kernel's footprint
    for a, b in zip([(x0, top), (right, top), (x0, bottom), (right, bottom)],
                    [(ocol, ob + 1), (ocol + 1, ob + 1), (ocol, ob), (ocol + 1, ob)]):
        pen.line(c.point("input", *a), c.point("output", *b), width_px=style.CONNECTOR_PX,
                 colour=style.BLACK)
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


def draw_strip(figure, index: int) -> Figure:
    """Frame ``index`` of a 1-D strip figure (:class:`~convviz.figures.strip.StripFigure`) as
    vector shapes: its cells, numbers, dashed padding, window frame and connectors, where its
    raster frame draws them (:meth:`~convviz.figures.strip.StripFigure.shown`)."""
    fig, ax = page(figure.size)
    draw_strip_on(ax, figure, index)
    return fig


def draw_strip_on(ax, figure, index: int) -> None:
    """:func:`draw_strip` on Axes ``ax`` in the strip's pixel coordinates."""
    shown, cell = figure.shown(index), figure.cell_px
    pen, line_px = _Pen(ax, None), max(2, round(cell / 24))
    for panel, cells, solid in ((figure.input, shown.inputs, shown.real),
                                (figure.output, shown.outputs, shown.output_solid)):
        for c, (fill, text, *sub) in enumerate(cells):
            x0, y0 = panel.x0 + c * cell, panel.y0
            ax.add_patch(Polygon([(x0, y0), (x0 + cell, y0), (x0 + cell, y0 + cell),
                                  (x0, y0 + cell)], closed=True, facecolor=style.hex_colour(fill),
                                 edgecolor="none", zorder=next(pen._z)))
            _numbers(ax, pen, (x0, y0), cell, fill, text, sub[0] if sub else "")
        _row_lines(pen, (panel.x0, panel.y0), cell, solid, line_px)
    first, last = shown.window
    for panel, left, right in ((figure.input, first, last + 1),
                               (figure.output, shown.out, shown.out + 1)):
        x0, x1, y0, y1 = (panel.x0 + left * cell, panel.x0 + right * cell, panel.y0,
                          panel.y0 + cell)
        for a, b in (((x0, y0), (x1, y0)), ((x1, y0), (x1, y1)), ((x1, y1), (x0, y1)),
                     ((x0, y1), (x0, y0))):
            pen.line(a, b, width_px=line_px)
    for x, y, text, anchor in figure.labels:
        ax.text(x, y, text, ha="center", va="top" if anchor == "mt" else "bottom",
                fontsize=figure.label_px * _PT, color=style.hex_colour(style.LINE))
    for x_in, x_out in ((first, shown.out), (last + 1, shown.out + 1)):
        pen.line((figure.input.x0 + x_in * cell, figure.input.y0),
                 (figure.output.x0 + x_out * cell, figure.output.y0 + cell),
                 width_px=max(1.0, cell / 48), colour=style.LINE)
    pen.flush()                                        # the lines, above the cells


def _row_lines(pen: _Pen, corner: tuple[float, float], cell: float, solid: tuple[bool, ...],
               line_px: float) -> None:
    """The grid lines of a row of cells from ``corner``: solid around the cells marked
    ``solid`` (real input, computed output), dashed elsewhere, as the raster frames draw them."""
    x0, y0 = corner
    for c, is_solid in enumerate(solid):              # each cell's top and bottom edges
        for y in (y0, y0 + cell):
            pen.line((x0 + c * cell, y), (x0 + (c + 1) * cell, y), width_px=line_px,
                     dashed=not is_solid)
    for c in range(len(solid) + 1):                   # solid beside a solid cell
        beside = [solid[i] for i in (c - 1, c) if 0 <= i < len(solid)]
        pen.line((x0 + c * cell, y0), (x0 + c * cell, y0 + cell), width_px=line_px,
                 dashed=not any(beside))


def _numbers(ax, pen: _Pen, corner: tuple[float, float], cell: float, fill: style.RGB,
             text: str, sub: str) -> None:
    """A cell's number (centred) and small bold weight (bottom right), in the colour that
    reads on ``fill`` (:func:`~convviz.figures.palettes.ink`)."""
    colour = style.hex_colour(ink(fill))
    x0, y0 = corner
    if text:
        ax.text(x0 + cell / 2, y0 + cell * (0.42 if sub else 0.5), text, ha="center",
                va="center", fontsize=0.4 * cell * _PT, color=colour, zorder=next(pen._z))
    if sub:
        ax.text(x0 + cell * 0.92, y0 + cell * 0.92, sub, ha="right", va="bottom",
                fontsize=0.27 * cell * _PT, fontweight="bold", color=colour,
                zorder=next(pen._z))
