"""Multi-channel figures: standard, depthwise, grouped, pointwise and separable convolutions.

The classic look (:mod:`convviz.figures.classic`), one column per group of the convolution:

- The group's ``C_in/G`` input channels are flat oblique grids stacked half a unit apart,
  channel 0 on top, blue and violet alternating (padding stays a white dashed rim around the
  stack); its ``C_out/G`` output maps (cyan) are stacked the same way above. A standard
  convolution is one column, depthwise ``C_in`` columns of one channel, grouped ``G``
  columns. Columns stand side by side and wrap into rows when one row would draw cells
  under 70 % of the best size (8 depthwise channels: two rows of four).
- One frame per kernel position, row-major like the classic figure. In every group the
  kernel is shaded on all of the group's channels, a ``k x k x C_in/G`` box through the
  stack (the top channel shows the whole footprint, the ones below show it at the front
  edges); thin connectors join the box's top face to the current cell of the group's top
  output map, and that cell is shaded in every output map of the group: one value per
  output channel, each channel with its own kernel.
- ``separable`` shows its two convolutions (:meth:`ConvSpec.stages`): the depthwise
  columns, and centred above them the pointwise one, whose input stack is the depthwise
  output maps (cyan) stacked. Frames sweep the depthwise positions, then the pointwise ones
  (:meth:`ChannelsFigure.frame_steps`).

A sheet is rasterised once per grid shape (:func:`convviz.figures.raster.grid_pixels`) and
pasted at
whole-pixel offsets; a frame repaints only the kernel's window of each stack and the current
output cells, as palette indices. Frames are byte-identical for the same spec.

>>> fig = ChannelsFigure(ConvSpec(in_channels=3, out_channels=2, input_size=5, kernel_size=3))
>>> fig.frame_count, fig.size
(9, (395, 319))
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..errors import ConvVizError
from ..geometry import INPUT, Step, grid, grid_shape, layout
from ..ops.spec import ConvSpec
from . import raster, sizing, style
from .base import Caption, Figure, Swatch, Target
from .columns import DEPTH_UNITS, column, fit_unit, margins, per_row, plan
from .labels import place, stamp
from .stacks import BLUE, CYAN, LV, PALETTE, SHADE, VIOLET, Sheet, Stack, palette
from .style import Scheme
from .sums import channel_captions
from .targets import build, cell_name, drawn_inputs, fits, parallelogram

MAX_CHANNELS = sizing.MAX_CHANNELS


@dataclass(frozen=True, eq=False)
class _Part:
    """One convolution of the figure: its steps, kernel span and per-group stacks."""

    steps: tuple[Step, ...]
    span: tuple[int, int]
    inputs: tuple[Stack, ...]
    outputs: tuple[Stack, ...]


class _Drawing:
    """Everything about one spec's figure that its frames share."""

    def __init__(self, spec: ConvSpec, unit_px: float | None) -> None:
        convs = spec.stages()
        columns = per_row(convs)
        width, height, placed = plan(convs, columns)
        unit = fit_unit(spec, unit_px)
        room, rows = margins(convs), -(-convs[0].groups // columns)
        self.size = sizing.canvas_size(width, height, unit, room.extra(columns, rows))
        # label room: left of every column, under every row of groups, at the bottom
        self.shift = [[((g % columns + 1) * room.left,
                        room.bottom + (rows - g // columns) * room.bracket)
                       for g in range(convs[0].groups)],
                      [((columns + 1) * room.left / 2, room.bottom + rows * room.bracket)]]
        self.base, self.out_opaque = np.zeros(self.size, np.uint8), np.zeros(self.size, bool)
        self.owner = (np.full(self.size, -1, np.int32), np.full(self.size, -1, np.int32),
                      np.zeros(self.size, bool))                    # sheet id, cell, line-free
        self.ids: dict[tuple[int, str], list[int]] = {}             # sheet ids by channel
        self.parts = [self._part(i, conv, origins, unit)
                      for i, (conv, origins) in enumerate(zip(convs, placed))]
        for part in self.parts:
            for stack in part.inputs + part.outputs:
                h, w = stack.sheet.inside.shape
                stack.paste(self.base, (0, h), (0, w), stack.sheet.layers((0, h), (0, w), 0),
                            self.owner)
            for stack in part.outputs:
                mask = stack.sheet.inside | (stack.sheet.data_ink > 0)
                for j in range(len(stack.fills)):
                    y0, x0 = stack.dy + j * stack.depth_px, stack.dx
                    self.out_opaque[y0:y0 + mask.shape[0], x0:x0 + mask.shape[1]] |= mask
        self.frames = [(i, step) for i, part in enumerate(self.parts) for step in part.steps]
        (x0, x1, _), _, _ = column(convs[0])
        extents = [(style.BORDER_PX + 1 + dx + (ox + x0) * unit,
                    style.BORDER_PX + 1 + dx + (ox + x1) * unit)
                   for (ox, _), (dx, _) in zip(placed[0], self.shift[0])]
        self.labels = place(self.parts, convs, room, self.size, unit, extents)
        stamp(self.base, PALETTE, *self.labels)

    def _part(self, index: int, conv: ConvSpec, origins: list, unit: float) -> _Part:
        """The stacks of convolution ``index``, its groups' columns at unit ``origins``."""
        g = grid(conv)
        sheets = (Sheet(g.kind[::-1] == INPUT, unit), Sheet(np.ones(conv.output_size, bool),
                                                              unit))
        _, top_in, top_out = column(conv)
        stacks: tuple[list, list] = ([], [])
        for k, (layer, top, c) in enumerate((("input", top_in, conv.in_channels),
                                             ("output", top_out, conv.out_channels))):
            m, ids = c // conv.groups, self.ids.setdefault((index, layer), [])
            for gi, (x, y) in enumerate(origins):
                dx, dy = self.shift[index][gi]
                px = round(style.BORDER_PX + 1 + dx + (x + top[0]) * unit)
                py = round(self.size[0] - style.BORDER_PX - 1 - dy - (y + top[1]) * unit)
                fills = tuple((BLUE, VIOLET)[(gi * m + j) % 2] if k == 0 and index == 0
                              else CYAN for j in range(m))
                first = sum(len(v) for v in self.ids.values())
                stacks[k].append(Stack(sheets[k], py - sheets[k].origin[1],
                                        px - sheets[k].origin[0], fills, first,
                                        max(round(DEPTH_UNITS * unit), 1)))
                ids.extend(range(first, first + m))
        return _Part(layout(conv), g.span, tuple(stacks[0]), tuple(stacks[1]))

    @staticmethod
    def _kernel(part: _Part, step: Step) -> tuple:
        """Footprint corners, output cell corners, shaded cells and segment styles of a step
        (grid points with y counted up from the bottom)."""
        sheet, out = part.inputs[0].sheet, part.outputs[0].sheet
        (span_h, span_w), rows, cols = part.span, sheet.rows, sheet.cols
        r0, c0 = int(step.rows[0]), int(step.cols[0])
        bottom, top = rows - r0 - span_h, rows - r0
        shaded = np.zeros(rows * cols + 1, dtype=bool)
        shaded[((rows - 1 - step.rows)[:, None] * cols + step.cols[None, :]).ravel()] = True
        style_h, style_v = sheet.style_h.copy(), sheet.style_v.copy()
        style_h[bottom:top + 1, c0:c0 + span_w] = raster.SOLID
        style_v[c0:c0 + span_w + 1, bottom:top] = raster.SOLID
        y, x = out.rows - 1 - step.out[0], step.out[1]
        return ([(c0, top), (c0 + span_w, top), (c0, bottom), (c0 + span_w, bottom)],
                [(x, y + 1), (x + 1, y + 1), (x, y), (x + 1, y)], shaded,
                (style_h, style_v), y * out.cols + x)

    def compose(self, index: int) -> np.ndarray:
        """Palette indices of frame ``index``, shape (H, W)."""
        part_index, step = self.frames[index]
        part, frame = self.parts[part_index], self.base.copy()
        corners, targets, shaded, styles, cell = self._kernel(part, step)
        sheet, first = part.inputs[0].sheet, part.inputs[0]
        rows, cols = sheet.window(corners)
        layers = sheet.layers(rows, cols, (len(first.fills) - 1) * first.depth_px,
                              shaded, styles)
        rects = [stack.paste(frame, rows, cols, layers) for stack in part.inputs]
        starts = [stack.point(*p) for stack in part.inputs for p in corners]
        ends = [stack.point(*p) for stack in part.outputs for p in targets]
        r, c, level = raster.segment_pixels(np.array(starts), np.array(ends),
                                            style.CONNECTOR_PX, self.size)
        keep = ~self.out_opaque[r, c]
        frame[r[keep], c[keep]] = PALETTE.with_black(frame[r[keep], c[keep]], level[keep])
        for rect in rects:
            covered = self.out_opaque[rect]
            frame[rect][covered] = self.base[rect][covered]
        rows, cols = part.outputs[0].sheet.window(targets)
        for stack in part.outputs:
            rect = stack.rect(rows, cols)
            ids = self.owner[0][rect] - stack.first
            mine = (ids >= 0) & (ids < len(stack.fills)) & (self.owner[1][rect] == cell)
            frame[rect][mine] = self.base[rect][mine] + SHADE * LV
        return frame

    def centre(self, sheet_id: int, cell: int) -> tuple[int, int] | None:
        """Canvas ``(y, x)`` of the line-free pixel of a sheet's cell nearest the middle of
        its visible part, or None when the sheets above hide it."""
        ids, cells, line_free = self.owner
        ys, xs = np.nonzero((ids == sheet_id) & (cells == cell) & line_free)
        if not len(ys):
            return None
        k = int(np.argmin((ys - ys.mean()) ** 2 + (xs - xs.mean()) ** 2))
        return int(ys[k]), int(xs[k])


@lru_cache(maxsize=4)
def drawing(spec: ConvSpec, unit_px: float | None) -> _Drawing:
    return _Drawing(spec, unit_px)


def legend(scheme: Scheme) -> tuple[Swatch, ...]:
    """What the multi-channel figure's colours (and outlines) mean in ``scheme``."""
    return (Swatch(scheme.input, "input channel (c0, c2, …)"),
            Swatch(scheme.channel, "next input channel (c1, c3, …)"),
            Swatch(scheme.background, "padding / inserted zeros", "dashed"),
            Swatch(scheme.shade(scheme.background), "kernel", "bold"),
            Swatch(scheme.output, "output channel (o0, o1, …)"),
            Swatch(scheme.current, "this step's outputs", "bold"))


LEGEND = legend(style.SCHEMES["default"])
"""What the multi-channel figure's colours mean, in the conv_arithmetic colours."""


class ChannelsFigure(Figure):
    """Standard, depthwise, grouped, pointwise and separable convolutions with their channels:
    one frame per kernel position of each stage."""

    kind = "channels"
    per = "kernel position"

    def __init__(self, spec: ConvSpec, numbers=None, *, max_frames: int = sizing.MAX_FRAMES,
                 unit_px: float | None = None, scheme: str | Scheme = "default",
                 scale: float = 1.0) -> None:
        super().__init__(spec, numbers, max_frames=max_frames, scheme=scheme)
        if unit_px is None and sizing.check_scale(scale) != 1.0:
            unit_px = fit_unit(spec, None) * scale
        self._drawing = drawing(spec, unit_px)

    @classmethod
    def count(cls, spec: ConvSpec) -> int:
        """One frame per output cell of each convolution it runs.

        >>> ChannelsFigure.count(ConvSpec(mode="separable", in_channels=3, out_channels=4))
        18
        """
        return sum(math.prod(conv.output_size) for conv in spec.stages())

    @classmethod
    def _check(cls, spec: ConvSpec) -> None:
        for name in ("in_channels", "out_channels"):
            if getattr(spec, name) > MAX_CHANNELS:
                raise ConvVizError(f"{name} must be <= {MAX_CHANNELS} for a multi-channel "
                                   f"figure, got {getattr(spec, name)}")
        for conv in spec.stages():
            sizing.check_grid(grid_shape(conv), sizing.MAX_GRID_CELLS, "multi-channel",
                              "drawn grid")
        fit_unit(spec, None)

    @property
    def palette(self) -> np.ndarray:
        return palette(self.scheme).colours

    @property
    def size(self) -> tuple[int, int]:
        return self._drawing.size

    def frame(self, index: int) -> np.ndarray:
        return self._drawing.compose(self.check_frame(index))

    def frame_steps(self) -> tuple[tuple[int, Step], ...]:
        """What each frame shows: ``(stage, step)``, the convolution (index into
        :meth:`ConvSpec.stages`) and its kernel position.

        >>> fig = ChannelsFigure(ConvSpec(in_channels=2, input_size=4))
        >>> [(stage, s.out) for stage, s in fig.frame_steps()]
        [(0, (0, 0)), (0, (0, 1)), (0, (1, 0)), (0, (1, 1))]
        """
        return tuple(self._drawing.frames)

    def captions(self) -> tuple[Caption, ...]:
        return channel_captions(self.spec, self.numbers)

    def legend(self) -> tuple[Swatch, ...]:
        return legend(self.scheme)

    def targets(self) -> tuple[Target, ...]:
        """The cells of input channel 0 (``x``) and output channel 0 (``y``; separable's
        depthwise output channel 0 is ``h``), outlined on the top sheets of their stacks,
        where :meth:`frame` draws them."""
        stages = self.spec.stages()
        if not fits(stages):
            return ()
        first, last = self._drawing.parts[0], self._drawing.parts[-1]
        maps = [("x", first.inputs[0], drawn_inputs(stages[0])),
                ("y", last.outputs[0], np.ndindex(*stages[-1].output_size))]
        if len(stages) > 1:
            maps.append(("h", first.outputs[0], np.ndindex(*stages[0].output_size)))
        outlines = {}
        for prefix, stack, cells in maps:
            outline = parallelogram(stack.point, stack.sheet.rows)
            outlines.update((cell_name(prefix, cell[0] if prefix == "x" else cell),
                             outline(*(cell[1] if prefix == "x" else cell))) for cell in cells)
        return build(stages, outlines)

    def cell_centre(self, layer: str, channel: int, row: int, col: int, *,
                    stage: int | None = None) -> tuple[int, int] | None:
        """Pixel ``(y, x)`` showing cell ``(row, col)`` (row from the top) of one channel's map.

        ``layer`` "input" is the drawn (padded) grid, of the first stage unless ``stage`` is
        given; "output" is an output map, of the last stage by default. The pixel is the
        line-free one nearest the middle of the cell's visible part (the centre when the whole
        cell shows); None when the sheets above hide the cell. Connectors may cross it.

        >>> fig = ChannelsFigure(ConvSpec(in_channels=3, out_channels=2, input_size=5))
        >>> fig.cell_centre("output", 0, 0, 2), fig.cell_centre("output", 1, 0, 2)
        ((39, 167), None)
        """
        figure = self._drawing
        if layer not in ("input", "output"):
            raise ConvVizError(f"layer must be 'input' or 'output', got {layer!r}")
        count = len(figure.parts)
        stage = (0 if layer == "input" else count - 1) if stage is None else stage
        if not 0 <= stage < count:
            raise ConvVizError(f"stage must be in 0..{count - 1}, got {stage}")
        ids, part = figure.ids[(stage, layer)], figure.parts[stage]
        sheet = (part.inputs if layer == "input" else part.outputs)[0].sheet
        for name, value, size in (("channel", channel, len(ids)), ("row", row, sheet.rows),
                                  ("col", col, sheet.cols)):
            if not 0 <= value < size:
                raise ConvVizError(f"{name} must be in 0..{size - 1}, got {value}")
        return figure.centre(ids[channel], (sheet.rows - 1 - row) * sheet.cols + col)
