"""convviz.ops.stack and convviz.ops.stack_text: a stack of layers chained through ConvSpec,
its short text form and link, its channels and counts, and that its PyTorch lines build the
same network in PyTorch."""
from __future__ import annotations

import numpy as np
import pytest

from convviz import ConvSpec, ConvVizError
from convviz.ops.stack import MAX_LAYERS, MAX_SIDE, Layer, Stack
from convviz.ops.stack_text import PRESETS, parse_stack, short_layer
from convviz.stack_views import StackView


def test_each_layer_is_a_convspec_on_the_last_ones_output():
    stack = parse_stack("conv k3 s1 p1; conv k3 s2 p1; maxpool k2; conv k3 d2 p2", input_size=32)
    specs = stack.specs()
    assert [spec.mode for spec in specs] == ["conv", "conv", "maxpool", "conv"]
    assert [spec.input_size for spec in specs] == [(32, 32), (32, 32), (16, 16), (8, 8)]
    assert specs[3] == ConvSpec(input_size=8, kernel_size=3, dilation=2, padding=2)
    assert stack.output_size == (8, 8)


def test_shape_preserving_layers_keep_the_map_and_the_channels():
    stack = parse_stack("conv k3 p1 c16; bn; relu; dropout; maxpool k2", input_size=8,
                        in_channels=3)
    assert stack.layer_specs()[1:4] == (None, None, None)
    assert stack.sizes() == ((8, 8),) * 4 + ((4, 4),)
    assert stack.channels() == (16,) * 5


@pytest.mark.parametrize("text, message", [
    ("conv k3; maxpool k2; conv k5", r"layer 3 \(conv k5\): kernel_size"),
    ("conv k3 s0", r"layer 1 \(conv k3 s0\): stride must be >= 1, got 0"),
    ("maxpool k2 p2", r"layer 1 \(maxpool k2 p2\): padding"),
    ("conv k3 a1", r"output_padding"),
    ("grouped k3 g2", r"in_channels must be divisible by groups=2, got 1"),
    ("conv k3 p=same s2", r"same"),
    ("conv1d k3", r"'conv1d' is not a layer convviz knows"),
    ("relu; dropout", r"a stack needs a convolution or a pooling, got only ReLU, Dropout"),
    ("groupnorm g3; conv k3", r"GroupNorm's num_groups must divide the 1 channels, got 3"),
    ("conv k3 q2", r"'q2' is not understood: write keys such as k3"),
    ("conv k3 k5", r"k is given twice"),
    ("conv k3 pm=mirror", r"pm must be one of reflect, replicate, circular, zeros"),
    ("conv k3 ceil=2", r"ceil must be an int in 0..1, got '2'"),
    ("relu k3", r"relu keeps the shape and takes no keys, got k"),
    ("", r"the stack is empty"),
    (" ; \n ", r"the stack is empty"),
])
def test_refusals_name_the_layer_and_what_is_wrong(text, message):
    with pytest.raises(ConvVizError, match=message):
        parse_stack(text, input_size=8)


def test_channels_must_match_what_arrives():
    with pytest.raises(ConvVizError, match=r"layer 2 \(nn.Conv2d\(16, 32, 3\)\): in_channels "
                                           r"must be 8 \(the channels that arrive\), got 16"):
        parse_stack("nn.Conv2d(3, 8, 3)\nnn.Conv2d(16, 32, 3)")
    with pytest.raises(ConvVizError, match=r"in_channels must be 8 .* got 16"):
        parse_stack("nn.Conv2d(3, 8, 3)\nnn.BatchNorm2d(16)")
    with pytest.raises(ConvVizError, match=r"in_channels must be 1 .*, got 3"):
        parse_stack("nn.Conv2d(3, 8, 3)", in_channels=1)


def test_caps_are_checked_from_the_arithmetic():
    with pytest.raises(ConvVizError, match=f"number of layers must be an int in 1..{MAX_LAYERS}"):
        parse_stack("; ".join(["relu"] * MAX_LAYERS + ["conv k1"]))
    with pytest.raises(ConvVizError, match=f"input_size must be at most {MAX_SIDE}"):
        parse_stack("conv k3", input_size=MAX_SIDE + 1)
    with pytest.raises(ConvVizError, match=r"layer 1 .*output size must be at most"):
        parse_stack("transposed k3 s1000", input_size=100)
    with pytest.raises(ConvVizError, match=r"layer 1 .*kernel span must be at most"):
        parse_stack(f"conv k3 d{MAX_SIDE} p{MAX_SIDE}", input_size=4)


@pytest.mark.parametrize("text", ["conv k3 s2 p1 d2 c16 g1 nobias", "maxpool k3 s2 p1 d2 ceil",
                                  "avgpool k3 s1 p1 ceil cip=0 div4", "transposed k4 s2 p1 a1",
                                  "conv k3,5 s2,1 p1,2", "conv k3 p=same pm=reflect",
                                  "groupnorm g2 affine=0", "prelu np1", "separable k3 c4"])
def test_the_short_form_reads_back_what_it_writes(text):
    layer = short_layer(text)
    assert short_layer(layer.text()) == layer


