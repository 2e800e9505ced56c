"""Parameter and multiply-add counts, checked against the engine and against PyTorch."""
import math

import numpy as np
import pytest

from convviz import ConvSpec, ConvVizError
from convviz.gallery import PRESETS
from convviz.ops.counts import Comparison, Counts, compare, count
from convviz.ops.engine import conv2d, conv_transpose2d

CASES = {
    "standard": ConvSpec(input_size=5, kernel_size=3, in_channels=3, out_channels=2),
    "padded_strided": ConvSpec(input_size=(7, 6), kernel_size=(3, 2), stride=2, padding=1,
                               in_channels=4, out_channels=6),
    "dilated_same": ConvSpec(mode="dilated", input_size=8, kernel_size=3, dilation=2,
                             padding="same", in_channels=2, out_channels=3),
    "grouped": ConvSpec(mode="grouped", input_size=6, in_channels=6, out_channels=9, groups=3),
    "depthwise": ConvSpec(mode="depthwise", input_size=5, in_channels=4),
    "depthwise_multiplier": ConvSpec(mode="depthwise", input_size=5, in_channels=3,
                                     out_channels=6),
    "pointwise": ConvSpec(mode="pointwise", input_size=5, kernel_size=1, in_channels=3,
                          out_channels=5),
    "separable": ConvSpec(mode="separable", input_size=6, stride=2, padding=1, in_channels=4,
                          out_channels=8),
    "transposed": ConvSpec(mode="transposed", input_size=3, stride=2, padding=1,
                           output_padding=1, in_channels=2, out_channels=4),
    "transposed_grouped": ConvSpec(mode="transposed", input_size=(3, 4), kernel_size=(2, 3),
                                   stride=(2, 1), dilation=2, in_channels=4, out_channels=6,
                                   groups=2),
    **{f"preset_{name}": PRESETS[name].spec for name in ("conv2d_3d", "grouped", "separable")},
}


def run(conv, x, weight, bias=None, **kwargs):
    """The engine's forward pass of one stage."""
    if conv.transposed:
        return conv_transpose2d(x, weight, bias, conv.stride, kwargs.get("padding", conv.padding),
                                kwargs.get("output_padding", conv.output_padding), conv.groups,
                                conv.dilation)
    return conv2d(x, weight, bias, conv.stride, conv.padding, conv.dilation, conv.groups,
                  padding_mode=kwargs.get("padding_mode", conv.padding_mode))


@pytest.mark.parametrize("name", sorted(CASES))
def test_parameters_are_the_weights_and_biases_the_engine_accepts(name):
    spec, rng = CASES[name], np.random.default_rng(0)
    x, weights, biases = rng.standard_normal(spec.input_shape), 0, 0
    for conv in spec.stages():
        w, b = rng.standard_normal(conv.weight_shape), rng.standard_normal(conv.out_channels)
        x = run(conv, x, w, b)
        assert x.shape == conv.output_shape
        weights, biases = weights + w.size, biases + b.size
    c = count(spec)
    assert (c.weights, c.biases, c.parameters) == (weights, biases, weights + biases)
    assert c.outputs == x.size and count(spec, bias=False).parameters == weights


@pytest.mark.parametrize("name", sorted(CASES))
def test_macs_are_the_products_the_engine_sums(name):
    """All-ones input and weights: each output sums one 1 per product, so the outputs add
    up to the multiply-adds. Padding holds ones too (replicate) so every tap counts, and a
    transposed convolution runs uncropped (padding 0), as it computes every product."""
    spec, macs = CASES[name], 0
    for conv in spec.stages():
        x = np.ones(conv.input_shape)
        if conv.transposed:
            out = run(conv, x, np.ones(conv.weight_shape), padding=0, output_padding=0)
        else:
            out = run(conv, x, np.ones(conv.weight_shape), padding_mode="replicate")
        macs += int(out.sum())
    assert count(spec).macs == macs


@pytest.mark.parametrize("name", ["standard", "grouped", "depthwise", "pointwise"])
def test_macs_per_output_is_the_kernel_volume_of_a_direct_convolution(name):
    spec = CASES[name]
    kh, kw = spec.kernel_size
    assert count(spec).macs_per_output == spec.in_channels // spec.groups * kh * kw


