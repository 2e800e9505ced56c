"""The numbers style of a multi-channel convolution: one panel per input channel, then the sum.

For each stage (separable: depthwise, then pointwise), each output channel ``o`` and each
kernel position, one frame: every input channel's values, the kernel's weights (small, bold)
over the window on the channels ``o`` reads (its group's), each of those channels' part of
the sum in a cell under it, and the output map ``y[o]`` filling in, the current value
highlighted. Channels outside ``o``'s group show no kernel: a grouped or depthwise
convolution's outputs read only their own group.

When the panels cannot fit a page at a readable size, :meth:`ChannelNumbersFigure.check`
refuses with why and what to change (the app draws that refusal in the figure's place).

>>> fig = ChannelNumbersFigure(ConvSpec(in_channels=2, out_channels=2, input_size=4))
>>> fig.frame_count, str(fig.captions()[0]).startswith("y[o=0, 0, 0] = Σc")
(8, True)
"""
from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from ..errors import ConvVizError
from ..geometry import INPUT, grid, grid_shape, layout
from ..ops.spec import ConvSpec
from ..sample import Numbers
from ..text import format_number
from . import sizing
from .base import Caption, Figure
from .cells import CellPainter, arrange, numbers_of, readable_cell_px
from .palettes import TextPalette, slide_fills
from .style import Scheme
from .sums import channel_line, stage_name, stage_numbers, taps_of
from .surface import Raster, Scene

MAX_WIDTH_PX, MAX_HEIGHT_PX = 1600, 900
"""The largest numbers figure of a multi-channel convolution, in pixels."""
MIN_CELL_PX = 28
"""Smallest cells it is drawn with (numbers stay readable on a projector)."""


def _columns(conv: ConvSpec) -> list:
    """Each input channel's grid with the cell of its part of the sum, then the output."""
    shape, cols = grid_shape(conv), []
    for c in range(conv.in_channels):
        cols.append([(f"x{c}", shape, f"x[c={c}]"), (f"p{c}", (1, 1), "x⋆w")])
    widest = f"y[o={conv.out_channels - 1}] = Σc x⋆w"
    return cols + [[("y", conv.output_size, widest)]]


def _plan(spec: ConvSpec, shown: dict | None = None) -> tuple[int, list]:
    """The cell size and each stage's ``(width, height, panels)``; ConvVizError when even
    :data:`MIN_CELL_PX` cells do not fit (arithmetic and font metrics only)."""
    convs = spec.stages()
    side = max(max(max(grid_shape(c)), max(c.output_size)) for c in convs)
    cell = 56 if side <= 5 else 48 if side <= 7 else 40
    if shown is not None:
        cell = max(cell, readable_cell_px(cell, [v for s in shown for v in s.values()]))
    while True:
        plans = [arrange(_columns(conv), cell) for conv in convs]
        if all(w <= MAX_WIDTH_PX and h <= MAX_HEIGHT_PX for w, h, _ in plans):
            return cell, plans
        if cell <= MIN_CELL_PX:
            break
        cell = max(MIN_CELL_PX, cell - 8)
    width, height = max(p[0] for p in plans), max(p[1] for p in plans)
    raise ConvVizError(
        f"the numbers style shows one panel per channel: {spec.in_channels} channels of "
        f"{grid_shape(convs[0])[0]} x {grid_shape(convs[0])[1]} cells need {width} x {height} "
        f"px, more than {MAX_WIDTH_PX} x {MAX_HEIGHT_PX}: use the classic style, fewer "
        f"channels or a smaller input")


@dataclass(frozen=True, eq=False)
class _Stage:
    """One convolution of the figure: its numbers, panels and painters."""

    conv: ConvSpec
    grid: np.ndarray          # (C_in, GH, GW) drawn values
    taps: np.ndarray          # drawn weight
    y: np.ndarray             # (C_out, H_out, W_out)
    panels: dict
    painters: dict
    size: tuple[int, int]


