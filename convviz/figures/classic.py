"""The classic conv_arithmetic figure of a one-channel spec, as frames.

Blue input grid in oblique projection (white dashed padding and inserted zeros), the
translucent kernel, the cyan output above, thin connectors; one frame per output cell,
row-major. What never changes is rasterised once (:mod:`convviz.figures.raster`); each frame
recomputes only the kernel's window, the four connectors and the current output cell, as
palette indices. Frames are byte-identical for the same spec. The measured geometry is in
``docs/style.md``.

>>> fig = ClassicFigure(ConvSpec(input_size=5, kernel_size=3, stride=2, padding=1))
>>> fig.frame_count, fig.size
(9, (381, 395))
"""
from __future__ import annotations

import math
from functools import lru_cache, partial

import numpy as np

from ..geometry import INPUT, Step, grid, grid_shape, layout
from ..ops.spec import ConvSpec
from . import raster, sizing, style
from .arithmetic import step_captions
from .base import Caption, Figure, Swatch, Target
from .palettes import Palette
from .sizing import canvas
from .style import Scheme
from .targets import build, cell_name, drawn_inputs, fits, parallelogram

# fills of the classic figure (by role); the kernel-shaded version of fill f is f + _SHADE
WHITE, BLUE, CYAN = 0, 1, 2
_SHADE = 3


@lru_cache(maxsize=4)
def palette(scheme: Scheme) -> Palette:
    """The classic figure's colour table in ``scheme``: background, input, output, then each
    under the kernel. Frames index it by role, so a scheme changes colours, never indices."""
    fills = [scheme.background, scheme.input, scheme.output]
    return Palette(fills + [scheme.shade(f) for f in fills])


_PALETTE = palette(style.SCHEMES["default"])           # the structure frames are built on
COLOURS = _PALETTE.colours
"""``(P, 3)`` uint8: the colours the classic frames (and the exercise figures) index, in the
conv_arithmetic scheme."""


