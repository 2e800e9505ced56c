"""Where the maps of a stack figure stand: arithmetic only, nothing drawn.

The stack is a column of oblique grids in the conv_arithmetic projection, the input at the
bottom, each layer's output map one grid unit above the map below it (as a classic figure's
output stands above its input: its bottom edge parallel to the lower map's top edge, and
:data:`~convviz.figures.style.OUTPUT_SHIFT_PX` further left per level), all at one grid unit,
so their sizes are to scale. A map is drawn with the padding ring the layer above reads (white,
dashed), and labelled on the right with its layer and field. Maps too large for cell lines at
the unit that fits are drawn as outlined sheets; too large for even that, they are refused.
Shape-preserving layers (ReLU) make no map of their own.

>>> from convviz.ops.stack_text import parse_stack
>>> found = plan(parse_stack("conv k3 p1; maxpool k2", input_size=8))
>>> [level.name for level in found.levels], [level.shape for level in found.levels]
(['x', 'h1', 'y'], [(10, 10), (8, 8), (4, 4)])
>>> found.lines, found.size
(True, (770, 711))
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..errors import ConvVizError
from ..geometry import grid_shape
from ..ops.spec import ConvSpec
from ..ops.stack import Stack
from ..ops.summary import Row, pair_text, rf_text, summary
from ..text import size_text
from . import sizing, style
from .cells import font

MAX_LEVELS = 10
"""Most spatial layers one figure draws (the table gives them all)."""
MIN_UNIT_PX = 0.5
"""Smallest grid unit a stack is drawn with: a map below it would be less than a dot a cell."""
LINES_UNIT_PX = 6.0
"""Cells get their grid lines from this unit on; below it maps are outlined sheets."""
LABEL_PX, LABEL_GAP_PX = 13, 14
"""Font size of the labels, and their distance from the widest map."""
MARGIN = 2
"""Cells a zoomed figure shows around the fields it lights."""
SHIFT = style.OUTPUT_SHIFT_PX / style.UNIT_PX
"""Each map stands this many units left of straight above the one below (the reference's)."""


@dataclass(frozen=True)
class Level:
    """One map of the stack figure.

    Attributes
    ----------
    name : str
        ``"x"`` (the input), ``"h1"``, ``"h2"``, ... , ``"y"`` (the last output).
    size : (H, W)
        The map, in cells.
    before : (top, left)
        Padding cells drawn before the map (those the layer above reads).
    shape : (GH, GW)
        The drawn grid: the map and its padding ring (and a ceil-mode window's overhang), or
        the window of it a zoomed figure draws (``before`` is then counted from the window's
        corner, and may be negative).
    label : tuple of str
        What the figure writes beside it.
    cut : (top, bottom, left, right) bools
        Sides where a zoomed figure's window cuts the map (drawn without an edge).
    """

    name: str
    size: tuple[int, int]
    before: tuple[int, int]
    shape: tuple[int, int]
    label: tuple[str, ...]
    cut: tuple[bool, bool, bool, bool] = (False, False, False, False)

    def shown(self) -> tuple[range, range]:
        """The map's rows and columns the drawn grid shows."""
        return tuple(range(max(0, -b), min(n, g - b)) for n, g, b in
                     zip(self.size, self.shape, self.before))

    def window(self, rows: range, cols: range) -> Level:
        """This level drawn as the window ``rows`` x ``cols`` of its drawn grid (a zoomed
        figure), labelled with the map's rows and columns it shows."""
        (gh, gw), (top, left) = self.shape, self.before
        if (rows, cols) == (range(gh), range(gw)):
            return self
        found = replace(self, before=(top - rows.start, left - cols.start),
                        shape=(len(rows), len(cols)))
        shown_rows, shown_cols = found.shown()
        cut = (shown_rows.start > 0, shown_rows.stop < self.size[0],
               shown_cols.start > 0, shown_cols.stop < self.size[1])
        if not any(cut):
            return replace(found, cut=cut)
        note = (f"shows rows {shown_rows.start}–{shown_rows.stop - 1}, columns "
                f"{shown_cols.start}–{shown_cols.stop - 1}")
        return replace(found, cut=cut, label=self.label + (note,))


@dataclass(frozen=True)
class Plan:
    """The figure's pixel geometry: ``levels`` bottom up, each drawn grid's bottom-left
    corner at ``origins[l]`` (pixels, y down), at ``unit_px``; ``lines`` when cells get
    their grid lines; each label's top-left pixel."""

    levels: tuple[Level, ...]
    unit_px: float
    size: tuple[int, int]
    origins: tuple[tuple[float, float], ...]
    labels: tuple[tuple[float, float], ...]
    lines: bool

    def point(self, level: int, x: float, y: float) -> tuple[float, float]:
        """Pixel ``(x, y)`` of grid point ``(x, y)`` (y counted up from the bottom) of drawn
        grid ``level``."""
        ox, oy, u = *self.origins[level], self.unit_px
        return ox + u * (x + style.SHEAR_X * y), oy - u * (style.SLOPE * x + style.SHEAR_Y * y)


def _reads(spec: ConvSpec | None, size: tuple[int, int]) -> tuple[tuple, tuple]:
    """The padding before a map and its drawn grid, as the layer ``spec`` above reads it (a
    transposed layer's zeros are not drawn: its input is drawn as it is)."""
    if spec is None or spec.stages()[0].transposed:
        return (0, 0), size
    first = spec.stages()[0]
    return (first.pads[0], first.pads[2]), grid_shape(first)


def _labels(stack: Stack, rows: tuple[Row, ...]) -> list[tuple[str, ...]]:
    """Each map's label: the input's size; each layer's short form (and the shape-preserving
    layers after it), its output size and its field."""
    plural = "s" if stack.in_channels > 1 else ""
    found = [[f"input {size_text(stack.input_size)}", f"{stack.in_channels} channel{plural}"]]
    for row in rows:
        if row.spatial:
            found.append([row.text, f"→ {size_text(row.output)}",
                          f"rf {rf_text(row)} · jump {pair_text(row.jump)}"])
        elif len(found) > 1:
            found[-1][0] += f" + {row.text}"
    names = ["x"] + [f"h{i}" for i in range(1, len(found) - 1)] + ["y"]
    return [(f"{name}: {label[0]}" + (f" {label[1]}" if len(label) > 2 else ""), label[-1])
            for name, label in zip(names, found)]


def levels(stack: Stack) -> tuple[Level, ...]:
    """The maps of ``stack``'s figure, bottom up."""
    specs = stack.specs()
    sizes = [stack.input_size] + [spec.output_size for spec in specs]
    above = list(specs) + [None]
    count = len(specs)
    names = ["x"] + [f"h{i}" for i in range(1, count)] + ["y"]
    return tuple(Level(name, size, *_reads(spec, size), label) for name, size, spec, label in
                 zip(names, sizes, above, _labels(stack, summary(stack))))


def plan(stack: Stack, unit_px: float | None = None,
         windows: tuple[tuple[range, range], ...] | None = None) -> Plan:
    """The pixel geometry of ``stack``'s figure (ConvVizError when it cannot be drawn); with
    ``windows`` (rows and columns of each drawn grid) a zoomed figure's."""
    found = levels(stack)
    if windows is not None:
        found = tuple(level.window(*window) for level, window in zip(found, windows))
    if len(found) - 1 > MAX_LEVELS:
        raise ConvVizError(f"the stack figure draws at most {MAX_LEVELS} convolution or "
                           f"pooling layers, got {len(found) - 1}: the table gives them all")
    bottoms, xs, ys, height = [], [], [], 0.0
    for level in found:                                        # in grid units, y up
        gh, gw = level.shape
        ox = -SHIFT * len(bottoms)
        bottoms.append((ox, height))
        xs += [ox + style.SHEAR_X * gh, ox + gw]
        ys += [height, height + style.SLOPE * gw + style.SHEAR_Y * gh]
        height += gh + 1
    text = font(LABEL_PX)
    label_px = max(text.getlength(line) for level in found for line in level.label)
    width_u, height_u = max(xs) - min(xs), max(ys) - min(ys)
    room = sizing.MAX_SIDE_PX - 2 * style.BORDER_PX - 3
    unit = min(style.UNIT_PX, (room - label_px - LABEL_GAP_PX) / width_u, room / height_u) \
        if unit_px is None else float(unit_px)
    if unit < MIN_UNIT_PX:
        raise ConvVizError(f"the stack's maps ({size_text(found[0].shape)} cells at the "
                           f"bottom) leave {unit:.2f} px a cell in {sizing.MAX_SIDE_PX} px (at "
                           f"least {MIN_UNIT_PX:g} needed): use a smaller input")
    border = style.BORDER_PX
    size = (int(height_u * unit + 2 * border + 2.2),
            int(width_u * unit + 2 * border + 2.2 + LABEL_GAP_PX + label_px))
    origins = tuple((border + 1 + (x - min(xs)) * unit, size[0] - border - 1 - (y - min(ys)) * unit)
                    for x, y in bottoms)
    labels = _labels_at(found, origins, unit, border + 1 + width_u * unit + LABEL_GAP_PX)
    return Plan(found, unit, size, origins, labels, unit >= LINES_UNIT_PX)


def _labels_at(found: tuple[Level, ...], origins: tuple, unit: float, left: float) -> tuple:
    """Each label's top-left pixel: at ``left``, centred on its map's height, and kept above
    the label of the map below."""
    line_px = font(LABEL_PX).size * 1.25
    labels, last = [], float("inf")
    for level, (_, oy) in zip(found, origins):
        gh, gw = level.shape
        lines_px = line_px * len(level.label)
        top = oy - unit * (style.SLOPE * gw + style.SHEAR_Y * gh) / 2 - lines_px / 2
        labels.append((left, max(min(top, last - lines_px - 4), 2.0)))
        last = labels[-1][1]
    return tuple(labels)


def windows(found: tuple[Level, ...], rows: list[list], cols: list[list]
            ) -> tuple[tuple[range, range], ...]:
    """Each level's window for a zoomed figure: the map positions ``rows[l]`` x ``cols[l]``
    (padding positions too) that the frames light, and :data:`MARGIN` cells around them,
    within the drawn grid."""
    found_windows = []
    for level, level_rows, level_cols in zip(found, rows, cols):
        spans = []
        for positions, before, length in zip((level_rows, level_cols), level.before,
                                             level.shape):
            if not positions:
                spans.append(range(length))
                continue
            low, high = min(positions) + before - MARGIN, max(positions) + before + 1 + MARGIN
            spans.append(range(max(low, 0), min(high, length)))
        found_windows.append(tuple(spans))
    return tuple(found_windows)