class ChannelNumbersFigure(Figure):
    """A multi-channel convolution in numbers: one frame per (stage, output channel, kernel
    position), each input channel's part of the sum beside its panel."""

    kind = "channel numbers"
    per = "output value"
    vector = True

    def __init__(self, spec: ConvSpec, numbers: Numbers | None = None, *,
                 max_frames: int = sizing.MAX_FRAMES, scheme: str | Scheme = "default",
                 scale: float = 1.0) -> None:
        super().__init__(spec, numbers, max_frames=max_frames, scheme=scheme)
        data = stage_numbers(spec, self.numbers)
        shown = [self._shown(*d) for d in data]
        cell, plans = _plan(spec, shown)
        cell = min(round(cell * sizing.check_scale(scale)), 128)
        if scale != 1.0:
            plans = [arrange(_columns(d[0]), cell) for d in data]
        self._palette = TextPalette(slide_fills(self.scheme))
        size = (max(h for _, h, _ in plans), max(w for w, _, _ in plans))
        self.stages = [_Stage(*d, panels, {n: CellPainter(p, self._palette, *s[n])
                                           for n, p in panels.items()}, size)
                       for d, (_, _, panels), s in zip(data, plans, shown)]
        self._size = size

    @classmethod
    def count(cls, spec: ConvSpec) -> int:
        return sum(conv.out_channels * math.prod(conv.output_size) for conv in spec.stages())

    @classmethod
    def _check(cls, spec: ConvSpec) -> None:
        most = sizing.MAX_CHANNELS
        for name in ("in_channels", "out_channels"):       # before any per-channel planning
            if getattr(spec, name) > most:
                raise ConvVizError(f"{name} must be <= {most} for the numbers style, got "
                                   f"{getattr(spec, name)}: use the classic style")
        for conv in spec.stages():
            for size, what in ((grid_shape(conv), "drawn grid"), (conv.output_size, "output")):
                sizing.check_grid(size, sizing.MAX_NUMBER_CELLS, "numbers", what)
        _plan(spec)

    @staticmethod
    def _shown(conv, grid_values, taps, y) -> dict[str, tuple[set[str], set[str]]]:
        """Every number and small number each panel will show (one font size fits them)."""
        every = {format_number(v) for v in grid_values.ravel().tolist()}
        weights = {format_number(v) for v in taps.ravel().tolist()}
        parts: set[str] = set()
        for step in layout(conv):
            window = grid_values[:, step.rows[:, None], step.cols[None, :]]     # (C, kH, kW)
            for o in range(conv.out_channels):
                channels, w = taps_of(conv, taps, o)
                parts.update(format_number(v) for v in
                             (window[channels] * w).sum(axis=(1, 2)).tolist())
        shown = {f"x{c}": (every, weights) for c in range(conv.in_channels)}
        shown |= {f"p{c}": (parts, set()) for c in range(conv.in_channels)}
        return shown | {"y": ({format_number(v) for v in y.ravel().tolist()}, set())}

    @property
    def palette(self) -> np.ndarray:
        return self._palette.colours

    @property
    def size(self) -> tuple[int, int]:
        return self._size

    def _where(self, index: int) -> tuple[int, int]:
        """Stage of frame ``index`` and the index of its first frame."""
        first = 0
        for i, stage in enumerate(self.stages):
            count = stage.conv.out_channels * math.prod(stage.conv.output_size)
            if index < first + count:
                return i, first
            first += count
        raise AssertionError("frame index checked before")

    def frames(self) -> Iterator[np.ndarray]:
        for stage in self.stages:
            yield from _frames(stage, self._raster(stage), 0, self.scheme)

    def _raster(self, stage: _Stage) -> Raster:
        return Raster(self._size, stage.panels, stage.painters, self._palette)

    def frame(self, index: int) -> np.ndarray:
        i, first = self._where(self.check_frame(index))
        return next(_frames(self.stages[i], self._raster(self.stages[i]), index - first,
                            self.scheme))

    def scene(self, index: int) -> Scene:
        """Frame ``index`` as a :class:`~convviz.figures.surface.Scene`."""
        i, first = self._where(self.check_frame(index))
        return next(_frames(self.stages[i], Scene(self.stages[i].panels), index - first,
                            self.scheme))

    def draw_vector(self, ax, index: int) -> None:
        from .cellvector import draw_scene  # matplotlib, imported only for vector stills

        i, _ = self._where(self.check_frame(index))
        draw_scene(ax, self.scene(index), self.stages[i].painters)

    def captions(self) -> tuple[Caption, ...]:
        staged = len(self.stages) > 1
        return tuple(
            Caption(f"y[o={o}, {step.out[0]}, {step.out[1]}]", stage=stage_name(s.conv)
                    if staged else "",
                    lines=(channel_line(s.conv, s.grid, s.taps, s.y, step, o),))
            for s in self.stages for o in range(s.conv.out_channels)
            for step in layout(s.conv))


def _frames(stage: _Stage, surface, start: int, scheme: Scheme) -> Iterator:
    """Frames ``start``.. of one stage, drawn on ``surface``."""
    conv, kind = stage.conv, grid(stage.conv).kind
    real = kind == INPUT
    texts = [numbers_of(stage.grid[c]) for c in range(conv.in_channels)]
    for c in range(conv.in_channels):
        for (r, col), is_input in np.ndenumerate(real):
            surface.paste(f"x{c}", r, col, scheme.input if is_input else scheme.background,
                          texts[c][r][col])
        surface.paste(f"p{c}", 0, 0, scheme.background)
        surface.lines(f"x{c}", real)
        surface.lines(f"p{c}")
    surface.lines("y")
    shaded = {True: scheme.shade(scheme.input), False: scheme.shade(scheme.background)}
    steps, index = layout(conv), 0
    for o in range(conv.out_channels):
        running = surface.copy()
        running.fill("y", scheme.output)
        running.caption("y", f"y[o={o}] = Σc x⋆w")
        channels, w = taps_of(conv, stage.taps, o)
        for step in steps:
            r, c = step.out
            if index >= start:
                frame = running.copy()
                for j, ch in enumerate(channels):
                    for (a, tr), (b, tc) in _taps(step):
                        frame.paste(f"x{ch}", tr, tc, shaded[bool(real[tr, tc])],
                                    texts[ch][tr][tc], format_number(w[j, a, b]))
                    frame.box(f"x{ch}", range(step.rows[0], step.rows[-1] + 1),
                              range(step.cols[0], step.cols[-1] + 1))
                    part = (stage.grid[ch][np.ix_(step.rows, step.cols)] * w[j]).sum()
                    frame.paste(f"p{ch}", 0, 0, scheme.current, format_number(part))
                frame.paste("y", r, c, scheme.current, format_number(stage.y[o, r, c]))
                yield frame.result()
            running.paste("y", r, c, scheme.output, format_number(stage.y[o, r, c]))
            index += 1


def _taps(step) -> list:
    """``((i, row), (j, col))`` of every tap of ``step``."""
    return [((i, int(tr)), (j, int(tc))) for i, tr in enumerate(step.rows)
            for j, tc in enumerate(step.cols)]
