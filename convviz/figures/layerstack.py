"""The stack figure: a column of oblique grids, one per map, and a chosen output cell's
receptive field lit on every map below it.

In the conv_arithmetic look (blue input, cyan maps, white dashed padding, the kernel's
translucent dark overlay, thin black connectors): each frame chooses one output cell of the
last map; on every map below, the cells it depends on are under the overlay (holes stay bare),
the padding its windows read is shaded white, a solid frame marks each window's footprint, and
four connectors join each footprint to the field one map up. The maps stand to scale
(:mod:`convviz.figures.stack_layout`), labelled with their layer and field. A stack is not a
single spec, so this kind is not in the registry: :mod:`convviz.stack_views` builds it. Its
cells can be pointed at like any figure's (:meth:`StackFigure.targets`).

>>> from convviz.ops.stack_text import parse_stack
>>> fig = StackFigure(parse_stack("conv k3 p1; maxpool k2", input_size=8), ((1, 1), (1, 2)))
>>> fig.frame_count, fig.size, str(fig.captions()[0])
(2, (770, 711), 'y[1,1] depends on x[1:5, 1:5]: 16 cells (field 4 × 4)')
"""
from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from ..errors import ConvVizError
from ..ops.args import check_int
from ..ops.stack import Stack
from ..regions import Region, region
from ..text import size_text
from . import raster, sizing, style
from .base import Caption, Figure, Swatch, Target
from .cells import font
from .stack_frames import (
    BLUE,
    CYAN,
    PALETTE,
    SHADE,
    WHITE,
    connectors,
    drawn,
    map_styles,
    real_cells,
)
from .stack_layout import LABEL_PX, Plan, levels, plan, windows
from .stack_targets import stack_targets

LEGEND = (Swatch(style.INPUT, "input"), Swatch(style.OUTPUT, "maps the layers make"),
          Swatch(style.WHITE, "padding"),
          Swatch(PALETTE.fills[SHADE + BLUE], "receptive field in the input"),
          Swatch(PALETTE.fills[SHADE + CYAN], "the chosen cell and its field in each map"),
          Swatch(PALETTE.fills[SHADE + WHITE], "padding the field reads"))
"""What the stack figure's colours mean."""


class _Drawing:
    """What every frame of one stack figure shares: each map rasterised once, the labels."""

    def __init__(self, found: Plan) -> None:
        self.plan = found
        self.grids = [raster.grid_pixels(*level.shape, found.origins[number], found.unit_px,
                                         found.size) for number, level in enumerate(found.levels)]
        self.real = [real_cells(level) for level in found.levels]
        self.styles = [map_styles(real[::-1], found.lines, level.cut)
                       for real, level in zip(self.real, found.levels)]
        self.text = _label_levels(found)

    def compose(self, field: Region) -> np.ndarray:
        """Palette indices ``(H, W)`` of the frame that lights ``field``."""
        frame = np.zeros(self.plan.size, np.uint8)
        for number, grid in enumerate(self.grids):
            codes, styles, box = drawn(self.plan, number, field, self.real[number],
                                       self.styles[number])
            ink = grid.ink(*styles)
            cells = np.append(codes[::-1].reshape(-1), WHITE).astype(np.uint8)[grid.cell]
            y0, y1, x0, x1 = grid.box
            opaque = (grid.cell >= 0) | (ink > 0)
            frame[y0:y1, x0:x1] = np.where(opaque, PALETTE.index(cells, ink),
                                           frame[y0:y1, x0:x1])
            ends = connectors(self.plan, number, field, box) if number < len(self.grids) - 1 \
                else None
            if ends is not None:           # under the next map, which is pasted after
                r, c, level = raster.segment_pixels(*ends, style.CONNECTOR_PX, self.plan.size)
                frame[r, c] = PALETTE.with_black(frame[r, c], level)
        text = self.text > 0
        frame[text] = PALETTE.index(WHITE, self.text[text])
        return frame


