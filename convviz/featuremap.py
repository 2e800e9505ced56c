"""A configured layer on a real picture: the feature map, and a zoom into one of its sums.

:func:`image_spec` is a ConvSpec's layer on a picture (its size and channels);
:func:`feature_map` applies it with the engine and keeps the raw values (what they look like
is :mod:`convviz.figures.heatmap`'s). :func:`zoom` cuts out the pixels that a few
neighbouring values of the map read: the input of a small one-channel layer whose numbers
figure (``View(zoom.spec, style="numbers", kernel=zoom.kernel, values=zoom.values)``) shows
each sum with the real pixel values, and whose output is that block of the map.

>>> picture = Picture(np.arange(36.0).reshape(1, 6, 6), "ramp", "PNG", (6, 6))
>>> fmap = feature_map(picture, ConvSpec(padding=1), "sobel_x")
>>> fmap.size, zoom(fmap, picture, (0, 0)).padding
((6, 6), (1, 0, 1, 0))
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from .errors import ConvVizError
from .images import Picture
from .ops.args import Pair, check_int
from .ops.shapes import NUMPY_PAD_MODE
from .ops.spec import ConvSpec
from .sample import Table
from .values import kernel_weight

MAX_MAP_VALUES = 1 << 24
"""Largest feature map made (C_out * H_out * W_out values, 128 MB as float64)."""
CHUNK_VALUES = 1 << 18
"""The engine's scratch (im2col) per call, in values (2 MB: it stays in the cache, which
makes a 512 x 512 map several times faster than one call): larger maps are made in bands."""
MIN_BAND = 16
"""...but at least this many rows a call (fewer calls: each has its own overhead)."""
ZOOM_BLOCK = 3
"""A zoom shows up to this many output values a side around the chosen one."""
ZOOM_CELLS = 16
"""Most cells a side of a zoom's crop (the numbers figure's limit)."""


def image_spec(spec: ConvSpec, size: Pair, channels: int) -> ConvSpec:
    """``spec``'s layer on an image of ``size`` ``(H, W)`` with ``channels`` channels.

    The mode, kernel size, stride, padding, dilation, output padding and padding mode are
    ``spec``'s; ``in_channels`` is ``channels``; ``out_channels`` and ``groups`` are
    ``spec``'s where they still fit, else the mode's defaults (a depthwise layer on a
    grayscale image has one channel; a one-channel layer on an RGB image sums the three).

    >>> image_spec(ConvSpec(kernel_size=3, padding=1), (300, 451), 3).torch_line()
    'nn.Conv2d(3, 1, kernel_size=3, padding=1)'
    >>> image_spec(ConvSpec(mode="depthwise", in_channels=3), (8, 8), 1).groups
    1
    """
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
    weight : ndarray, shape spec.weight_shape
    values : ndarray, shape (C_out, H_out, W_out), float64: the raw values, unscaled
    """

    spec: ConvSpec
    weight: np.ndarray
    values: np.ndarray

    @property
    def size(self) -> Pair:
        """``(H_out, W_out)``, the output-size formula's."""
        return self.values.shape[1:]


def check_map(spec: ConvSpec) -> None:
    """Refuse, from ``spec``'s arithmetic, a feature map of more than MAX_MAP_VALUES."""
    count = math.prod(spec.output_shape)
    if count > MAX_MAP_VALUES:
        c_out, h_out, w_out = spec.output_shape[1:]
        raise ConvVizError(f"the feature map must have at most {MAX_MAP_VALUES:,} values, got "
                           f"{c_out} x {h_out} x {w_out} = {count:,}: use a smaller image "
                           f"(max side) or stride")


def feature_map(picture: Picture, spec: ConvSpec, kernel) -> FeatureMap:
    """``spec``'s layer applied to ``picture`` with ``kernel``, by the engine.

    Parameters
    ----------
    picture : Picture, pixels (C, H, W)
    spec : ConvSpec
        Its mode, kernel size, stride, padding, dilation, groups (see :func:`image_spec`).
    kernel : str or array_like, shape (kH, kW) or the layer's weight shape
        A preset name, rows like ``"1,0,-1;2,0,-2;1,0,-1"``, or values
        (:func:`convviz.values.kernel_weight`); a 2-D kernel serves every channel pair.

    Returns
    -------
    FeatureMap, values of shape (C_out, H_out, W_out)

    >>> picture = Picture(np.arange(16.0).reshape(1, 4, 4), "ramp", "PNG", (4, 4))
    >>> feature_map(picture, ConvSpec(padding=1), "sobel_x").values[0, 1].tolist()
    [20.0, 8.0, 8.0, -24.0]
    """
    spec = image_spec(spec, picture.size, picture.channels)
    check_map(spec)
    weight = np.asarray(kernel_weight(spec, kernel))
    x = picture.pixels[None]                                        # (1, C, H, W)
    values = (_banded_transposed if spec.transposed else _banded)(x, weight, spec)
    values = np.ascontiguousarray(values, dtype=np.float64)         # (C_out, H_out, W_out)
    for array in (weight, values):
        array.setflags(write=False)
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