@pytest.mark.parametrize("name", sorted(CASES))
def test_counts_match_pytorch_modules_and_flop_counter(name, torch):
    from torch.utils.flop_counter import FlopCounterMode
    spec, modules = CASES[name], []
    for conv in spec.stages():
        kind = torch.nn.ConvTranspose2d if conv.transposed else torch.nn.Conv2d
        extra = {"output_padding": conv.output_padding} if conv.transposed else {}
        padding = conv.padding if conv.transposed else tuple(conv.pads[::2]) \
            if conv.pads[::2] == conv.pads[1::2] else conv.padding
        modules.append(kind(conv.in_channels, conv.out_channels, conv.kernel_size,
                            conv.stride, padding, groups=conv.groups, dilation=conv.dilation,
                            **extra))
    model = torch.nn.Sequential(*modules)
    with FlopCounterMode(display=False) as counter:
        out = model(torch.zeros(spec.input_shape))
    assert tuple(out.shape) == spec.output_shape
    assert count(spec).parameters == sum(p.numel() for p in model.parameters())
    assert count(spec).macs * 2 == counter.get_total_flops()


@pytest.mark.parametrize("k, c_in, c_out", [(3, 3, 4), (3, 32, 64), (5, 8, 8), (1, 4, 2)])
def test_standard_against_separable_is_the_textbook_formula(k, c_in, c_out):
    spec = ConvSpec(input_size=9, kernel_size=k, padding=k // 2, in_channels=c_in,
                    out_channels=c_out)
    result = compare(spec)
    assert isinstance(result, Comparison) and isinstance(result.standard, Counts)
    assert result.standard.weights == k * k * c_in * c_out
    assert result.separable.weights == k * k * c_in + c_in * c_out
    assert result.standard.biases == c_out and result.separable.biases == c_in + c_out
    assert result.standard.macs == 81 * k * k * c_in * c_out
    assert result.separable.macs == 81 * (k * k * c_in + c_in * c_out)
    for ratio in (result.weight_ratio, result.mac_ratio):
        assert math.isclose(ratio, 1 / c_out + 1 / (k * k))


def test_compare_keeps_the_specs_sizes_whatever_its_mode():
    spec = CASES["separable"]
    result = compare(spec)
    assert result.separable == count(spec)
    assert compare(CASES["depthwise"]).separable == count(
        ConvSpec(mode="separable", input_size=5, in_channels=4, out_channels=4))


def test_compare_refuses_transposed():
    with pytest.raises(ConvVizError, match="got 'transposed'"):
        compare(CASES["transposed"])


@pytest.mark.parametrize("query", ["mode=maxpool&n=4&k=2", "mode=avgpool1d&n=7&k=3",
                                   "mode=maxpool1d&n=8&k=2&s=1"])
def test_pooling_has_no_parameters_and_no_multiply_adds(query):
    spec = ConvSpec.from_query(query)
    sizes = count(spec)
    assert (sizes.weights, sizes.biases, sizes.parameters, sizes.macs) == (0, 0, 0, 0)
    assert sizes.outputs == math.prod(spec.output_shape)


def test_1d_convolutions_count_like_nn_conv1d():
    spec = ConvSpec(mode="conv1d", input_size=8, kernel_size=3, in_channels=4, out_channels=6,
                    groups=2)
    sizes = count(spec)
    assert (sizes.weights, sizes.biases, sizes.outputs) == (6 * 2 * 3, 6, 6 * 6)
    assert sizes.macs == 6 * 6 * 2 * 3                 # every output meets C_in/G * k weights
    transposed = count(ConvSpec(mode="transposed1d", input_size=3, kernel_size=3, stride=2))
    assert transposed.macs == 3 * 3 and transposed.outputs == 7


def test_pooling_and_1d_modules_count_what_torch_counts(torch):
    for spec in (ConvSpec(mode="maxpool", input_size=4, kernel_size=2),
                 ConvSpec(mode="conv1d", input_size=8, in_channels=3, out_channels=4),
                 ConvSpec(mode="transposed1d", input_size=3, in_channels=2, out_channels=4)):
        layer = eval(spec.torch_line(), {"nn": torch.nn})          # the line the app shows
        assert sum(p.numel() for p in layer.parameters()) == count(spec).parameters
        assert tuple(layer(torch.zeros(spec.input_shape)).shape) == spec.output_shape
