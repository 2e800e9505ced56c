"""Numerical figures: the values in the cells and each step's arithmetic (one channel).

Flat square cells as in the conv_arithmetic report's numerical figures, a caption below each
grid, columns left to right:

- :class:`SlideFigure` (one frame per output cell, row-major): the drawn input grid on the
  left (input cells blue; padding and inserted zeros white with dashed edges; for a transposed
  spec the conv_arithmetic picture of :mod:`convviz.geometry`: zeros inserted, actual padding,
  flipped kernel), the output on the right. The kernel is the translucent dark overlay with its
  weights as small bold numbers in the cells' bottom-right corners. Output values appear as
  they are computed; the current one is highlighted.
- :class:`ScatterFigure` (transposed specs; one frame per input cell, row-major): input ``x``
  with kernel ``w`` below it, the output ``y`` as a running sum, and the count map. The current
  input cell and the output cells it stamps are highlighted; a stamped cell shows its new
  running sum, with what was just added (``+6``) small below it. The count map shows how many
  products each output cell has received *so far* (white: none; violet: the most), so its last
  frame is :func:`~convviz.figures.arithmetic.overlap_counts`: a checkerboard when k is not a
  multiple of s.

At most :data:`~convviz.figures.sizing.MAX_NUMBER_CELLS` cells per side, so that numbers stay
readable. Frames are palette indices composed from a base image drawn once
(:mod:`convviz.figures.cells`); equal figures give byte-identical frames.

>>> fig = SlideFigure(ConvSpec(input_size=4), Numbers(kernel="sobel_x", input=
...                   "1,2,3,4;5,6,7,8;0,1,0,1;2,2,2,2"))
>>> fig.frame_count, str(fig.captions()[1])
(4, 'y[0,1] = 2·(−1) + 3·0 + 4·1 + 6·(−2) + 7·0 + 8·2 + 1·(−1) + 0·0 + 1·1 = 6')
"""
from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator
from typing import ClassVar

import numpy as np

from ..errors import ConvVizError
from ..geometry import INPUT, OUTSIDE, grid_shape
from ..ops.args import check_int
from ..ops.spec import ConvSpec
from ..sample import Numbers
from ..text import format_number
from . import sizing
from .arithmetic import (
    Slide,
    check_writable,
    overlap_counts,
    scatter_equation,
    scatter_sums,
    slide,
    step_equation,
)
from .base import Caption, Figure, Target
from .cells import CellPainter, FigureLayout, arrange, numbers_of, readable_cell_px, signed
from .palettes import TextPalette, counted, scatter_fills, slide_fills
from .style import Scheme
from .surface import Raster, Scene
from .targets import build, cell_name, drawn_inputs, fits, rectangle

CELL_PX = (24, 128)
"""The range of ``cell_px`` a numerical figure accepts."""


def _every(array: np.ndarray) -> set[str]:
    return {format_number(v) for v in array.ravel().tolist()}


def _fits(size: tuple[int, int], what: str) -> None:
    sizing.check_grid(size, sizing.MAX_NUMBER_CELLS, "numbers", what)


