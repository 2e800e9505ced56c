"""One row per layer of a stack: what it is, the map it makes, its receptive field and its
counts. The CLI prints these rows (``stack``, ``--json``), the app shows them as its table and
the figure labels its maps with them.

A shape-preserving layer (ReLU, BatchNorm) keeps the map and the field of the layer before it.
Fractions (a transposed layer's jump) stay exact: :func:`number` writes them for JSON,
:func:`fraction_text` for people (``1/2``).

>>> from convviz.ops.stack_text import parse_stack
>>> rows = summary(parse_stack("conv k7 s2 p3 c64; relu; maxpool k3 s2 p1", input_size=224,
...                            in_channels=3))
>>> [(row.text, row.output, row.rf, row.jump) for row in rows][-1]
('maxpool k3 s2 p1', (56, 56), (11, 11), (Fraction(4, 1), Fraction(4, 1)))
>>> as_json(rows[0])["parameters"], pair_text(rows[0].jump), pair_text((Fraction(1, 2),) * 2)
(9472, '2', '1/2')
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..text import MINUS
from .receptive import Field, LayerField, layer_fields
from .stack import Stack


@dataclass(frozen=True)
class Row:
    """One layer of a stack as the table shows it.

    Attributes
    ----------
    number : int, from 1
    text, torch : str
        The layer in the short form and as a PyTorch module.
    spatial : bool
        False for a shape-preserving layer.
    output : (H, W); channels : int
    rf, rf_min : (int, int)
        The most and the fewest input cells an output cell's field spans, per axis.
    jump : (Fraction, Fraction); start : (Fraction or None, Fraction or None)
    parameters, macs : int
    """

    number: int
    text: str
    torch: str
    spatial: bool
    output: tuple[int, int]
    channels: int
    rf: tuple[int, int]
    rf_min: tuple[int, int]
    jump: tuple[Fraction, Fraction]
    start: tuple[Fraction | None, Fraction | None]
    parameters: int
    macs: int


def summary(stack: Stack) -> tuple[Row, ...]:
    """The rows of ``stack``, one per layer."""
    fields = iter(layer_fields(stack.specs()))
    field = LayerField(*(Field(1, 1, Fraction(1), Fraction(0)),) * 2)     # the input's
    rows = []
    for number, (layer, spec, torch, size, channels, (params, macs)) in enumerate(zip(
            stack.layers, stack.layer_specs(), stack.torch_lines(), stack.sizes(),
            stack.channels(), stack.counts()), start=1):
        if spec is not None:
            field = next(fields)
        rows.append(Row(number, layer.text(), torch, spec is not None, size, channels,
                        field.rf, field.rf_min, field.jump, field.start, params, macs))
    return tuple(rows)


def number(value: Fraction | int | None) -> int | float | None:
    """A JSON number: whole values as ints, other fractions as floats."""
    if value is None:
        return None
    return int(value) if Fraction(value).denominator == 1 else float(value)


def fraction_text(value: Fraction | int | None) -> str:
    """``2``, ``1/2``, ``−1/2``; ``–`` for None."""
    if value is None:
        return "–"
    text = str(Fraction(value))
    return text.replace("-", MINUS)


def pair_text(values: tuple) -> str:
    """A pair as people read it: ``2`` when both axes agree, else ``2, 1``."""
    texts = [fraction_text(v) for v in values]
    return texts[0] if texts[0] == texts[1] else ", ".join(texts)


def rf_text(row: Row) -> str:
    """The field's size: ``11``, ``7, 5``, or a range ``1–2`` where cells differ."""
    parts = [f"{low}–{high}" if low != high else str(high)
             for low, high in zip(row.rf_min, row.rf)]
    return parts[0] if parts[0] == parts[1] else ", ".join(parts)


def as_json(row: Row) -> dict:
    """The row as the CLI's ``--json`` writes it: ``output``, ``rf``, ``jump``, ``start`` as
    ``[H, W]`` lists, and the layer, its module, channels and counts; ``rf_min`` where the
    cells' fields differ, ``jump_exact`` (``"1/2"``) where the jump is a fraction."""
    found = {"layer": row.text, "torch": row.torch, "output": list(row.output),
             "channels": row.channels, "rf": list(row.rf),
             "jump": [number(v) for v in row.jump], "start": [number(v) for v in row.start],
             "parameters": row.parameters, "macs": row.macs}
    if row.rf_min != row.rf:
        found["rf_min"] = list(row.rf_min)
    if any(Fraction(v).denominator != 1 for v in row.jump):
        found["jump_exact"] = [str(v) for v in row.jump]
    return found
