"""A configured layer on a real picture: the feature map it makes, computed by the engine.

:func:`image_spec` is a ConvSpec's layer on a picture (its size and channels);
:func:`feature_map` applies it with the engine and keeps the raw values; what they look like
is :mod:`convviz.figures.heatmap`'s, and :mod:`convviz.zoom` shows what one of them sums.

>>> picture = Picture(np.arange(36.0).reshape(1, 6, 6), "ramp", "PNG", (6, 6))
>>> feature_map(picture, ConvSpec(padding=1, stride=2), "sobel_x").size
(3, 3)
>>> feature_map(picture, ConvSpec(mode="maxpool", kernel_size=2)).values[0].tolist()
[[7.0, 9.0, 11.0], [19.0, 21.0, 23.0], [31.0, 33.0, 35.0]]
"""
from __future__ import annotations

import dataclasses
import io
import math
from dataclasses import dataclass

import numpy as np

from .errors import ConvVizError
from .images import Picture
from .ops.args import Pair
from .ops.pool_conventions import pool
from .ops.shapes import NUMPY_PAD_MODE
from .ops.spec import ConvSpec
from .ops.table import OPERATIONS
from .sample import Table
from .values import kernel_weight

MAX_MAP_VALUES = 1 << 24
"""Largest feature map made (C_out * H_out * W_out values, 128 MB as float64)."""
CHUNK_VALUES = 1 << 18
"""The engine's scratch (im2col) per call, in values (2 MB: it stays in the cache, which
makes a 512 x 512 map several times faster than one call): larger maps are made in bands."""
MIN_BAND = 16
"""...but at least this many rows a call (fewer calls: each has its own overhead)."""


def check_mode(mode: str) -> None:
    """Refuse a mode an image gets no feature map from: the 1-D modes (a sequence, not a
    picture)."""
    if OPERATIONS[mode].dims != 2:
        raise ConvVizError(f"mode {mode!r} works on sequences, and an image's feature map "
                           f"comes from a 2-D layer: choose conv, transposed, dilated, "
                           f"depthwise, grouped, pointwise, maxpool or avgpool")


def is_pooling(spec: ConvSpec) -> bool:
    """Whether ``spec``'s layer has no kernel: each value is the largest or the average of
    its window (max and average pooling)."""
    return not spec.operation.weights


def image_spec(spec: ConvSpec, size: Pair, channels: int) -> ConvSpec:
    """``spec``'s layer on an image of ``size`` ``(H, W)`` with ``channels`` channels.

    The mode, kernel size, stride, padding, dilation, output padding and padding mode are
    ``spec``'s; ``in_channels`` is ``channels``; ``out_channels`` and ``groups`` are
    ``spec``'s where they still fit, else the mode's defaults (a depthwise layer on a
    grayscale image has one channel; a one-channel layer on an RGB image sums the three;
    pooling keeps the image's channels).

    >>> image_spec(ConvSpec(kernel_size=3, padding=1), (300, 451), 3).torch_line()
    'nn.Conv2d(3, 1, kernel_size=3, padding=1)'
    >>> image_spec(ConvSpec(mode="depthwise", in_channels=3), (8, 8), 1).groups
    1
    """
    check_mode(spec.mode)
    if spec.operation.stages:
        raise ConvVizError(f"mode {spec.mode!r} runs {len(spec.operation.stages)} "
                           f"convolutions and an image gets one layer: use mode "
                           f"{spec.operation.stages[0]!r} or {spec.operation.stages[-1]!r}")
    try:
        return dataclasses.replace(spec, input_size=tuple(size), in_channels=channels)
    except ConvVizError:
        return dataclasses.replace(spec, input_size=tuple(size), in_channels=channels,
                                   out_channels=None, groups=None)


@dataclass(frozen=True, eq=False)
class FeatureMap:
    """What a layer makes of a picture, computed by the engine (read-only arrays).

    Attributes
    ----------
    spec : ConvSpec
        The layer on the picture (:func:`image_spec`).
    weight : ndarray, shape spec.weight_shape, or None for pooling (no kernel)
    values : ndarray, shape (C_out, H_out, W_out), float64: the raw values, unscaled
    """

    spec: ConvSpec
    weight: np.ndarray | None
    values: np.ndarray

    @property
    def size(self) -> Pair:
        """``(H_out, W_out)``, the output-size formula's."""
        return self.values.shape[1:]

    @property
    def span(self) -> tuple[float, float]:
        """The smallest and the largest value."""
        return float(self.values.min()), float(self.values.max())

    @property
    def kernel(self) -> Table | None:
        """The weights of output channel 0 over input channel 0, ``(kH, kW)``, as rows
        (None for pooling)."""
        return None if self.weight is None else table(self.weight[0, 0])

    def npy(self, *, grayscale: bool) -> bytes:
        """The raw values as ``.npy`` bytes, float64: ``(H_out, W_out)`` for a one-channel
        map of a grayscale picture, else ``(C_out, H_out, W_out)``."""
        values = self.values[0] if grayscale and self.values.shape[0] == 1 else self.values
        buffer = io.BytesIO()
        np.save(buffer, values, allow_pickle=False)
        return buffer.getvalue()