class _NumbersFigure(Figure):
    """What both numerical figures share: the checks, the numbers, the layout, the frames."""

    sweep: ClassVar[str] = "slide"
    columns: list  # per subclass: [[(panel name, shape, caption), ...], ...] of a Slide

    vector = True

    def __init__(self, spec: ConvSpec, numbers: Numbers | None = None, *,
                 max_frames: int = sizing.MAX_FRAMES, cell_px: int | None = None,
                 scheme: str | Scheme = "default", scale: float = 1.0) -> None:
        super().__init__(spec, numbers, max_frames=max_frames, scheme=scheme)
        self.data = slide(spec, self.numbers)
        shown = self._shown()
        if cell_px is None:
            side = max(max(shape) for column in self._columns() for _, shape, _ in column)
            cell_px = min(round(readable_cell_px(64 if side <= 6 else 48 if side <= 10 else 40,
                                                 shown.values()) * sizing.check_scale(scale)),
                          CELL_PX[1])
            while cell_px > CELL_PX[0] and max(arrange(self._columns(), cell_px)[:2]) > \
                    sizing.MAX_NUMBERS_SIDE_PX:      # wide numbers: smaller text, not pixels
                cell_px -= 8
        self.cell_px = check_int(cell_px, "cell_px", *CELL_PX)
        width, height, self.panels = arrange(self._columns(), self.cell_px)
        self.layout = FigureLayout(width, height, **self.panels)
        self._palette = TextPalette(self._fills())
        self.painters = {name: CellPainter(self.panels[name], self._palette, *shown[name])
                         for name in self.panels}

    @classmethod
    def _check(cls, spec: ConvSpec) -> None:
        if spec.in_channels != 1 or spec.out_channels != 1:
            raise ConvVizError(f"the numbers style shows one channel: in_channels and "
                               f"out_channels must be 1, got {spec.in_channels} and "
                               f"{spec.out_channels}")
        if spec.operation.stages:
            raise ConvVizError(f"mode {spec.mode!r} is {len(spec.operation.stages)} "
                               f"convolutions and the numbers style shows one: use mode "
                               f"'conv' or 'depthwise'")
        check_writable(spec)

    def _columns(self) -> list:
        raise NotImplementedError

    def _shown(self) -> dict[str, tuple[set[str], set[str]]]:
        raise NotImplementedError

    def _fills(self) -> list:
        raise NotImplementedError

    def _frames(self, start: int, surface) -> Iterator:
        raise NotImplementedError

    @property
    def palette(self) -> np.ndarray:
        return self._palette.colours

    @property
    def size(self) -> tuple[int, int]:
        return self.layout.height, self.layout.width

    def _raster(self) -> Raster:
        return Raster(self.size, self.panels, self.painters, self._palette)

    def frames(self) -> Iterator[np.ndarray]:
        return self._frames(0, self._raster())

    def frame(self, index: int) -> np.ndarray:
        return next(self._frames(self.check_frame(index), self._raster()))

    def scene(self, index: int) -> Scene:
        """Frame ``index`` as a :class:`~convviz.figures.surface.Scene` (what it draws)."""
        return next(self._frames(self.check_frame(index), Scene(self.panels)))

    def draw_vector(self, ax, index: int) -> None:
        from .cellvector import draw_scene  # matplotlib, imported only for vector stills

        draw_scene(ax, self.scene(index), self.painters)

    def _inputs(self) -> Iterable[tuple[tuple[int, int], tuple[int, int]]]:
        """``(input cell, where its panel draws it)`` of every drawn input cell."""
        return drawn_inputs(self.spec)

    def targets(self) -> tuple[Target, ...]:
        """The cells of the input and output panels, where :meth:`frame` draws them."""
        if not fits((self.spec,)):
            return ()
        outputs = ((cell, cell) for cell in np.ndindex(*self.spec.output_size))
        outlines = {}
        for prefix, panel, cells in (("x", self.layout.input, self._inputs()),
                                     ("y", self.layout.output, outputs)):
            outlines.update((cell_name(prefix, cell),
                             rectangle(panel.x0, panel.y0, *at, panel.cell_px))
                            for cell, at in cells)
        return build((self.spec,), outlines, scatter=self.sweep == "scatter")


class SlideFigure(_NumbersFigure):
    """The sliding window with the values in the cells: one frame per output cell."""

    kind = "numbers"

    @classmethod
    def count(cls, spec: ConvSpec) -> int:
        return math.prod(spec.output_size)

    @classmethod
    def _check(cls, spec: ConvSpec) -> None:
        super()._check(spec)
        _fits(grid_shape(spec), "drawn grid")

    def _columns(self) -> list:
        data = self.data
        what = "x, zeros inserted (small: w flipped)" if data.spec.transposed else \
            "input x (small: kernel w)"
        return [[("input", data.grid.shape, what)], [("output", data.output.shape, "output y")]]

    def _shown(self) -> dict[str, tuple[set[str], set[str]]]:
        taps = set() if self.data.taps is None else _every(self.data.taps)
        return {"input": (_every(self.data.grid), taps),
                "output": (_every(self.data.output), set())}

    def _fills(self) -> list:
        return slide_fills(self.scheme)

    def _frames(self, start: int, surface) -> Iterator:
        return slide_frames(self.data, surface, start, self.scheme)

    def captions(self) -> tuple[Caption, ...]:
        return tuple(step_equation(self.data, i) for i in range(self.frame_count))