def _label_levels(found: Plan) -> np.ndarray:
    """Ink levels ``(H, W)`` of the labels, dark text on white."""
    image = Image.new("L", found.size[::-1], 0)
    draw, text = ImageDraw.Draw(image), font(LABEL_PX)
    for level, (x, y) in zip(found.levels, found.labels):
        for number, line in enumerate(level.label):
            draw.text((x, y + number * text.size * 1.25), line, fill=255, font=text)
    return (np.asarray(image, np.uint16) * (raster.LEVELS - 1) // 255).astype(np.uint8)


def caption(found: Region) -> Caption:
    """What one frame shows: the chosen cell and the input cells it depends on, as slices."""
    name = f"y[{found.cell[0]},{found.cell[1]}]"
    if found.box is None:
        return Caption(f"{name} reads only padding: it depends on no input cell")
    (y0, y1), (x0, x1) = found.box
    holes = ", with holes" if found.holes else ""
    field = found.field
    size = size_text(tuple(b - a for a, b in field)) if field else "empty"
    clipped = ", clipped by the padding" if field != found.box else ""
    return Caption(f"{name} depends on x[{y0}:{y1}, {x0}:{x1}]: {found.count} cells{holes} "
                   f"(field {size}{clipped})")


def figure_plan(stack: Stack, fields: tuple[Region, ...], unit_px: float | None = None,
                zoom: bool | None = None) -> Plan:
    """The figure's geometry: the maps to scale, or (``zoom``; by default where the maps are
    too large for cell lines) a window of each around the ``fields`` the frames light."""
    try:
        scaled = plan(stack, unit_px)
    except ConvVizError:
        if zoom is False:
            raise
        scaled = None
    if zoom is False or (zoom is None and scaled is not None and scaled.lines):
        return scaled
    last, rows, cols = len(fields[0].rows) - 1, [], []
    for number in range(last + 1):
        reach = [f.reach[number] for f in fields] if number < last else [([], [])] * len(fields)
        rows.append({int(v) for f, (r, _) in zip(fields, reach)
                     for v in (*r, *f.rows[number])})
        cols.append({int(v) for f, (_, c) in zip(fields, reach)
                     for v in (*c, *f.cols[number])})
    return plan(stack, unit_px, windows(levels(stack), rows, cols))


class StackFigure(Figure):
    """The stack figure of ``stack``: one frame per chosen output cell of its last map."""

    kind = "stack"
    per = "chosen output cell"
    vector = True

    def __init__(self, stack: Stack, cells: tuple[tuple[int, int], ...], *,
                 max_frames: int = sizing.MAX_FRAMES, unit_px: float | None = None,
                 zoom: bool | None = None) -> None:
        self.check(stack, cells, max_frames=max_frames, unit_px=unit_px, zoom=zoom)
        self.stack, self.cells, self.numbers, self.spec = stack, tuple(cells), None, None
        self.frame_count = len(self.cells)
        self.regions = tuple(region(stack, cell) for cell in self.cells)
        self.plan = figure_plan(stack, self.regions, unit_px, zoom)
        self._drawing = _Drawing(self.plan)

    @classmethod
    def check(cls, stack: Stack, cells: tuple = ((0, 0),), *,
              max_frames: int = sizing.MAX_FRAMES, unit_px: float | None = None,
              zoom: bool | None = None) -> None:
        """Refuse, before a pixel is drawn, a figure of ``stack`` that cannot be drawn, more
        than ``max_frames`` cells, or a cell outside the last map."""
        if not cells:
            raise ConvVizError("the stack figure needs at least one output cell, got none")
        sizing.check_count(len(cells), max_frames, per=cls.per)
        height, width = stack.output_size
        for row, col in cells:
            check_int(row, "cell row", 0, height - 1)
            check_int(col, "cell column", 0, width - 1)
        figure_plan(stack, tuple(region(stack, cell) for cell in cells), unit_px, zoom)

    @classmethod
    def count(cls, cells: tuple) -> int:
        return len(cells)

    @classmethod
    def _check(cls, stack: Stack) -> None:
        plan(stack)

    @property
    def palette(self) -> np.ndarray:
        return PALETTE.colours

    @property
    def size(self) -> tuple[int, int]:
        return self.plan.size

    def frame(self, index: int) -> np.ndarray:
        return self._drawing.compose(self.regions[self.check_frame(index)])

    def captions(self) -> tuple[Caption, ...]:
        return tuple(caption(found) for found in self.regions)

    def legend(self) -> tuple[Swatch, ...]:
        return LEGEND

    def targets(self) -> tuple[Target, ...]:
        """Every real cell of every map, outlined where the frames draw it, with the cells it
        depends on or feeds (none where the maps have too many cells or no cell lines)."""
        return stack_targets(self.stack, self.plan, self.cells)

    def vector_figure(self, index: int):
        from .stack_vector import draw  # matplotlib, imported only for vector stills

        return draw(self, self.check_frame(index))
