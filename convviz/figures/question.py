"""The figures of exercises: the classic figure with the answer left out.

- :class:`SetupFigure` (style ``"setup"``) asks "what size is the output?": the input as
  drawn (padding, inserted zeros) and the kernel at its first position, one frame, no output
  map, on a canvas whose size does not depend on the output.
- :class:`CellsFigure` (style ``"cells"``) asks "which input cells does this output cell
  read?": the input and the output map, one frame per output cell with that cell marked,
  and no kernel or connectors. Its cells to point at are the classic figure's (same drawing,
  same outlines).

Both draw with :mod:`convviz.figures.classic`'s drawing, so an exercise looks like the figure
that answers it; both have vector stills (:func:`convviz.figures.vector.draw`).

>>> spec = ConvSpec(input_size=7, kernel_size=3, stride=2)
>>> SetupFigure(spec).size == SetupFigure(ConvSpec(input_size=7, kernel_size=3)).size
True
>>> CellsFigure(spec).frame_count, str(CellsFigure(spec).captions()[4])
(9, 'y[1,1]')
"""
from __future__ import annotations

import math

import numpy as np

from ..errors import ConvVizError
from ..geometry import grid, grid_shape, layout
from ..ops.spec import ConvSpec
from . import sizing
from .base import Caption, Figure, Swatch, Target
from .classic import ClassicFigure, drawing, legend, palette
from .sizing import canvas
from .targets import cell_name


def _check_single(spec: ConvSpec, kind: str) -> None:
    """An exercise figure draws one channel in and out (the classic figure's cap too)."""
    if spec.operation.channels or spec.in_channels > 1 or spec.out_channels > 1:
        raise ConvVizError(f"the {kind} figure draws one channel, got mode {spec.mode} with "
                           f"{spec.in_channels} -> {spec.out_channels} channels")
    sizing.check_grid(grid_shape(spec), sizing.MAX_GRID_CELLS, kind, "drawn grid")


class SetupFigure(Figure):
    """The input and the kernel at its first position; the output left out (one frame)."""

    kind = "setup"
    per = "figure"
    vector = True

    @classmethod
    def count(cls, spec: ConvSpec) -> int:
        return 1

    @classmethod
    def _check(cls, spec: ConvSpec) -> None:
        _check_single(spec, cls.kind)

    @property
    def _drawing(self):
        return drawing(self.spec, _unit(self.spec, self.scale, False), False)

    @property
    def palette(self) -> np.ndarray:
        return palette(self.scheme).colours

    @property
    def size(self) -> tuple[int, int]:
        return self._drawing.canvas.size

    def frame(self, index: int) -> np.ndarray:
        return self._drawing.compose(layout(self.spec)[self.check_frame(index)])

    def captions(self) -> tuple[Caption, ...]:
        return (Caption("the kernel at its first position; the output is left out"),)

    def legend(self) -> tuple[Swatch, ...]:
        return legend(self.scheme)[:3]

    def draw_vector(self, ax, index: int) -> None:
        from .vector import draw_classic  # matplotlib, imported only for vector stills

        draw_classic(ax, self.spec, self.check_frame(index), self.scheme,
                     self._drawing.canvas.unit_px, output=False)


class CellsFigure(Figure):
    """The input and the output map, one frame per output cell with it marked; no kernel."""

    kind = "cells"
    vector = True

    @classmethod
    def count(cls, spec: ConvSpec) -> int:
        return math.prod(spec.output_size)

    @classmethod
    def _check(cls, spec: ConvSpec) -> None:
        _check_single(spec, cls.kind)

    @property
    def palette(self) -> np.ndarray:
        return palette(self.scheme).colours

    @property
    def size(self) -> tuple[int, int]:
        return drawing(self.spec, _unit(self.spec, self.scale)).canvas.size

    def frame(self, index: int) -> np.ndarray:
        d = drawing(self.spec, _unit(self.spec, self.scale))
        return d.mark(d.base.copy(), layout(self.spec)[self.check_frame(index)].out)

    def captions(self) -> tuple[Caption, ...]:
        cols = self.spec.output_size[1]
        return tuple(Caption(cell_name("y", divmod(i, cols))) for i in range(self.frame_count))

    def legend(self) -> tuple[Swatch, ...]:
        swatches = legend(self.scheme)
        return swatches[:2] + (Swatch(self.scheme.output, "output"),
                               Swatch(swatches[4].rgb, "the output cell asked about", "bold"))

    def targets(self) -> tuple[Target, ...]:
        return ClassicFigure(self.spec, max_frames=self.frame_count).targets()

    def draw_vector(self, ax, index: int) -> None:
        from .vector import draw_classic  # matplotlib, imported only for vector stills

        draw_classic(ax, self.spec, self.check_frame(index), self.scheme,
                     drawing(self.spec, _unit(self.spec, self.scale)).canvas.unit_px,
                     kernel=False)


def _unit(spec: ConvSpec, scale: float, output: bool = True) -> float | None:
    """The grid unit of an exercise figure drawn ``scale`` times its size (None: as on
    screen)."""
    if scale == 1.0:
        return None
    g = grid(spec)
    return canvas(g.shape, g.output_size if output else (0, 0)).unit_px * scale
