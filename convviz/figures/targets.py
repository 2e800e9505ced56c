"""The cells a page can point at: each drawn cell's outline, the step that computes it, the
cells it feeds or reads, and the line that says so, as :class:`~convviz.figures.base.Target`s.

Each figure kind gives the outlines (the same positions its renderer uses) and :func:`build`
adds the rest from :mod:`convviz.links`: an input cell feeds the output cells whose sums read
it, an output cell reads the input cells under its window; a figure of two convolutions
(separable) has a middle map ``h``. Lines name every cell up to :data:`LISTED`, then say which
rows and columns.

>>> spec = ConvSpec(input_size=5, kernel_size=3, stride=2, padding=1)
>>> box = ((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0))
>>> [t.line for t in build((spec,), {"x[1,1]": box, "y[0,0]": box})]
['x[1,1] feeds y[0,0], y[0,1], y[1,0], y[1,1]', 'y[0,0] reads x[0,0], x[0,1], x[1,0], x[1,1] \
and 5 padding cells']
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence

import numpy as np

from ..geometry import INPUT, grid
from ..links import Links, links
from ..ops.spec import ConvSpec
from .base import Outline, Target

MAX_TARGETS = 3000
"""Most cells a figure offers to point at; larger figures draw them too small to point at."""
LISTED = 12
"""A line names up to this many cells; beyond it, it says which rows and columns."""


def fits(stages: Sequence[ConvSpec]) -> bool:
    """Whether the figure of ``stages`` (:meth:`ConvSpec.stages`) has at most
    :data:`MAX_TARGETS` cells to point at (arithmetic only)."""
    sizes = [stages[0].input_size] + [s.output_size for s in stages]
    return sum(math.prod(size) for size in sizes) <= MAX_TARGETS


def drawn_inputs(spec: ConvSpec) -> Iterator[tuple[tuple[int, int], tuple[int, int]]]:
    """``((row, col), (grid_row, grid_col))`` of every input cell the drawn grid shows (a
    transposed spec may crop some), rows from the top, row-major."""
    g = grid(spec)
    for gr, gc in zip(*np.nonzero(g.kind == INPUT)):
        yield tuple(g.source[gr, gc].tolist()), (int(gr), int(gc))


def parallelogram(point: Callable[[float, float], tuple[float, float]],
                  rows: int) -> Callable[[int, int], Outline]:
    """The outline of cell ``(row, col)`` (row from the top) of an oblique grid of ``rows``
    rows whose grid point ``(x, y)`` (y from the bottom) is drawn at pixel ``point(x, y)``."""
    def outline(row: int, col: int) -> Outline:
        y = rows - 1 - row
        return tuple(_rounded(point(x, y)) for x, y in
                     ((col, y + 1), (col + 1, y + 1), (col + 1, y), (col, y)))
    return outline


def rectangle(x0: float, y0: float, row: int, col: int, cell_px: float) -> Outline:
    """The outline of cell ``(row, col)`` of a flat grid whose top-left corner is at pixel
    ``(x0, y0)``."""
    left, top = x0 + col * cell_px, y0 + row * cell_px
    return tuple(_rounded(p) for p in ((left, top), (left + cell_px, top),
                                       (left + cell_px, top + cell_px), (left, top + cell_px)))


def _rounded(point: tuple[float, float]) -> tuple[float, float]:
    return round(float(point[0]), 2), round(float(point[1]), 2)


def cell_name(prefix: str, cell: tuple[int, int]) -> str:
    """``"y[1,1]"``: a cell's name, row then column."""
    return f"{prefix}[{cell[0]},{cell[1]}]"


def _indices(values: list[int]) -> str:
    """``"3–7"``, ``"0–8 every 2"`` or ``"0, 1, 5"``."""
    if len(values) > 2 and len(set(np.diff(values).tolist())) == 1:
        step = values[1] - values[0]
        return f"{values[0]}–{values[-1]}" + (f" every {step}" if step > 1 else "")
    return ", ".join(map(str, values))


def listing(prefix: str, cells: list[tuple[int, int]]) -> str:
    """The cells by name, or for more than :data:`LISTED` how many and where.

    >>> listing("y", [(r, c) for r in range(4) for c in range(0, 8, 2)])
    '16 cells of y: rows 0–3, columns 0–6 every 2'
    """
    if len(cells) <= LISTED:
        return ", ".join(cell_name(prefix, cell) for cell in cells)
    rows, cols = sorted({r for r, _ in cells}), sorted({c for _, c in cells})
    return f"{len(cells)} cells of {prefix}: rows {_indices(rows)}, columns {_indices(cols)}"


