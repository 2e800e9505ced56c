"""Receptive fields through a stack of layers, per layer and per axis: size, jump and start.

On the unbounded line (padding extends every map, nothing is clipped), a direct layer with
kernel k, stride s, dilation d and padding p before the map (top, left) gives

    rf_l    = rf_{l−1} + d·(k−1)·j_{l−1}
    j_l     = j_{l−1}·s
    start_l = start_{l−1} + (d·(k−1)/2 − p)·j_{l−1}

from rf_0 = 1, j_0 = 1, start_0 = 0 (input cell i has its centre at i): every output cell o
sees ``rf`` input cells centred at ``start + o·jump`` (Araujo, Norris & Sim, "Computing
Receptive Fields of Convolutional Neural Networks", Distill, 2019). A depthwise-separable layer
is its two stages; a pooling is a window like a kernel.

A transposed layer of stride s spreads each input over s output cells: output o reads the
inputs i with ``i·s − p + t·d = o`` for some tap t, so the jump becomes the fraction ``j/s``
and neighbouring output cells read different numbers of inputs. With a transposed layer in the
stack the fields are followed exactly, one output cell at a time over a period of the pattern
(the product of the transposed strides): ``rf`` is then the largest field and ``rf_min`` the
smallest (0 when some output cell reads no input, only inserted zeros), and ``start`` is the
centre of output 0's field (None when it reads none).

>>> from convviz.ops.stack_text import parse_stack
>>> [f.rf for f in layer_fields(parse_stack("conv k7 s2 p3; maxpool k3 s2 p1").specs())]
[(7, 7), (11, 11)]
>>> up = layer_fields(parse_stack("transposed k3 s2 p1", input_size=4).specs())[0]
>>> str(up.jump[0]), up.rf_min, up.rf
('1/2', (1, 1), (2, 2))
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..errors import ConvVizError
from .spec import ConvSpec

MAX_PERIOD = 4096
"""Most output cells a transposed stack's pattern repeats over (followed cell by cell)."""
MAX_CELLS = 1 << 22
"""Most input positions followed at once for a stack with transposed layers."""

Stage = tuple[int, int, int, int, bool]
"""One window along one axis: ``(k, s, d, p, transposed)``, ``p`` before the map."""


@dataclass(frozen=True)
class Field:
    """The receptive field of a layer's output cells along one axis, in input cells.

    Attributes
    ----------
    rf, rf_min : int
        The most and the fewest input cells an output cell's field spans (equal for a stack
        without transposed layers).
    jump : Fraction
        Input cells between the centres of neighbouring output cells' fields (the product of
        the strides; a transposed layer divides by its stride).
    start : Fraction or None
        The centre of output cell 0's field, in input cells (cell i's centre is i).
    """

    rf: int
    rf_min: int
    jump: Fraction
    start: Fraction | None


@dataclass(frozen=True)
class LayerField:
    """A layer's :class:`Field` along the rows and the columns."""

    rows: Field
    cols: Field

    @property
    def rf(self) -> tuple[int, int]:
        return self.rows.rf, self.cols.rf

    @property
    def rf_min(self) -> tuple[int, int]:
        return self.rows.rf_min, self.cols.rf_min

    @property
    def jump(self) -> tuple[Fraction, Fraction]:
        return self.rows.jump, self.cols.jump

    @property
    def start(self) -> tuple[Fraction | None, Fraction | None]:
        return self.rows.start, self.cols.start


def stages(spec: ConvSpec, axis: int) -> tuple[Stage, ...]:
    """The windows ``spec`` runs along ``axis`` (0 rows, 1 columns), stage by stage."""
    found = []
    for stage in spec.stages():
        k, s, d = stage.kernel_size[axis], stage.stride[axis], stage.dilation[axis]
        p = stage.padding[axis] if stage.transposed else stage.pads[2 * axis]
        found.append((k, s, d, p, stage.transposed))
    return tuple(found)