# ---- the zoom -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Zoom:
    """The pixels that a block of a feature map's values read, as a small layer of its own.

    Attributes
    ----------
    spec : ConvSpec
        One channel, no padding, the layer's kernel size, stride and dilation; its output
        is the block ``rows`` x ``cols`` of the map.
    values : Table, shape (crop H, crop W)
        The crop's pixel values (the layer's padding where it reaches past the picture).
    kernel : Table, shape (kH, kW)
        The weights of output channel ``channel`` over input channel ``source``.
    cell : (i, j)
        The map value at the chosen point.
    rows, cols : range
        The block's rows and columns in the map.
    origin : (r, c)
        The crop's top-left pixel in the picture (negative where it is padding).
    padding : (top, bottom, left, right)
        How many of the crop's rows and columns are the layer's padding.
    channel, source : int
        The output channel shown, and the input channel it reads.
    """

    spec: ConvSpec
    values: Table
    kernel: Table
    cell: Pair
    rows: range
    cols: range
    origin: Pair
    padding: tuple[int, int, int, int]
    channel: int = 0
    source: int = 0

    @property
    def step(self) -> int:
        """The frame of the zoom's numbers figure that computes ``cell`` (from 0)."""
        return (self.cell[0] - self.rows.start) * len(self.cols) + self.cell[1] - self.cols.start


def output_cell(spec: ConvSpec, point: Pair) -> Pair:
    """The output value whose kernel window is centred nearest pixel ``point`` ``(y, x)``.

    >>> output_cell(ConvSpec(input_size=8, stride=2, padding=1), (4, 7))
    (2, 3)
    """
    cell = []
    for at, k, s, d, before, out in zip(point, spec.kernel_size, spec.stride, spec.dilation,
                                        spec.pads[::2], spec.output_size):
        centre = (at + before - d * (k - 1) / 2) / s           # the window's start, in strides
        cell.append(min(max(math.floor(centre + 0.5), 0), out - 1))
    return tuple(cell)


def _check_zoomable(spec: ConvSpec, channel: int) -> int:
    """The input channel output ``channel`` reads, or why the zoom cannot show it."""
    if spec.transposed:
        raise ConvVizError(f"the zoom shows a direct convolution's sums, got mode {spec.mode!r}")
    per_group = spec.in_channels // spec.groups
    if per_group != 1:
        raise ConvVizError(f"the zoom shows one input channel per sum, and each value of this "
                           f"layer sums {per_group} (in_channels {spec.in_channels}, groups "
                           f"{spec.groups}): use a grayscale image or a depthwise layer")
    channel = check_int(channel, "channel", 0, spec.out_channels - 1)
    return channel // (spec.out_channels // spec.groups)


def _block(out: int, cell: int, span: int, s: int, block: int, limit: int) -> range:
    """Up to ``block`` output cells around ``cell`` whose windows fit ``limit`` cells."""
    size = max(1, min(block, out, (limit - span) // s + 1))
    start = min(max(cell - size // 2, 0), out - size)
    return range(start, start + size)


def zoom(fmap: FeatureMap, picture: Picture, point: Pair | None = None, *, channel: int = 0,
         block: int = ZOOM_BLOCK, max_cells: int = ZOOM_CELLS) -> Zoom:
    """The crop of ``picture`` that the block of ``fmap`` around ``point`` reads.

    Parameters
    ----------
    fmap : FeatureMap, values (C_out, H_out, W_out)
    picture : Picture, pixels (C, H, W), the one ``fmap`` was made of
    point : (y, x), optional
        A pixel of the picture (default its centre); the block centres on the value whose
        window is centred nearest it (:func:`output_cell`).
    channel : int
        The output channel.
    block, max_cells : int
        Up to ``block`` x ``block`` values, their crop at most ``max_cells`` a side.

    Returns
    -------
    Zoom, its ``values`` of shape ((b_H - 1)*sH + dH*(kH-1) + 1, likewise W)
    """
    spec = fmap.spec
    source = _check_zoomable(spec, channel)
    height, width = picture.size
    point = (height // 2, width // 2) if point is None else point
    point = (check_int(point[0], "y", 0, height - 1), check_int(point[1], "x", 0, width - 1))
    spans = [d * (k - 1) + 1 for k, d in zip(spec.kernel_size, spec.dilation)]
    if max(spans) > max_cells:
        raise ConvVizError(f"the zoom writes at most {max_cells} cells a side, and the kernel "
                           f"spans {spans[0]} x {spans[1]}: lower kernel_size or dilation")
    cell = output_cell(spec, point)
    rows, cols = (_block(out, at, span, s, block, max_cells) for out, at, span, s in
                  zip(spec.output_size, cell, spans, spec.stride))
    top, bottom, left, right = spec.pads
    mode = NUMPY_PAD_MODE.get(spec.padding_mode, "constant")
    padded = np.pad(picture.pixels[source], ((top, bottom), (left, right)), mode=mode)
    (sh, sw), start = spec.stride, (rows.start * spec.stride[0], cols.start * spec.stride[1])
    size = ((len(rows) - 1) * sh + spans[0], (len(cols) - 1) * sw + spans[1])
    crop = padded[start[0]:start[0] + size[0], start[1]:start[1] + size[1]]    # (cH, cW)
    inside = [max(0, top - start[0]), max(0, start[0] + size[0] - top - height),
              max(0, left - start[1]), max(0, start[1] + size[1] - left - width)]
    crop_spec = ConvSpec(input_size=size, kernel_size=spec.kernel_size, stride=spec.stride,
                         dilation=spec.dilation)
    return Zoom(crop_spec, _table(crop), _table(fmap.weight[channel, 0]), cell, rows, cols,
                (start[0] - top, start[1] - left), tuple(inside), channel, source)


def _table(array: np.ndarray) -> Table:
    """A 2-D array as rows of floats (hashable)."""
    return tuple(tuple(float(v) for v in row) for row in array.tolist())
