"""A layer on a picture: the feature map equals PyTorch's (in bands too), the layer keeps the
spec's arguments, and what is too large is refused from the arithmetic."""
from __future__ import annotations

import numpy as np
import pytest

from convviz import ConvSpec, ConvVizError
from convviz import featuremap as fm
from convviz.featuremap import check_map, feature_map, image_spec
from convviz.images import Picture

CASES = {  # name: (channels, (H, W), spec fields, kernel)
    "sobel": (1, (37, 29), {"padding": 1}, "sobel_x"),
    "strided": (1, (40, 33), {"padding": 1, "stride": 2}, "sobel_y"),
    "dilated": (1, (31, 36), {"padding": 1, "dilation": 2}, "laplacian"),
    "mixed": (1, (35, 41), {"kernel_size": (3, 5), "stride": (2, 3), "padding": (2, 1),
                            "dilation": (1, 2)}, "1,2,3,4,5;0,1,0,1,0;-1,-2,-3,-4,-5"),
    "same": (1, (30, 30), {"kernel_size": 4, "padding": "same"}, "1,0,0,-1;" * 4),
    "valid": (3, (30, 30), {"padding": "valid"}, "gaussian"),
    "reflect": (1, (30, 30), {"padding": 2, "padding_mode": "reflect"}, "sharpen"),
    "circular": (1, (30, 30), {"padding": 1, "padding_mode": "circular"}, "sobel_x"),
    "rgb summed": (3, (33, 40), {"padding": 1}, "sobel_x"),
    "depthwise": (3, (33, 40), {"mode": "depthwise", "in_channels": 3, "padding": 1,
                                "stride": 2}, "laplacian"),
    "more outputs": (1, (20, 25), {"out_channels": 4, "padding": 1}, "box_blur"),
    "tensorflow same": (1, (31, 30), {"padding": "same", "stride": 2,
                                      "convention": "tensorflow"}, "sobel_x"),
    "onnx same lower": (3, (30, 31), {"padding": "same", "stride": (2, 3), "dilation": 1,
                                      "convention": "onnx-lower"}, "laplacian"),
    "transposed": (1, (21, 18), {"mode": "transposed", "stride": 2, "padding": 1,
                                 "output_padding": 1}, "sobel_x"),
    "transposed rgb": (3, (20, 23), {"mode": "transposed", "stride": 3, "dilation": 2,
                                     "padding": 2, "output_padding": 1, "groups": 1},
                       "gaussian"),
}


def picture(channels: int, size: tuple[int, int], seed: int = 0) -> Picture:
    pixels = np.random.default_rng(seed).integers(0, 256, (channels, *size)).astype(np.float64)
    return Picture(pixels, "random", "PNG", size)


def torch_map(torch, fmap: fm.FeatureMap, pixels: np.ndarray) -> np.ndarray:
    spec, functional = fmap.spec, torch.nn.functional
    x, w = torch.from_numpy(pixels[None]), torch.from_numpy(fmap.weight.astype(np.float64))
    if spec.transposed:
        out = functional.conv_transpose2d(x, w, None, spec.stride, spec.padding,
                                          spec.output_padding, spec.groups, spec.dilation)
    else:                      # every convention's padding, per side, then no padding
        top, bottom, left, right = spec.pads
        mode = {"zeros": "constant", "reflect": "reflect", "circular": "circular"}[
            spec.padding_mode]
        x = functional.pad(x, (left, right, top, bottom), mode=mode)
        out = functional.conv2d(x, w, None, spec.stride, 0, spec.dilation, spec.groups)
    return out[0].numpy()


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("chunk", [fm.CHUNK_VALUES, 1])       # one call, or bands of 16 rows
def test_the_feature_map_equals_torch(torch, monkeypatch, name, chunk):
    monkeypatch.setattr(fm, "CHUNK_VALUES", chunk)
    channels, size, fields, kernel = CASES[name]
    pic = picture(channels, size)
    fmap = feature_map(pic, ConvSpec(input_size=size, **fields), kernel)
    want = torch_map(torch, fmap, pic.pixels)
    assert fmap.values.shape == want.shape == fmap.spec.output_shape[1:]
    assert fmap.size == fmap.spec.output_size and fmap.values.dtype == np.float64
    assert np.abs(fmap.values - want).max() <= 1e-9 * max(1.0, np.abs(want).max())
    assert not fmap.values.flags.writeable


@pytest.mark.parametrize("name", CASES)
def test_bands_give_the_same_map_as_one_call(monkeypatch, name):
    channels, size, fields, kernel = CASES[name]
    spec = ConvSpec(input_size=size, **fields)
    whole = feature_map(picture(channels, size), spec, kernel).values
    monkeypatch.setattr(fm, "CHUNK_VALUES", 1)
    assert np.allclose(feature_map(picture(channels, size), spec, kernel).values, whole,
                       rtol=0, atol=1e-9)


def test_the_layer_keeps_the_specs_arguments_and_fits_the_channels():
    spec = ConvSpec(input_size=20, kernel_size=5, stride=2, padding=(1, 2), dilation=2)
    layer = image_spec(spec, (300, 451), 3)
    assert (layer.kernel_size, layer.stride, layer.padding, layer.dilation) == \
        ((5, 5), (2, 2), (1, 2), (2, 2))
    assert (layer.input_size, layer.in_channels, layer.out_channels) == ((300, 451), 3, 1)
    depthwise = ConvSpec(mode="depthwise", in_channels=3)
    assert image_spec(depthwise, (9, 9), 3).groups == 3
    assert (image_spec(depthwise, (9, 9), 1).groups, image_spec(depthwise, (9, 9), 1)
            .out_channels) == (1, 1)
    grouped = ConvSpec(mode="grouped", in_channels=4, out_channels=4, groups=2)
    assert image_spec(grouped, (9, 9), 3).groups == 1