def layer_fields(specs: Sequence[ConvSpec]) -> tuple[LayerField, ...]:
    """The field of each layer's output cells, for a chain of specs (each on the last one's
    output): closed form without transposed layers, else followed exactly."""
    per_axis = [[stages(spec, axis) for spec in specs] for axis in (0, 1)]
    exact = any(stage[4] for axis in per_axis for layer in axis for stage in layer)
    rows, cols = (_followed(axis) if exact else _closed(axis) for axis in per_axis)
    return tuple(LayerField(r, c) for r, c in zip(rows, cols))


def _closed(layers: Sequence[Sequence[Stage]]) -> list[Field]:
    rf, jump, start, found = 1, Fraction(1), Fraction(0), []
    for layer in layers:
        for k, s, d, p, _ in layer:
            rf, start = rf + d * (k - 1) * jump, start + (Fraction(d * (k - 1), 2) - p) * jump
            jump *= s
        found.append(Field(int(rf), int(rf), jump, start))
    return found


class _Pattern:
    """The exact fields of every output cell along one axis: ``at(o)`` is the sorted input
    positions (unbounded line) output ``o`` reads; ``at(o + period) = at(o) + shift``."""

    def __init__(self) -> None:
        self.period, self.jump, self.sets = 1, Fraction(1), [np.zeros(1, np.int64)]

    @property
    def shift(self) -> int:
        return int(self.jump * self.period)

    def at(self, o: np.ndarray | int) -> np.ndarray:
        """The union of the fields of outputs ``o``."""
        q, r = np.divmod(np.atleast_1d(o), self.period)
        parts = [self.sets[int(rr)] + int(qq) * self.shift for qq, rr in zip(q, r)]
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, np.int64)

    def then(self, k: int, s: int, d: int, p: int, transposed: bool) -> None:
        """Follow one more window."""
        taps = d * np.arange(k)
        if transposed:
            period = self.period * s
            if period > MAX_PERIOD:
                raise ConvVizError(f"the transposed strides repeat their pattern every "
                                   f"{period} cells, more than the {MAX_PERIOD} convviz follows")
            reads = [(r + p - taps) for r in range(period)]
            self.sets = [self.at(m[m % s == 0] // s) for m in reads]
            self.period, self.jump = period, self.jump / s
        else:
            self.sets = [self.at(r * s - p + taps) for r in range(self.period)]
            self.jump *= s
        if sum(len(found) for found in self.sets) > MAX_CELLS:
            raise ConvVizError(f"the fields of this stack span more than {MAX_CELLS:,} input "
                               f"cells: too many to follow cell by cell")

    def field(self) -> Field:
        spans = [int(f[-1] - f[0] + 1) if len(f) else 0 for f in self.sets]
        first = self.sets[0]
        start = Fraction(int(first[0] + first[-1]), 2) if len(first) else None
        return Field(max(spans), min(spans), self.jump, start)


def _followed(layers: Sequence[Sequence[Stage]]) -> list[Field]:
    pattern, found = _Pattern(), []
    for layer in layers:
        for stage in layer:
            pattern.then(*stage)
        found.append(pattern.field())
    return found


def field_bounds(specs: Sequence[ConvSpec], cell: tuple[int, int]) -> tuple | None:
    """The field of output cell ``cell`` of the last spec on the unbounded line, half-open
    ``((y0, y1), (x0, x1))`` in input cells (beyond the input where it reaches into padding);
    None when it reads no input position at all (a transposed layer's inserted zeros).

    >>> from convviz.ops.stack_text import parse_stack
    >>> field_bounds(parse_stack("conv k3 p1; conv k3 p1", input_size=8).specs(), (0, 0))
    ((-2, 3), (-2, 3))
    """
    bounds = []
    for axis in (0, 1):
        layers = [stages(spec, axis) for spec in specs]
        if not any(stage[4] for layer in layers for stage in layer):
            field = _closed(layers)[-1]
            low = field.start + cell[axis] * field.jump - Fraction(field.rf - 1, 2)
            bounds.append((int(low), int(low) + field.rf))
            continue
        pattern = _Pattern()
        for layer in layers:
            for stage in layer:
                pattern.then(*stage)
        found = pattern.at(cell[axis])
        if not len(found):
            return None
        bounds.append((int(found[0]), int(found[-1]) + 1))
    return tuple(bounds)