class _Drawing:
    """Everything about one spec's figure that frames share; without ``output``, the input
    alone on a canvas that does not depend on the output (an exercise's figure)."""

    def __init__(self, spec: ConvSpec, unit_px: float | None, output: bool = True) -> None:
        g = grid(spec)
        self.rows, self.cols = g.shape
        self.out_rows, self.out_cols = g.output_size
        self.span = g.span
        self.canvas = c = canvas(g.shape, g.output_size if output else (0, 0), unit_px)
        kind = g.kind[::-1]                                       # row 0 at the bottom
        self.inp = raster.grid_pixels(self.rows, self.cols, c.input_origin, c.unit_px, c.size)
        self.style_h, self.style_v = raster.segment_styles(kind == INPUT)
        cell_fill = np.append(np.where(kind == INPUT, BLUE, WHITE).reshape(-1), WHITE)
        self.inp_fill = cell_fill.astype(np.uint8)[self.inp.cell]     # -1 -> the last: white
        base = np.zeros(c.size, dtype=np.uint8)
        self._paste(base, self.inp, _PALETTE.index(self.inp_fill,
                                                    self.inp.ink(self.style_h, self.style_v)))
        self.out_opaque = np.zeros(c.size, dtype=bool)
        self.base, self.out, self.out_idx = base, None, None
        if output:
            self._add_output(c)

    def _add_output(self, c) -> None:
        """The output map, drawn over the base, opaque where it hides what lies under it."""
        self.out = raster.grid_pixels(self.out_rows, self.out_cols, c.output_origin,
                                      c.unit_px, c.size, dashes=False)
        out_fill = np.where(self.out.cell >= 0, CYAN, WHITE).astype(np.uint8)
        solid = raster.segment_styles(np.ones((self.out_rows, self.out_cols), bool))
        self.out_idx = out_idx = _PALETTE.index(out_fill, self.out.ink(*solid))
        y0, y1, x0, x1 = self.out.box
        self.out_opaque[y0:y1, x0:x1] = (self.out.cell >= 0) | (out_idx != 0)
        self.base[y0:y1, x0:x1] = np.where(self.out_opaque[y0:y1, x0:x1], out_idx,
                                           self.base[y0:y1, x0:x1])

    @staticmethod
    def _paste(target: np.ndarray, layer: raster.GridPixels, idx: np.ndarray) -> None:
        y0, y1, x0, x1 = layer.box
        target[y0:y1, x0:x1] = idx

    def _window(self, layer: raster.GridPixels, corners: list[tuple[float, float]]):
        """Slices of ``layer.box`` around pixel ``corners`` (plus the anti-aliasing)."""
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        y0, y1, x0, x1 = layer.box
        wy0, wy1 = max(int(min(ys)) - 3, y0), min(int(max(ys)) + 4, y1)
        wx0, wx1 = max(int(min(xs)) - 3, x0), min(int(max(xs)) + 4, x1)
        # an empty window where the corners lie outside the box (never a negative stop)
        return slice(wy0 - y0, max(wy1, wy0) - y0), slice(wx0 - x0, max(wx1, wx0) - x0)

    def compose(self, step: Step, marked: tuple[int, int] | None = None) -> np.ndarray:
        """Palette indices of the frame for ``step``, shape (H, W): the kernel (grid cell
        ``marked``, row from the top, if given, in the current output cell's colour: max
        pooling's winner), and where there is an output, the connectors and the current
        output cell."""
        frame = self.base.copy()
        corners = self._kernel(frame, step, marked)
        if self.out is None:
            return frame
        # connectors from the footprint's corners to the output cell's, under the output
        orow, ocol = step.out
        obottom = self.out_rows - 1 - orow
        targets = [(ocol, obottom + 1), (ocol + 1, obottom + 1), (ocol, obottom),
                   (ocol + 1, obottom)]
        r, c, level = raster.segment_pixels(
            np.array([self.canvas.point("input", *p) for p in corners]),
            np.array([self.canvas.point("output", *p) for p in targets]),
            style.CONNECTOR_PX, self.canvas.size)
        keep = ~self.out_opaque[r, c]
        r, c, level = r[keep], c[keep], level[keep]
        frame[r, c] = _PALETTE.with_black(frame[r, c], level)
        return self.mark(frame, step.out)

    def _kernel(self, frame: np.ndarray, step: Step,
                marked: tuple[int, int] | None = None) -> list[tuple[int, int]]:
        """Draw ``step``'s kernel on ``frame`` (shaded taps, a solid grid over its whole
        footprint, ``marked`` as in :meth:`compose`; under the output map); return the
        footprint's corners in grid units."""
        (span_h, span_w), rows = self.span, self.rows
        r0, c0 = int(step.rows[0]), int(step.cols[0])
        bottom, top = rows - r0 - span_h, rows - r0                       # footprint, y from below
        corners = [(c0, top), (c0 + span_w, top), (c0, bottom), (c0 + span_w, bottom)]
        shaded = np.zeros(rows * self.cols + 1, dtype=np.uint8)
        shaded[((rows - 1 - step.rows)[:, None] * self.cols + step.cols[None, :]).ravel()] = 1
        style_h, style_v = self.style_h.copy(), self.style_v.copy()
        style_h[bottom:top + 1, c0:c0 + span_w] = raster.SOLID
        style_v[c0:c0 + span_w + 1, bottom:top] = raster.SOLID
        win = self._window(self.inp, [self.canvas.point("input", *p) for p in corners])
        fill = self.inp_fill[win] + _SHADE * shaded[self.inp.cell[win]]
        if marked is not None:
            fill[self.inp.cell[win] == (rows - 1 - marked[0]) * self.cols + marked[1]] = \
                CYAN + _SHADE
        y0, _, x0, _ = self.inp.box
        kernel = _PALETTE.index(fill, self.inp.ink(style_h, style_v, win))
        region = frame[y0:, x0:][win]                      # the base: output map included
        region[...] = np.where(self.out_opaque[y0:, x0:][win], region, kernel)  # map on top
        return corners

    def mark(self, frame: np.ndarray, cell: tuple[int, int]) -> np.ndarray:
        """Shade output cell ``(row, col)`` (row from the top) on ``frame``; return it."""
        orow, ocol = cell
        obottom = self.out_rows - 1 - orow
        corners = [(ocol, obottom + 1), (ocol + 1, obottom + 1), (ocol, obottom),
                   (ocol + 1, obottom)]
        win = self._window(self.out, [self.canvas.point("output", *p) for p in corners])
        current = self.out.cell[win] == obottom * self.out_cols + ocol
        y0, _, x0, _ = self.out.box
        region = frame[y0:, x0:][win]
        region[current] = self.out_idx[win][current] + _SHADE * raster.LEVELS
        return frame