def test_a_two_stage_mode_is_refused():
    with pytest.raises(ConvVizError, match="mode 'separable' runs 2 convolutions"):
        image_spec(ConvSpec(mode="separable", in_channels=3), (9, 9), 3)


def test_a_map_too_large_is_refused_from_the_arithmetic():
    with pytest.raises(ConvVizError, match="the feature map must have at most 16,777,216 values"):
        check_map(ConvSpec(mode="transposed", input_size=(2048, 2048), stride=4))
    check_map(ConvSpec(input_size=(512, 512), padding=1))


def test_a_kernel_that_does_not_fit_is_refused():
    with pytest.raises(ConvVizError, match="kernel_size must be 3 for the 3 x 3 preset"):
        feature_map(picture(1, (20, 20)), ConvSpec(kernel_size=5), "sobel_x")


POOLING = {  # name: (channels, (H, W), spec fields)
    "max k2": (1, (37, 29), {"mode": "maxpool", "kernel_size": 2}),
    "max k3 s2 p1": (1, (40, 33), {"mode": "maxpool", "kernel_size": 3, "stride": 2,
                                   "padding": 1}),
    "max dilated ceil": (3, (31, 36), {"mode": "maxpool", "kernel_size": 3, "stride": 2,
                                       "dilation": 2, "ceil_mode": True}),
    "max mixed": (1, (35, 41), {"mode": "maxpool", "kernel_size": (2, 4), "stride": (3, 2),
                                "padding": (1, 2)}),
    "avg k2": (1, (30, 31), {"mode": "avgpool", "kernel_size": 2}),
    "avg padded ceil": (3, (33, 40), {"mode": "avgpool", "kernel_size": 3, "stride": 2,
                                      "padding": 1, "ceil_mode": True}),
    "avg without the padding": (1, (29, 30), {"mode": "avgpool", "kernel_size": 3,
                                              "stride": 2, "padding": 1,
                                              "count_include_pad": False}),
    "avg divisor": (1, (20, 25), {"mode": "avgpool", "kernel_size": 3, "stride": 1,
                                  "divisor_override": 4}),
}


def torch_pooled(torch, spec: ConvSpec, pixels: np.ndarray) -> np.ndarray:
    x, functional = torch.from_numpy(pixels[None]), torch.nn.functional
    if spec.mode == "maxpool":
        out = functional.max_pool2d(x, spec.kernel_size, spec.stride, spec.padding,
                                    spec.dilation, spec.ceil_mode)
    else:
        out = functional.avg_pool2d(x, spec.kernel_size, spec.stride, spec.padding,
                                    spec.ceil_mode, spec.count_include_pad,
                                    spec.divisor_override)
    return out[0].numpy()


@pytest.mark.parametrize("name", POOLING)
def test_a_pooled_map_equals_torch_channel_by_channel(torch, name):
    channels, size, fields = POOLING[name]
    pic = picture(channels, size)
    fmap = feature_map(pic, ConvSpec(input_size=size, **fields))
    want = torch_pooled(torch, fmap.spec, pic.pixels)
    assert fmap.values.shape == want.shape == (channels, *fmap.spec.output_size)
    assert fmap.values.dtype == np.float64 and fmap.weight is None and fmap.kernel is None
    assert np.abs(fmap.values - want).max() <= 1e-9 * max(1.0, np.abs(want).max())
    assert not fmap.values.flags.writeable


@pytest.mark.parametrize("name", POOLING)
def test_a_pooled_map_equals_the_loop_reference(name):
    from convviz.ops import pool_reference

    channels, size, fields = POOLING[name]
    pic = picture(channels, size, seed=1)
    fmap = feature_map(pic, ConvSpec(input_size=size, **fields))
    spec = fmap.spec
    if spec.mode == "maxpool":
        want = pool_reference.max_pool2d(pic.pixels[None], spec.kernel_size, spec.stride,
                                         spec.padding, spec.dilation, spec.ceil_mode)
    else:
        want = pool_reference.avg_pool2d(pic.pixels[None], spec.kernel_size, spec.stride,
                                         spec.padding, spec.ceil_mode, spec.count_include_pad,
                                         spec.divisor_override)
    assert np.allclose(fmap.values, want[0], rtol=0, atol=1e-9)


def test_pooling_takes_no_kernel_and_a_convolution_needs_one():
    pic = picture(1, (12, 12))
    with pytest.raises(ConvVizError, match="kernel is for a layer with weights, and mode "
                                           "'maxpool' has none: leave it out, got 'sobel_x'"):
        feature_map(pic, ConvSpec(mode="maxpool"), "sobel_x")
    with pytest.raises(ConvVizError, match="kernel is needed for mode 'conv'"):
        feature_map(pic, ConvSpec())


@pytest.mark.parametrize("mode", ["conv1d", "transposed1d", "maxpool1d", "avgpool1d"])
def test_a_sequence_mode_is_refused_by_name(mode):
    with pytest.raises(ConvVizError, match=f"mode '{mode}' works on sequences"):
        fm.check_mode(mode)