def test_aliases_and_keys_with_equals_signs():
    assert short_layer("tconv k=2 s=2").text() == "transposed k2 s2"
    assert short_layer("MAX k2").text() == "maxpool k2"
    assert short_layer("bn c16") == Layer("BatchNorm2d", (), 16)


def test_a_link_holds_the_stack():
    stack = parse_stack("nn.Conv2d(3, 8, 3, padding=1, bias=False)\nnn.ReLU()\nnn.MaxPool2d(2)",
                        input_size=(20, 30))
    query = StackView(stack, (4, 5)).query()
    assert query == {"stack": "conv k3 p1 c8 nobias; relu; maxpool k2", "n": "20,30",
                     "cin": "3", "cell": "4,5"}
    again = StackView.from_query(query)
    assert again.stack.specs() == stack.specs() and again.cell == (4, 5)
    assert again.stack.torch_lines() == stack.torch_lines()


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_builds(name):
    stack = PRESETS[name].stack()
    assert stack.to_text() == PRESETS[name].text


def torch_module(torch, stack: Stack):
    """The stack built in PyTorch from the lines convviz writes (a test may evaluate them)."""
    return torch.nn.Sequential(*(eval(line, {"nn": torch.nn}) for line in stack.torch_lines()))


STACKS = ["conv k7 s2 p3 c64 nobias; batchnorm; relu; maxpool k3 s2 p1",
          "conv k3 p1 c8; gn g4; prelu np8; avgpool k3 s2 p1 ceil cip=0",
          "separable k3 c16; relu6; transposed k4 s2 p1 c4; instancenorm affine=1 nobias",
          "depthwise k3 s2 p=valid; grouped k3 g3 c6 d2 p2 pm=circular; pointwise c2",
          "conv k3 p=same; dilated k3 p2; maxpool k2 d2 ceil; transposed k3 s2 p1 a1 c5"]


@pytest.mark.parametrize("text", STACKS)
def test_pytorch_builds_the_same_network(torch, text):
    stack = parse_stack(text, input_size=(17, 19), in_channels=3)
    module = torch_module(torch, stack)
    x = torch.zeros(1, 3, 17, 19)
    for layer, size, channels in zip(module, stack.sizes(), stack.channels()):
        x = layer(x)
        assert tuple(x.shape[1:]) == (channels, *size)
    parameters = [sum(p.numel() for p in layer.parameters()) for layer in module]
    assert parameters == [count for count, _ in stack.counts()]


def test_multiply_adds_are_what_pytorchs_flop_counter_counts(torch):
    from torch.utils.flop_counter import FlopCounterMode

    stack = parse_stack(STACKS[0], input_size=64, in_channels=3)
    with FlopCounterMode(display=False) as counter:
        torch_module(torch, stack)(torch.zeros(1, 3, 64, 64))
    convs = counter.get_flop_counts()["Global"].get(torch.ops.aten.convolution, 0)
    assert convs // 2 == sum(macs for _, macs in stack.counts())


def test_random_stacks_match_pytorchs_shapes_and_refusals(torch):
    """Random short-form stacks: each either builds with PyTorch's output shape, or is refused
    where PyTorch refuses to run it (or, for a transposed layer, makes an empty map)."""
    rng = np.random.default_rng(0)
    built = 0
    for _ in range(150):
        words = []
        for _ in range(int(rng.integers(1, 5))):
            kind = rng.choice(["conv", "maxpool", "avgpool", "transposed"])
            k, s = int(rng.integers(1, 5)), int(rng.integers(1, 4))
            p = int(rng.integers(0, 3))
            words.append(f"{kind} k{k} s{s} p{p}" + (" ceil" if rng.integers(2) and "pool" in
                                                    kind else ""))
        text, size = "; ".join(words), int(rng.integers(3, 12))
        try:
            stack = parse_stack(text, input_size=size)
        except ConvVizError:
            try:                          # PyTorch refuses it, or makes an empty map
                module = torch.nn.Sequential(*(eval(_torch_line(w), {"nn": torch.nn})
                                               for w in words))
                assert module(torch.zeros(1, 1, size, size)).numel() == 0, text
            except (RuntimeError, ValueError):
                pass
            continue
        built += 1
        out = torch_module(torch, stack)(torch.zeros(1, 1, size, size))
        assert tuple(out.shape[2:]) == stack.output_size
    assert built > 50


def _torch_line(word: str) -> str:
    """The PyTorch module of one random short-form layer (the test's own translation)."""
    kind, k, s, p, *ceil = word.split()
    k, s, p = int(k[1:]), int(s[1:]), int(p[1:])
    return {"conv": f"nn.Conv2d(1, 1, {k}, {s}, {p})",
            "transposed": f"nn.ConvTranspose2d(1, 1, {k}, {s}, {p})",
            "maxpool": f"nn.MaxPool2d({k}, {s}, {p}, ceil_mode={bool(ceil)})",
            "avgpool": f"nn.AvgPool2d({k}, {s}, {p}, ceil_mode={bool(ceil)})"}[kind]