@lru_cache(maxsize=4)
def drawing(spec: ConvSpec, unit_px: float | None, output: bool = True) -> _Drawing:
    return _Drawing(spec, unit_px, output)


def legend(scheme: Scheme) -> tuple[Swatch, ...]:
    """What the classic figure's colours (and outlines) mean in ``scheme``."""
    return (Swatch(scheme.input, "input"),
            Swatch(scheme.background, "padding / inserted zeros", "dashed"),
            Swatch(scheme.shade(scheme.background), "kernel", "bold"),
            Swatch(scheme.output, "output"),
            Swatch(scheme.current, "this step's output", "bold"))


LEGEND = legend(style.SCHEMES["default"])
"""What the classic figure's colours mean, in the conv_arithmetic colours."""


class ClassicFigure(Figure):
    """The conv_arithmetic figure of a one-channel spec: one frame per output cell."""

    kind = "classic"
    vector = True

    def __init__(self, spec: ConvSpec, numbers=None, *, max_frames: int = sizing.MAX_FRAMES,
                 unit_px: float | None = None, scheme: str | Scheme = "default",
                 scale: float = 1.0) -> None:
        super().__init__(spec, numbers, max_frames=max_frames, scheme=scheme)
        if unit_px is None and sizing.check_scale(scale) != 1.0:
            g = grid(spec)
            unit_px = canvas(g.shape, g.output_size).unit_px * scale
        self.unit_px = unit_px
        self._drawing = drawing(spec, unit_px)
        self._steps = layout(spec)

    @classmethod
    def count(cls, spec: ConvSpec) -> int:
        return math.prod(spec.output_size)

    @classmethod
    def _check(cls, spec: ConvSpec) -> None:
        sizing.check_grid(grid_shape(spec), sizing.MAX_GRID_CELLS, "classic", "drawn grid")

    @property
    def palette(self) -> np.ndarray:
        return palette(self.scheme).colours

    @property
    def size(self) -> tuple[int, int]:
        return self._drawing.canvas.size

    def frame(self, index: int) -> np.ndarray:
        return self._drawing.compose(self._steps[self.check_frame(index)])

    def captions(self) -> tuple[Caption, ...]:
        return step_captions(self.spec, self.numbers)

    def legend(self) -> tuple[Swatch, ...]:
        return legend(self.scheme)

    def targets(self) -> tuple[Target, ...]:
        """Every drawn input cell and output cell, outlined where :meth:`frame` draws them."""
        if not fits((self.spec,)):
            return ()
        c, d = self._drawing.canvas, self._drawing
        inp = parallelogram(partial(c.point, "input"), d.rows)
        out = parallelogram(partial(c.point, "output"), d.out_rows)
        outlines = {cell_name("x", cell): inp(*at) for cell, at in drawn_inputs(self.spec)}
        outlines.update((cell_name("y", cell), out(*cell))
                        for cell in np.ndindex(*self.spec.output_size))
        return build((self.spec,), outlines)

    def draw_vector(self, ax, index: int) -> None:
        from .vector import draw_classic  # matplotlib, imported only for vector stills

        draw_classic(ax, self.spec, self.check_frame(index), self.scheme,
                     self._drawing.canvas.unit_px)

    def cell_pixel(self, layer: str, row: int, col: int, *, dx: float = 0.5,
                   dy: float = 0.5) -> tuple[int, int]:
        """Pixel ``(y, x)`` inside cell ``(row, col)`` (row from the top) of the "input"
        (drawn) grid or the "output" map, at fraction ``(dx, dy)`` of the cell (default its
        centre)."""
        d = self._drawing
        rows = d.rows if layer == "input" else d.out_rows
        x, y = d.canvas.point(layer, col + dx, rows - row - 1 + (1 - dy))
        return int(y), int(x)
