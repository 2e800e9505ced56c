"""1-D figures: a sequence as a flat strip of cells, in the conv_arithmetic colours.

The input row at the bottom (blue cells; padding, causal padding on the left only, and the
zeros a transposed convolution inserts are white with dashed edges), the output row above it
(cyan), and one frame per output cell: the kernel (or pooling window) is the translucent dark
overlay over the cells it reads, framed solid, with two thin connectors from its top corners
to the output cell it computes, which is shaded. A transposed 1-D convolution is drawn the
conv_arithmetic way, as a unit-stride convolution over the input with zeros inserted
(:mod:`convviz.geometry`). In max pooling the winning input cell takes the output cell's
colour.

:class:`StripFigure` is the classic look (no text); :class:`StripNumbersFigure` writes the
values in the cells, the kernel's weights small in the corners of the cells it covers, and
fills the output in as it is computed. Both caption each frame with its arithmetic
(:func:`~convviz.figures.arithmetic.step_captions`).

>>> fig = StripFigure(ConvSpec(mode="conv1d", input_size=8, kernel_size=3))
>>> fig.frame_count, fig.size, str(fig.captions()[0])
(6, (200, 416), 'y[0] = 8·0 + 6·2 + 5·1 = 17')
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from ..errors import ConvVizError
from ..geometry import INPUT, OUTSIDE, grid_shape
from ..ops.args import check_int
from ..ops.spec import ConvSpec
from . import raster, sizing, style
from .arithmetic import check_writable, max_cells, slide, step_captions
from .base import Caption, Figure, Swatch, Target
from .cells import CellPainter, Panel, font, grid_lines, numbers_of, readable_cell_px, solid_box
from .classic import legend as classic_legend
from .palettes import TextPalette, slide_fills
from .style import Scheme
from .targets import build, cell_name, drawn_inputs, fits, rectangle

MAX_STRIP_CELLS = 64
"""Longest drawn strip (cells) of the classic 1-D figure."""
CELL_PX = 48
"""Cell size of the classic strip (smaller where the strip would pass 800 px)."""
MARGIN_PX = 16


@dataclass(frozen=True)
class Shown:
    """What one strip frame shows: each drawn input cell's ``(fill, number, small number)``,
    each output cell's ``(fill, number)`` and whether its edges are solid, which input cells
    are real (solid edges), the window's first and last drawn cell and the output cell."""

    inputs: tuple[tuple[style.RGB, str, str], ...]
    outputs: tuple[tuple[style.RGB, str], ...]
    output_solid: tuple[bool, ...]
    real: tuple[bool, ...]
    window: tuple[int, int]
    out: int


