"""convviz.regions: the input cells an output cell of a stack depends on, checked against
PyTorch's autograd on 200 random stacks (all-ones weights and inputs, so every read cell gets
a positive gradient), and the receptive-field numbers against the closed form."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from convviz import ConvVizError
from convviz.ops.receptive import layer_fields
from convviz.ops.stack import Layer, Stack
from convviz.ops.stack_text import parse_stack
from convviz.regions import region


def random_layer(rng: np.random.Generator) -> Layer:
    """A conv (k, s, p, d) or a pooling (max with dilation, average; ceil mode) layer."""
    kind = rng.choice(["conv", "conv", "maxpool", "avgpool"])
    k = int(rng.integers(1, 6 if kind == "conv" else 5))
    fields = {"kernel_size": k, "stride": int(rng.integers(1, 4))}
    if kind == "conv":
        fields |= {"padding": int(rng.integers(0, 4)), "dilation": int(rng.integers(1, 4))}
    else:
        fields |= {"padding": int(rng.integers(0, k // 2 + 1)),
                   "ceil_mode": bool(rng.integers(0, 2))}
        if kind == "maxpool":
            fields["dilation"] = int(rng.integers(1, 3))
    return Layer(str(kind), tuple(fields.items()))


def random_stacks(count: int, seed: int = 0) -> list[Stack]:
    """``count`` valid stacks of 1 to 6 layers on inputs of 6 to 40 cells a side."""
    rng, found = np.random.default_rng(seed), []
    while len(found) < count:
        layers = tuple(random_layer(rng) for _ in range(int(rng.integers(1, 7))))
        size = tuple(int(v) for v in rng.integers(6, 41, size=2))
        try:
            found.append(Stack(layers, size))
        except ConvVizError:
            continue                            # a map shrank to nothing: PyTorch refuses too
    return found


def torch_stack(torch, stack: Stack, x):
    """The stack in PyTorch with all-ones weights; each pooling as a window that sums with
    positive weights (average pooling; a dilated max pooling as an all-ones dilated
    convolution cropped to max pooling's own output size), so that every cell a window reads
    gets a positive gradient. Checks that PyTorch's own modules give the same sizes."""
    F = torch.nn.functional
    for spec in stack.specs():
        args = spec.arguments()
        stride, padding, dilation = args["stride"], args["padding"], args.get("dilation", (1, 1))
        if spec.mode == "conv":
            y = F.conv2d(x, torch.ones((1, 1, *spec.kernel_size), dtype=x.dtype), None, stride,
                         padding, dilation)
        else:
            pool = (torch.nn.MaxPool2d(spec.kernel_size, stride, padding, dilation,
                                       ceil_mode=spec.ceil_mode) if spec.mode == "maxpool" else
                    torch.nn.AvgPool2d(spec.kernel_size, stride, padding, spec.ceil_mode,
                                       spec.count_include_pad))
            size = pool(x.detach()).shape[2:]
            if spec.mode == "avgpool" or dilation == (1, 1):
                y = F.avg_pool2d(x, spec.kernel_size, stride, padding, spec.ceil_mode)
            else:
                wide = F.pad(x, (0, stride[1], 0, stride[0]))    # ceil mode's last windows
                y = F.conv2d(wide, torch.ones((1, 1, *spec.kernel_size), dtype=x.dtype), None,
                             stride, padding, dilation)[:, :, :size[0], :size[1]]
            assert tuple(y.shape[2:]) == tuple(size)
        assert tuple(y.shape[2:]) == spec.output_size
        x = y
    return x


def gradient_cells(torch, stack: Stack, cell: tuple[int, int]) -> set[tuple[int, int]]:
    """The input cells whose gradient is not zero for output ``cell``."""
    x = torch.ones((1, 1, *stack.input_size), dtype=torch.float64, requires_grad=True)
    torch_stack(torch, stack, x)[0, 0, cell[0], cell[1]].backward()
    return {tuple(c) for c in torch.nonzero(x.grad[0, 0]).tolist()}


def closed_form(stack: Stack) -> list[tuple]:
    """rf, jump and start of each layer by Araujo et al.'s recurrences, per axis."""
    found, state = [], [(1, Fraction(1), Fraction(0))] * 2
    for spec in stack.specs():
        axes = []
        for axis, (rf, jump, start) in enumerate(state):
            k, s = spec.kernel_size[axis], spec.stride[axis]
            d, p = spec.dilation[axis], spec.padding[axis]
            axes.append((rf + (k - 1) * d * jump, jump * s,
                         start + (Fraction((k - 1) * d, 2) - p) * jump))
        state = axes
        found.append(tuple(zip(*axes)))
    return found


STACKS = random_stacks(200)


def test_the_random_stacks_cover_every_kind_of_layer():
    kinds = {(spec.mode, spec.dilation != (1, 1), spec.ceil_mode) for stack in STACKS
             for spec in stack.specs()}
    assert {("conv", True, False), ("maxpool", True, True), ("avgpool", False, True),
            ("maxpool", False, False)} <= kinds
    assert max(len(stack.layers) for stack in STACKS) == 6


@pytest.mark.parametrize("number", range(200))
def test_the_region_is_the_cells_with_a_gradient(torch, number):
    stack = STACKS[number]
    rng = np.random.default_rng(number)
    height, width = stack.output_size
    for cell in {(0, 0), (height - 1, width - 1),
                 (int(rng.integers(height)), int(rng.integers(width)))}:
        found = region(stack, cell)
        expected = gradient_cells(torch, stack, cell)
        assert {tuple(c) for c in found.cells()} == expected, (stack.to_text(), cell)
        if expected:
            rows, cols = zip(*expected)
            assert found.box == ((min(rows), max(rows) + 1), (min(cols), max(cols) + 1))
        else:
            assert found.box is None


@pytest.mark.parametrize("number", range(200))
def test_rf_jump_and_start_are_the_closed_form(number):
    stack = STACKS[number]
    for field, (rf, jump, start) in zip(layer_fields(stack.specs()), closed_form(stack)):
        assert field.rf == rf and field.rf_min == rf
        assert field.jump == jump
        assert field.start == start


def test_without_padding_every_field_is_rf_cells_at_start_plus_o_times_jump(torch):
    """With no padding and no ceil mode nothing is clipped: the gradient of any output cell
    covers exactly rf cells per axis, centred at start + o·jump (the random stacks whose maps
    still have cells without their padding)."""
    flat, checked = {"padding": 0, "ceil_mode": False}, 0
    for original in STACKS[::2]:
        layers = tuple(Layer(layer.kind, tuple((n, flat.get(n, v)) for n, v in layer.fields))
                       for layer in original.layers)
        try:
            stack = Stack(layers, original.input_size)
        except ConvVizError:
            continue                                     # the maps shrink to nothing
        checked += 1
        field = layer_fields(stack.specs())[-1]
        for cell in {(0, 0), tuple(v - 1 for v in stack.output_size)}:
            rows, cols = zip(*gradient_cells(torch, stack, cell))
            for axis, cells in enumerate((rows, cols)):
                assert max(cells) - min(cells) + 1 == field.rf[axis]
                centre = field.start[axis] + cell[axis] * field.jump[axis]
                assert Fraction(max(cells) + min(cells), 2) == centre
    assert checked >= 60


def test_resnet_stem_on_224_gives_56_by_56_rf_11_jump_4():
    stack = parse_stack("conv k7 s2 p3; maxpool k3 s2 p1", input_size=224)
    last = layer_fields(stack.specs())[-1]
    assert stack.output_size == (56, 56)
    assert last.rf == (11, 11) and last.jump == (4, 4) and last.start == (0, 0)


def test_dilated_layers_leave_holes_and_list_the_cells_read():
    found = region(parse_stack("conv k3 d2 p2; conv k3 d2 p2", input_size=16), (8, 8))
    assert found.box == ((4, 13), (4, 13)) and found.holes
    assert found.rows[0].tolist() == [4, 6, 8, 10, 12] and found.count == 25
    assert [4, 6] in found.cells() and [5, 5] not in found.cells()


def test_a_cell_that_reads_only_padding_has_no_region():
    found = region(parse_stack("conv k1 p1", input_size=3), (0, 0))
    assert found.box is None and found.count == 0 and found.cells() == []
    assert found.field == ((-1, 0), (-1, 0))


def test_padding_of_a_middle_map_is_not_followed_into_the_input():
    # layer 2 reads only layer 1's padding at cell 0: its field on the unbounded line reaches
    # input cells 0 and 1, but it depends on nothing
    stack = parse_stack("conv k3; conv k1 p1", input_size=5)
    found = region(stack, (0, 0))
    assert found.box is None and found.field == ((-1, 2), (-1, 2))


def test_reflect_padding_reads_the_cells_it_copies():
    found = region(parse_stack("conv k3 p1 pm=reflect", input_size=4), (0, 0))
    assert found.rows[0].tolist() == [0, 1] and found.reach[0][0].tolist() == [-1, 0, 1]


def test_a_transposed_layer_follows_the_scatter():
    found = region(parse_stack("transposed k3 s2 p1", input_size=3), (1, 2))
    assert found.rows[0].tolist() == [0, 1] and found.cols[0].tolist() == [1]


@pytest.mark.parametrize("cell", [(-1, 0), (0, 56), (0.5, 0)])
def test_cells_outside_the_output_are_refused(cell):
    with pytest.raises(ConvVizError, match="cell (row|column) must be an int in 0..55"):
        region(parse_stack("conv k7 s2 p3; maxpool k3 s2 p1", input_size=224), cell)
