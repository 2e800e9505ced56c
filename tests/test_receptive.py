"""convviz.ops.receptive and convviz.ops.summary: receptive field, jump and start per layer,
exact for transposed layers (fractional jumps, fields that differ from cell to cell), checked
against PyTorch's autograd; the table's rows and their JSON."""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import numpy as np
import pytest

from convviz import ConvVizError
from convviz.ops.receptive import MAX_PERIOD, field_bounds, layer_fields
from convviz.ops.stack import Layer, Stack
from convviz.ops.stack_text import parse_stack
from convviz.ops.summary import as_json, fraction_text, pair_text, rf_text, summary
from convviz.regions import region


def test_a_transposed_layer_halves_the_jump_and_its_cells_read_one_or_two_inputs():
    field = layer_fields(parse_stack("transposed k3 s2 p1", input_size=4).specs())[0]
    assert field.jump == (Fraction(1, 2),) * 2
    assert field.rf_min == (1, 1) and field.rf == (2, 2) and field.start == (0, 0)


def test_down_then_up_returns_to_jump_1():
    fields = layer_fields(parse_stack("maxpool k2; transposed k2 s2", input_size=8).specs())
    assert [f.jump[0] for f in fields] == [2, 1]
    assert fields[1].rf == fields[1].rf_min == (2, 2)


def test_an_output_cell_that_reads_only_inserted_zeros_has_no_start():
    field = layer_fields(parse_stack("transposed k1 s2 p1", input_size=4).specs())[0]
    assert field.start == (None, None) and field.rf_min == (0, 0) and field.rf == (1, 1)


def test_patterns_that_repeat_too_rarely_are_refused():
    text = "; ".join(["transposed k1 s8"] * 5)
    with pytest.raises(ConvVizError, match=f"more than the {MAX_PERIOD} convviz follows"):
        layer_fields(parse_stack(text, input_size=1).specs())


def random_up_stack(rng: np.random.Generator) -> Stack | None:
    """Up to 4 layers, at least one transposed (k, s, d, p, output padding), no padding
    elsewhere."""
    layers = []
    for _ in range(int(rng.integers(1, 5))):
        k, s, d = int(rng.integers(1, 5)), int(rng.integers(1, 4)), int(rng.integers(1, 3))
        if rng.integers(3):
            fields = {"kernel_size": k, "stride": s, "dilation": d,
                      "padding": int(rng.integers(0, 2)),
                      "output_padding": int(rng.integers(0, min(s, d)))}
            layers.append(Layer("transposed", tuple(fields.items())))
        else:
            layers.append(Layer(str(rng.choice(["conv", "maxpool"])),
                                (("kernel_size", k), ("stride", s), ("dilation", d))))
    try:
        return Stack(tuple(layers), tuple(int(v) for v in rng.integers(3, 9, size=2)))
    except ConvVizError:
        return None


def up_gradients(torch, stack: Stack, cell):
    """Input cells with a gradient for output ``cell``, ones everywhere (max pooling as a
    summing window of its size)."""
    F = torch.nn.functional
    x = torch.ones((1, 1, *stack.input_size), dtype=torch.float64, requires_grad=True)
    y = x
    for spec in stack.specs():
        ones = torch.ones((1, 1, *spec.kernel_size), dtype=torch.float64)
        args = spec.arguments()
        if spec.transposed:
            y = F.conv_transpose2d(y, ones, None, args["stride"], args["padding"],
                                   args["output_padding"], 1, args["dilation"])
        else:
            y = F.conv2d(y, ones, None, args["stride"], args["padding"], args["dilation"])
        assert tuple(y.shape[2:]) == spec.output_size
    y[0, 0, cell[0], cell[1]].backward()
    return {tuple(c) for c in torch.nonzero(x.grad[0, 0]).tolist()}


@lru_cache(maxsize=2)
def up_stacks(count: int, limit: int) -> list[Stack]:
    """``count`` random stacks with a transposed layer, outputs at most ``limit`` a side."""
    rng, found = np.random.default_rng(1), []
    while len(found) < count:
        stack = random_up_stack(rng)
        if stack is not None and any(spec.transposed for spec in stack.specs()) and \
                max(stack.output_size) <= limit:
            found.append(stack)
    return found


@pytest.mark.parametrize("number", range(40))
def test_stacks_with_transposed_layers_against_autograd(torch, number):
    stack = up_stacks(40, 24)[number]
    rng = np.random.default_rng(number)
    cells = {tuple(int(v) for v in rng.integers(0, stack.output_size)) for _ in range(12)}
    last = layer_fields(stack.specs())[-1]
    for cell in cells | {(0, 0)}:
        found = region(stack, cell)
        assert {tuple(c) for c in found.cells()} == up_gradients(torch, stack, cell)
        bounds = field_bounds(stack.specs(), cell)
        for axis, (low, high) in enumerate(bounds or ()):
            assert last.rf_min[axis] <= high - low <= last.rf[axis]
            if found.box is not None:                       # clipping only removes cells
                assert low <= found.box[axis][0] and found.box[axis][1] <= high


@pytest.mark.parametrize("number", range(40))
def test_far_from_the_borders_fields_span_exactly_rf_min_to_rf(number):
    """In the middle of a large input nothing is clipped: over a period of output cells the
    regions are the fields, and their sizes run exactly from rf_min to rf."""
    small = up_stacks(40, 24)[number]
    stack = Stack(small.layers, 40)
    last, period = layer_fields(stack.specs())[-1], 1
    for spec in stack.specs():
        period *= spec.stride[0] if spec.transposed else 1
    middle = stack.output_size[0] // 2
    spans = set()
    for o in range(middle, middle + period):
        found = region(stack, (o, o))
        assert found.box == field_bounds(stack.specs(), (o, o))
        spans.add(found.box[0][1] - found.box[0][0] if found.box else 0)
    assert (min(spans), max(spans)) == (last.rf_min[0], last.rf[0]), stack.to_text()


def test_rows_of_the_table():
    rows = summary(parse_stack("conv k3 p1 c8; relu; transposed k2 s2 c4", input_size=5,
                               in_channels=3))
    assert [(r.number, r.spatial, r.output, r.channels) for r in rows] == [
        (1, True, (5, 5), 8), (2, False, (5, 5), 8), (3, True, (10, 10), 4)]
    assert rows[1].rf == rows[0].rf == (3, 3)                  # ReLU keeps the field
    assert rows[2].jump == (Fraction(1, 2),) * 2
    assert (rows[0].parameters, rows[0].macs) == (3 * 8 * 9 + 8, 25 * 3 * 8 * 9)
    assert as_json(rows[2])["jump"] == [0.5, 0.5]
    assert as_json(rows[2])["jump_exact"] == ["1/2", "1/2"]
    assert "jump_exact" not in as_json(rows[0]) and "rf_min" not in as_json(rows[0])


def test_how_the_table_writes_numbers():
    assert fraction_text(Fraction(-1, 2)) == "−1/2" and fraction_text(None) == "–"
    assert pair_text((2, 2)) == "2" and pair_text((Fraction(1, 2), 1)) == "1/2, 1"
    row = summary(parse_stack("transposed k3 s2 p1", input_size=4))[0]
    assert rf_text(row) == "1–2"