def check_map(spec: ConvSpec) -> None:
    """Refuse, from ``spec``'s arithmetic, a feature map of more than MAX_MAP_VALUES."""
    count = math.prod(spec.output_shape)
    if count > MAX_MAP_VALUES:
        c_out, h_out, w_out = spec.output_shape[1:]
        raise ConvVizError(f"the feature map must have at most {MAX_MAP_VALUES:,} values, got "
                           f"{c_out} x {h_out} x {w_out} = {count:,}: use a smaller image "
                           f"(max side) or stride")


def feature_map(picture: Picture, spec: ConvSpec, kernel=None) -> FeatureMap:
    """``spec``'s layer applied to ``picture`` with ``kernel``, by the engine.

    Parameters
    ----------
    picture : Picture, pixels (C, H, W)
    spec : ConvSpec
        Its mode, kernel size, stride, padding, dilation, groups (see :func:`image_spec`);
        for pooling also ceil_mode, count_include_pad and divisor_override, channel by channel.
    kernel : str or array_like, shape (kH, kW) or the layer's weight shape
        A preset name, rows like ``"1,0,-1;2,0,-2;1,0,-1"``, or values
        (:func:`convviz.values.kernel_weight`); a 2-D kernel serves every channel pair.
        Pooling has none: leave it out (None).

    Returns
    -------
    FeatureMap, values of shape (C_out, H_out, W_out)

    >>> picture = Picture(np.arange(16.0).reshape(1, 4, 4), "ramp", "PNG", (4, 4))
    >>> feature_map(picture, ConvSpec(padding=1), "sobel_x").values[0, 1].tolist()
    [20.0, 8.0, 8.0, -24.0]
    """
    spec = image_spec(spec, picture.size, picture.channels)
    check_map(spec)
    x = picture.pixels[None]                                        # (1, C, H, W)
    if is_pooling(spec):
        if kernel is not None:
            raise ConvVizError(f"kernel is for a layer with weights, and mode {spec.mode!r} "
                               f"has none: leave it out, got {kernel!r}")
        weight = None
        values = pool(spec, x)[0]              # the convention's pads; no scratch: no bands
    else:
        if kernel is None:
            raise ConvVizError(f"kernel is needed for mode {spec.mode!r}: a preset name, "
                               f"rows like '1,0,-1;2,0,-2;1,0,-1' or values, got None")
        weight = kernel_weight(spec, kernel).astype(picture.pixels.dtype)  # one dtype (torch)
        weight.setflags(write=False)
        values = (_banded_transposed if spec.transposed else _banded)(x, weight, spec)
    values = np.ascontiguousarray(values, dtype=np.float64)         # (C_out, H_out, W_out)
    values.setflags(write=False)
    return FeatureMap(spec, weight, values)


def _banded(x: np.ndarray, weight: np.ndarray, spec: ConvSpec) -> np.ndarray:
    """A direct convolution of ``x`` ``(1, C, H, W)`` a band of output rows at a time, so that
    the engine's scratch stays within CHUNK_VALUES: the input is padded once as the spec
    says, and each band is the engine's unpadded convolution of the rows it reads."""
    kh, (sh, sw), dh = spec.kernel_size[0], spec.stride, spec.dilation[0]
    top, bottom, left, right = spec.pads
    mode = NUMPY_PAD_MODE.get(spec.padding_mode, "constant")
    padded = np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)), mode=mode)
    c_out, h_out, w_out = spec.output_shape[1:]
    per_row = weight[0].size * w_out * spec.groups                 # im2col values per row
    band = max(MIN_BAND, CHUNK_VALUES // per_row)
    out = np.empty((c_out, h_out, w_out))
    arguments = {"stride": (sh, sw), "dilation": spec.dilation, "groups": spec.groups}
    for start in range(0, h_out, band):
        stop = min(h_out, start + band)
        rows = padded[:, :, start * sh:(stop - 1) * sh + dh * (kh - 1) + 1]
        out[:, start:stop] = spec.operation.function(rows, weight, None, **arguments)[0]
    return out


def _banded_transposed(x: np.ndarray, weight: np.ndarray, spec: ConvSpec) -> np.ndarray:
    """A transposed convolution of ``x`` ``(1, C, H, W)`` a band of input rows at a time
    (scratch within CHUNK_VALUES): each band's uncropped output is added where its rows land,
    then the padding is cropped (the output padding's rows and columns are part of it)."""
    (kh, kw), (sh, sw), (dh, dw) = spec.kernel_size, spec.stride, spec.dilation
    (ph, pw), (c_in, h, w) = spec.padding, x.shape[1:]
    c_out, h_out, w_out = spec.output_shape[1:]
    full = np.zeros((c_out, max((h - 1) * sh + dh * (kh - 1) + 1, ph + h_out),
                     max((w - 1) * sw + dw * (kw - 1) + 1, pw + w_out)))
    band = max(MIN_BAND, CHUNK_VALUES // (c_in * kh * kw * w))     # im2col values per row
    arguments = {"stride": (sh, sw), "dilation": (dh, dw), "groups": spec.groups}
    for start in range(0, h, band):
        part = spec.operation.function(x[:, :, start:start + band], weight, None,
                                       **arguments)[0]             # (C_out, rows, cols)
        full[:, start * sh:start * sh + part.shape[1], :part.shape[2]] += part
    return full[:, ph:ph + h_out, pw:pw + w_out]


def table(array: np.ndarray) -> Table:
    """A 2-D array as rows of floats (hashable)."""
    return tuple(tuple(float(v) for v in row) for row in array.tolist())
