"""The cells of a stack figure a page can point at: every real cell of every map, outlined
where the figure draws it, with the cells it depends on (every map below) or feeds (every map
above), and the line that says so.

Per axis, each layer's :func:`convviz.links.links` (through its stages) is a boolean matrix
from its input's rows to its output's; their products relate any two maps. A chosen output
cell of the figure's frames steps to its frame.

>>> from convviz.ops.stack_text import parse_stack
>>> from convviz.figures.stack_layout import plan
>>> stack = parse_stack("conv k3; conv k3", input_size=5)
>>> [t.line for t in stack_targets(stack, plan(stack), ((0, 0),)) if t.name == "x[0,0]"]
['x[0,0] feeds h1[0,0]; y[0,0]']
"""
from __future__ import annotations

import math
from functools import partial

import numpy as np

from ..links import links
from ..ops.spec import ConvSpec
from ..ops.stack import Stack
from .base import Target
from .stack_layout import Plan
from .targets import MAX_TARGETS, cell_name, listing, parallelogram


def _reads(spec: ConvSpec) -> tuple[np.ndarray, np.ndarray]:
    """Per axis, ``(n_in, n_out)`` bool: input index i is read by output index o (through
    every stage of ``spec``)."""
    found = None
    for stage in spec.stages():
        step = links(stage)
        found = (step.rows, step.cols) if found is None else tuple(
            (a.astype(np.int64) @ b) > 0 for a, b in zip(found, (step.rows, step.cols)))
    return found


def _related(stack: Stack) -> dict[tuple[int, int], tuple[np.ndarray, np.ndarray]]:
    """``{(b, a): (rows, cols)}`` for maps ``b < a``: map b's index i is in the field of map
    a's index o, per axis."""
    layers = [_reads(spec) for spec in stack.specs()]
    found = {}
    for a in range(1, len(layers) + 1):
        found[a - 1, a] = layers[a - 1]
        for b in range(a - 2, -1, -1):
            found[b, a] = tuple((low.astype(np.int64) @ high) > 0 for low, high in
                                zip(layers[b], found[b + 1, a]))
    return found


def _cells(rows: np.ndarray, cols: np.ndarray) -> list[tuple[int, int]]:
    return [(int(r), int(c)) for r in np.flatnonzero(rows) for c in np.flatnonzero(cols)]


def stack_targets(stack: Stack, found: Plan, chosen: tuple[tuple[int, int], ...]
                  ) -> tuple[Target, ...]:
    """The targets of the stack figure drawn by ``found`` whose frames choose the output cells
    ``chosen``; none when the maps have more than :data:`~convviz.figures.targets.MAX_TARGETS`
    cells or are drawn without cell lines."""
    levels = found.levels
    if not found.lines or sum(math.prod(map(len, level.shown())) for level in levels) > \
            MAX_TARGETS:
        return ()
    related, last, targets = _related(stack), len(levels) - 1, []
    for a, level in enumerate(levels):
        outline = parallelogram(partial(found.point, a), level.shape[0])
        shown_rows, shown_cols = level.shown()
        for i, j in ((i, j) for i in shown_rows for j in shown_cols):
            name = cell_name(level.name, (i, j))
            below = [(levels[b].name, _cells(related[b, a][0][:, i], related[b, a][1][:, j]))
                     for b in range(a - 1, -1, -1)]
            above = [(levels[c].name, _cells(related[a, c][0][i], related[a, c][1][j]))
                     for c in range(a + 1, last + 1)]
            parts = []
            if a:
                parts.append("depends on " + "; ".join(listing(n, c) if c else f"no cell of {n}"
                                                      for n, c in below)
                             if below[0][1] else "reads only padding: it depends on no cell")
            if a < last:
                parts.append("feeds " + "; ".join(listing(n, c) for n, c in above if c)
                             if above[0][1] else "feeds no cell: no window reads it")
            lit = tuple(cell_name(n, c) for n, cells in below + above for c in cells)
            step = chosen.index((i, j)) if a == last and (i, j) in chosen else None
            targets.append(Target(name, outline(i + level.before[0], j + level.before[1]), step,
                                  lit, f"{name} " + "; it ".join(parts)))
    return tuple(targets)