class ScatterFigure(_NumbersFigure):
    """A transposed convolution as PyTorch computes it: one frame per input cell, stamping
    its value times the kernel onto the output."""

    kind = "scatter"
    per = "input cell"
    sweep = "scatter"

    @classmethod
    def count(cls, spec: ConvSpec) -> int:
        return math.prod(spec.input_size)

    @classmethod
    def _check(cls, spec: ConvSpec) -> None:
        if not spec.transposed:
            raise ConvVizError(f"the scatter view is for transposed convolutions: mode must be "
                               f"'transposed', got {spec.mode!r}")
        super()._check(spec)

    def _inputs(self) -> Iterable[tuple[tuple[int, int], tuple[int, int]]]:
        return ((cell, cell) for cell in np.ndindex(*self.spec.input_size))

    def _columns(self) -> list:
        data = self.data
        return [[("input", data.x.shape, "input x"), ("kernel", data.weight.shape, "kernel w")],
                [("output", data.output.shape, "output y (running sum)")],
                [("overlaps", data.output.shape, "contributions so far")]]

    def _peak(self) -> int:
        return int(overlap_counts(self.spec).max())

    def _shown(self) -> dict[str, tuple[set[str], set[str]]]:
        sums, adds = set(), set()
        for state in scatter_sums(self.data):
            sums.update(format_number(v) for v in state.y[tuple(state.step.out.T)].tolist())
            adds.update(signed(v) for v in state.added.tolist())
        return {"input": (_every(self.data.x), set()),
                "kernel": (_every(self.data.weight), set()), "output": (sums, adds),
                "overlaps": ({str(c) for c in range(self._peak() + 1)}, set())}

    def _fills(self) -> list:
        return scatter_fills(self._peak(), self.scheme)

    def _frames(self, start: int, surface) -> Iterator:
        return scatter_frames(self.data, scatter_sums(self.data), self._peak(), surface, start,
                              self.scheme)

    def captions(self) -> tuple[Caption, ...]:
        return tuple(scatter_equation(self.data, i) for i in range(self.frame_count))


def slide_frames(figure: Slide, surface, start: int, scheme: Scheme,
                 marks: tuple | None = None) -> Iterator:
    """Frames ``start``.. of the sliding-window view of a ``Slide``, drawn on ``surface`` (a
    :class:`~convviz.figures.surface.Raster` or :class:`~convviz.figures.surface.Scene`).
    Pooling has no taps to write; ``marks`` (max pooling) give each step's winning cell,
    drawn in the current output colour; cells past the padding stay blank."""
    grid_text, out_text = numbers_of(figure.grid), numbers_of(figure.output)
    for r, c in zip(*np.nonzero(figure.kind == OUTSIDE)):
        grid_text[r][c] = ""
    tap_text = None if figure.taps is None else numbers_of(figure.taps)
    real = figure.kind == INPUT                                      # (GH, GW)
    for (r, c), is_input in np.ndenumerate(real):
        surface.paste("input", r, c, scheme.input if is_input else scheme.background,
                      grid_text[r][c])
    surface.fill("output", scheme.output)
    surface.lines("input", real)
    surface.lines("output")
    shaded = {True: scheme.shade(scheme.input), False: scheme.shade(scheme.background)}
    for step in figure.steps:
        (r, c) = step.out
        if step.index >= start:
            frame = surface.copy()
            for (i, tr), (j, tc) in itertools.product(enumerate(step.rows),
                                                      enumerate(step.cols)):
                frame.paste("input", tr, tc, shaded[bool(real[tr, tc])], grid_text[tr][tc],
                            tap_text[i][j] if tap_text else "")
            if marks and marks[step.index] is not None:
                (mr, mc) = marks[step.index]
                frame.paste("input", mr, mc, scheme.current, grid_text[mr][mc])
            frame.box("input", range(step.rows[0], step.rows[-1] + 1),
                      range(step.cols[0], step.cols[-1] + 1))
            frame.paste("output", r, c, scheme.current, out_text[r][c])
            yield frame.result()
        surface.paste("output", r, c, scheme.output, out_text[r][c])


def scatter_frames(figure: Slide, states: Iterable, peak: int, surface, start: int,
                   scheme: Scheme) -> Iterator:
    """Frames ``start``.. of the scatter view of a ``Slide`` on ``surface``, from its
    ``states`` (``ScatterSum``) and the most contributions any output cell gets (``peak``)."""
    x_text = numbers_of(figure.x)
    fills = [counted(c, peak, scheme) for c in range(peak + 1)]
    surface.fill("input", scheme.input, x_text)
    surface.fill("kernel", scheme.shade(scheme.background), numbers_of(figure.weight))
    surface.fill("output", scheme.output)
    surface.fill("overlaps", fills[0])
    for panel in ("input", "kernel", "output", "overlaps"):
        surface.lines(panel)
    for step, added, y, counts in states:
        cells = step.out.tolist()
        if step.index >= start:
            frame = surface.copy()
            (r, c) = step.source
            frame.paste("input", r, c, scheme.shade(scheme.input), x_text[r][c])
            for (r, c), add in zip(cells, added.tolist()):
                frame.paste("output", r, c, scheme.current, format_number(y[r, c]), signed(add))
                frame.paste("overlaps", r, c, scheme.shade(fills[counts[r, c]]),
                            str(counts[r, c]))
            yield frame.result()
        for r, c in cells:
            surface.paste("output", r, c, scheme.output, format_number(y[r, c]))
            surface.paste("overlaps", r, c, fills[counts[r, c]], str(counts[r, c]))