class StripFigure(Figure):
    """A 1-D convolution, transposed convolution or pooling as a flat strip; classic look."""

    kind = "strip"
    numbers_shown = False
    vector = True

    def __init__(self, spec: ConvSpec, numbers=None, *, max_frames: int = sizing.MAX_FRAMES,
                 cell_px: int | None = None, scheme: str | Scheme = "default",
                 scale: float = 1.0) -> None:
        super().__init__(spec, numbers, max_frames=max_frames, scheme=scheme)
        self.data = slide(spec, self.numbers)
        self.texts = self._numbers()
        self.cell_px = check_int(cell_px, "cell_px", 12, 128) if cell_px else \
            min(128, round(self._cell_px() * sizing.check_scale(scale)))
        self._palette = TextPalette(slide_fills(self.scheme))
        self._place()
        self._marks = (max_cells(self.data) if self.data.indices is not None
                       else (None,) * self.frame_count)
        self._base = self._draw_base()

    @classmethod
    def count(cls, spec: ConvSpec) -> int:
        return math.prod(spec.output_size)

    @classmethod
    def _check(cls, spec: ConvSpec) -> None:
        if spec.dims != 1:
            raise ConvVizError(f"the strip figure draws 1-D modes, got mode {spec.mode!r}")
        if spec.in_channels != 1 or spec.out_channels != 1:
            raise ConvVizError(f"the strip figure shows one channel: in_channels and "
                               f"out_channels must be 1, got {spec.in_channels} and "
                               f"{spec.out_channels}")
        sizing.check_grid(grid_shape(spec), MAX_STRIP_CELLS, "strip", "drawn strip")

    # ---- what is written, and where ----------------------------------------------------------
    def _numbers(self) -> dict[str, list[str]]:
        """The text of every cell of each row ("" everywhere in the classic look)."""
        data, shown = self.data, self.numbers_shown
        grid = numbers_of(data.grid)[0] if shown else [""] * data.grid.shape[1]
        for c in np.flatnonzero(data.kind[0] == OUTSIDE):
            grid[c] = ""
        taps = numbers_of(data.taps)[0] if shown and data.taps is not None else None
        output = numbers_of(data.output)[0] if shown else [""] * data.output.shape[1]
        return {"input": grid, "taps": taps, "output": output}

    def _cell_px(self) -> int:
        width = self.data.grid.shape[1]
        if not self.numbers_shown:
            return max(12, min(CELL_PX, (sizing.MAX_SIDE_PX - 2 * MARGIN_PX) // width))
        texts = [(set(self.texts["input"]), set(self.texts["taps"] or ())),
                 (set(self.texts["output"]), set())]
        return readable_cell_px(64 if width <= 8 else 48 if width <= 12 else 40, texts)

    def _place(self) -> None:
        """The two rows: the output centred above the input (a causal one with each output
        above the last input it reads), labels in the numbers look."""
        cell, width = self.cell_px, self.data.grid.shape[1]
        label = font(max(14, round(0.3 * cell))) if self.numbers_shown else None
        band = label.size + cell // 4 if label else 0
        top = MARGIN_PX + band
        out_cols = self.data.output.shape[1]
        shift = (width - out_cols) * cell // 2
        if self.spec.causal and self.spec.stride[1] == 1:
            shift = int(self.data.steps[0].cols[-1]) * cell
        self.output = Panel(MARGIN_PX + shift, top, 1, out_cols, cell)
        self.input = Panel(MARGIN_PX, top + cell + (3 * cell) // 2, 1, width, cell)
        self.width = 2 * MARGIN_PX + width * cell
        self.height = self.input.y0 + cell + band + MARGIN_PX
        self._label, self._band = label, band
        self.label_px = label.size if label else 0
        shown = {name: set(texts or ()) for name, texts in self.texts.items()}
        self.painters = {
            "input": CellPainter(self.input, self._palette, shown["input"], shown["taps"]),
            "output": CellPainter(self.output, self._palette, shown["output"])}

    @property
    def palette(self) -> np.ndarray:
        return self._palette.colours

    @property
    def size(self) -> tuple[int, int]:
        return self.height, self.width

    # ---- pixels -------------------------------------------------------------------------------
    @property
    def labels(self) -> tuple[tuple[float, float, str, str], ...]:
        """The rows' names in the numbers look, ``(x, y, text, anchor)`` (PIL's anchors:
        ``"mt"`` hangs below the point, ``"mb"`` stands on it); none in the classic look."""
        if self._label is None:
            return ()
        x_text = ("x, zeros inserted (small: w flipped)" if self.spec.transposed else
                  "input x (small: kernel w)" if self.data.taps is not None else
                  "input x (padding −∞)" if self.spec.operation.reduce == "max" else "input x")
        cell = self.cell_px
        return ((self.width // 2, self.input.y0 + cell + cell // 8, x_text, "mt"),
                (self.output.x0 + self.output.cols * cell // 2, self.output.y0 - cell // 8,
                 "output y", "mb"))

    def _labels(self) -> np.ndarray:
        """A white canvas, with the rows' names in the numbers look."""
        image = Image.new("L", (self.width, self.height), 0)
        draw = ImageDraw.Draw(image)
        for x, y, text, anchor in self.labels:
            draw.text((x, y), text, fill=255, font=self._label, anchor=anchor)
        return self._palette.index(style.WHITE, np.asarray(image))

    def _draw_base(self) -> np.ndarray:
        canvas = self._labels()
        real = self.data.kind[0] == INPUT
        for c, text in enumerate(self.texts["input"]):
            fill = self.scheme.input if real[c] else style.WHITE
            self.painters["input"].paste(canvas, 0, c, fill, text)
        if not self.numbers_shown:              # the classic output is there from the start
            self.painters["output"].paste_all(canvas, self.scheme.output)
        grid_lines(canvas, self.input, self._palette.line, real[None])
        grid_lines(canvas, self.output, self._palette.line,
                   None if not self.numbers_shown else np.zeros((1, self.output.cols), bool))
        return canvas

    def _connectors(self, frame: np.ndarray, first: int, last: int, out: int) -> None:
        """Thin lines from the window's top corners to the output cell's bottom corners, on
        the white between the rows."""
        cell = self.cell_px
        starts = np.array([[self.input.x0 + first * cell, self.input.y0],
                           [self.input.x0 + (last + 1) * cell, self.input.y0]], dtype=float)
        ends = np.array([[self.output.x0 + out * cell, self.output.y0 + cell],
                         [self.output.x0 + (out + 1) * cell, self.output.y0 + cell]], dtype=float)
        rows, cols, level = raster.segment_pixels(starts, ends, max(1.0, cell / 48),
                                                  frame.shape)
        white = self._palette.ids[style.WHITE] * self._palette.levels
        keep = (frame[rows, cols] == white) & (rows > self.output.y0 + cell) & \
            (rows < self.input.y0)
        coverage = (level[keep].astype(np.uint16) * 255 // (raster.LEVELS - 1)).astype(np.uint8)
        frame[rows[keep], cols[keep]] = self._palette.index(style.WHITE, coverage)

    def shown(self, index: int) -> Shown:
        """What frame ``index`` shows, cell by cell (its raster frame and its vector still)."""
        step = self.data.steps[self.check_frame(index)]
        texts, out, real = self.texts, step.out[1], self.data.kind[0] == INPUT
        taps = dict(zip(step.cols.tolist(), texts["taps"] or [""] * len(step.cols)))
        inputs = []
        for c, text in enumerate(texts["input"]):
            fill = self.scheme.input if real[c] else style.WHITE
            inputs.append((self.scheme.shade(fill) if c in taps else fill, text,
                           taps.get(c, "")))
        marked = self._marks[step.index]
        if marked is not None:
            inputs[marked[1]] = (self.scheme.current, texts["input"][marked[1]], "")
        outputs = [(self.scheme.output, text) if c < out or not self.numbers_shown else
                   (style.WHITE, "") for c, text in enumerate(texts["output"])]
        outputs[out] = (self.scheme.current, texts["output"][out])
        solid = [c <= out or not self.numbers_shown for c in range(len(outputs))]
        return Shown(tuple(inputs), tuple(outputs), tuple(solid), tuple(real.tolist()),
                     (int(step.cols[0]), int(step.cols[-1])), out)

    def frame(self, index: int) -> np.ndarray:
        shown, frame, paint = self.shown(index), self._base.copy(), self.painters
        first, last = shown.window
        for c in range(first, last + 1):
            paint["input"].paste(frame, 0, c, *shown.inputs[c])
        for c, (fill, text) in enumerate(shown.outputs):
            paint["output"].paste(frame, 0, c, fill, text)
        grid_lines(frame, self.output, self._palette.line, np.array([shown.output_solid]))
        solid_box(frame, self.input, range(0, 1), range(first, last + 1), self._palette.line)
        solid_box(frame, self.output, range(0, 1), range(shown.out, shown.out + 1),
                  self._palette.line)
        self._connectors(frame, first, last, shown.out)
        return frame

    def draw_vector(self, ax, index: int) -> None:
        from .vector import draw_strip_on  # matplotlib, imported only for vector stills

        draw_strip_on(ax, self, self.check_frame(index))

    def captions(self) -> tuple[Caption, ...]:
        return step_captions(self.spec, self.numbers)

    def targets(self) -> tuple[Target, ...]:
        """The input and output cells, where :meth:`frame` draws them (``x[3]``, ``y[2]``)."""
        if not fits((self.spec,)):
            return ()
        cell = self.cell_px
        outlines = {cell_name("x", source): rectangle(self.input.x0, self.input.y0, 0, at[1], cell)
                    for source, at in drawn_inputs(self.spec)}
        outlines.update((cell_name("y", (0, c)), rectangle(self.output.x0, self.output.y0, 0, c,
                                                           cell))
                        for c in range(self.output.cols))
        return build((self.spec,), outlines)

    def legend(self) -> tuple[Swatch, ...]:
        window = "kernel" if self.spec.operation.weights else "window"
        padding = ("padding / inserted zeros" if self.spec.transposed else
                   "padding (−∞)" if self.spec.operation.reduce == "max" else "padding")
        base = classic_legend(self.scheme)
        swatches = [base[0], Swatch(style.WHITE, padding, "dashed"),
                    Swatch(base[2].rgb, window, "bold"), *base[3:]]
        if self.spec.operation.reduce == "max":
            swatches.append(Swatch(self.scheme.current, "the window's max", "bold"))
        return tuple(swatches)


class StripNumbersFigure(StripFigure):
    """The strip with the values in the cells and the output filling in."""

    kind = "strip-numbers"
    numbers_shown = True

    @classmethod
    def _check(cls, spec: ConvSpec) -> None:
        super()._check(spec)
        check_writable(spec)
        sizing.check_grid(grid_shape(spec), 2 * sizing.MAX_NUMBER_CELLS, "numbers",
                          "drawn strip")

    def legend(self) -> tuple[Swatch, ...]:
        return ()