def _padding(spec: ConvSpec, count: int) -> str:
    """What the taps of a step that miss the input read."""
    if spec.transposed:
        return f"{count} inserted zeros or padding cells"
    if spec.padding_mode != "zeros":
        return f"{count} {spec.padding_mode} padding cells (copies of input cells)"
    return f"{count} padding cells"


def _reads(spec: ConvSpec, found: Links, cell: tuple[int, int], read: list, prefix: str,
           scatter: bool) -> str:
    """``reads x[0,0], … and 5 padding cells`` (or the stamps it sums, ``scatter``)."""
    if scatter:
        return f"sums the stamps of {listing(prefix, read)}" if read else \
            "gets no stamp, so it is 0"
    missed = found.kernel_taps - int(found.taps[cell])
    if not read:
        return f"reads only {_padding(spec, missed).split(' ', 1)[1]}, so it is 0"
    extra = f" and {_padding(spec, missed)}" if missed else ""
    return f"reads {listing(prefix, read)}{extra}"


def _feeds(transposed: bool, fed: list[list], names: str) -> str:
    """``feeds y[0,0], …`` through every later map (``fed``: the cells of each), or why it
    feeds nothing."""
    parts, last = [], 0
    for level, cells in enumerate(fed, start=1):
        if not cells:
            break
        through = f", and through {'it' if last == 1 else 'them'} " if parts else ""
        parts.append(through + listing(names[level], cells))
        last = len(cells)
    if not parts:
        why = ("its whole stamp lands in the padding that is cropped off" if transposed
               else "no kernel position reads it")
        return f"feeds no output cell: {why}"
    return "feeds " + "".join(parts)


def build(stages: Sequence[ConvSpec], outlines: Mapping[str, Outline], *,
          scatter: bool = False) -> tuple[Target, ...]:
    """The targets of a figure of ``stages`` (one convolution, or separable's two) whose
    drawn cells have ``outlines`` (by name: ``x``, ``h`` for a middle map, ``y``), in the
    maps' order, row-major. Output cells step with the figure's frames (one per output cell
    of each stage, in order); in the ``scatter`` view a frame stamps one input cell."""
    names = "xy" if len(stages) == 1 else "xhy"
    steps = [links(s) for s in stages]
    sizes = [stages[0].input_size] + [s.output_size for s in stages]
    offsets = np.cumsum([0] + [math.prod(s.output_size) for s in stages])
    found = []
    for level, size in enumerate(sizes):
        after = [steps[level]] if level < len(steps) else []
        for more in steps[level + 1:]:
            after.append(after[-1].then(more))
        for cell in np.ndindex(*size):
            here = cell_name(names[level], cell)
            if here not in outlines:
                continue
            parts, lit = [], []
            if level:
                read = steps[level - 1].reads(*cell)
                parts.append(_reads(stages[level - 1], steps[level - 1], cell, read,
                                    names[level - 1], scatter))
                lit += [cell_name(names[level - 1], c) for c in read]
            if after:
                fed = [chained.feeds(*cell) for chained in after]
                parts.append(_feeds(stages[0].transposed, fed, names[level:]))
                lit += [cell_name(names[level + k], c) for k, cells in enumerate(fed, 1)
                        for c in cells]
            step = _step(steps, offsets, level, cell, size, scatter)
            found.append(Target(here, outlines[here], step, tuple(lit),
                                f"{here} " + "; it ".join(parts)))
    return tuple(found) if stages[0].dims == 2 else tuple(_one_d(t) for t in found)


def _one_d(target: Target) -> Target:
    """A 1-D figure's target named as its captions name cells, ``x[3]``: the one-row plane's
    row index dropped."""
    def named(text: str) -> str:
        return re.sub(r"([xhy])\[0,(\d+)\]", r"\1[\2]", text.replace("rows 0, columns ", ""))
    return Target(named(target.name), target.outline, target.step,
                  tuple(named(link) for link in target.links), named(target.line))


def _step(steps: list[Links], offsets: np.ndarray, level: int, cell: tuple[int, int],
          size: tuple[int, int], scatter: bool) -> int | None:
    """The frame that computes ``cell`` of map ``level`` (see :func:`build`)."""
    if scatter:
        if level == 0:
            return cell[0] * size[1] + cell[1]
        rows = np.flatnonzero(steps[0].rows[:, cell[0]])     # the inputs that stamp it
        cols = np.flatnonzero(steps[0].cols[:, cell[1]])
        width = steps[0].cols.shape[0]
        return int(rows[-1] * width + cols[-1]) if len(rows) and len(cols) else None
    if level == 0:
        return None
    return int(offsets[level - 1]) + cell[0] * size[1] + cell[1]
