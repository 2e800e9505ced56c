"""A zoom into a feature map: the real pixels under the kernel and the sums they give.

:func:`zoom` cuts out the pixels that a few neighbouring values of a feature map read: the
input of a small one-channel layer whose numbers figure
(``View(zoom.spec, style="numbers", kernel=zoom.kernel, values=zoom.values)``) shows each sum
(for pooling each maximum or average, and no kernel) with the picture's values, and whose
output is exactly that block of the map.

>>> from convviz.featuremap import feature_map
>>> picture = Picture(np.arange(36.0).reshape(1, 6, 6), "ramp", "PNG", (6, 6))
>>> fmap = feature_map(picture, ConvSpec(padding=1), "sobel_x")
>>> corner = zoom(fmap, picture, (0, 0))
>>> corner.padding, corner.box, corner.cell
((1, 0, 1, 0), (-1, -1, 4, 4), (0, 0))
>>> pooled = feature_map(picture, ConvSpec(mode="maxpool", kernel_size=2))
>>> zoom(pooled, picture, (5, 5)).spec.to_query()
'mode=maxpool&n=6&k=2&s=2&p=0'
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .errors import ConvVizError
from .featuremap import FeatureMap, is_pooling, table
from .images import Picture
from .ops.args import Pair, check_int
from .ops.shapes import NUMPY_PAD_MODE
from .ops.spec import ConvSpec
from .sample import Table

ZOOM_BLOCK = 3
"""A zoom shows up to this many output values a side around the chosen one."""
ZOOM_CELLS = 16
"""Most cells a side of a zoom's crop (the numbers figure's limit)."""


@dataclass(frozen=True)
class Zoom:
    """The pixels that a block of a feature map's values read, as a small layer of its own.

    Attributes
    ----------
    spec : ConvSpec
        One channel, no padding, the layer's mode, kernel size, stride and dilation (and a
        pooling's divisor); its output is the block ``rows`` x ``cols`` of the map.
    values : Table, shape (crop H, crop W)
        The crop's pixel values (the layer's padding where it reaches past the picture: zeros,
        which a maximum of pixels, never below 0, also ignores).
    kernel : Table, shape (kH, kW), or None for pooling
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
    kernel: Table | None
    cell: Pair
    rows: range
    cols: range
    origin: Pair
    padding: tuple[int, int, int, int]
    channel: int = 0
    source: int = 0

    @property
    def box(self) -> tuple[int, int, int, int]:
        """The crop in the picture: ``(top, left, bottom, right)``, bottom and right
        exclusive (past the picture where it is padding)."""
        return (*self.origin, self.origin[0] + len(self.values),
                self.origin[1] + len(self.values[0]))

    def describe(self) -> str:
        """What the zoom shows, in words: where its crop lies in the picture, which values of
        the map it computes, and the step that computes the chosen one."""
        (top, left, bottom, right), (pt, pb, pl, pr) = self.box, self.padding
        edges = [f"{count} {what}{'s' * (count > 1)} {side}" for count, what, side in (
            (pt, "row", "above"), (pb, "row", "below"), (pl, "column", "on the left"),
            (pr, "column", "on the right")) if count]
        padding = f" (padding: {', '.join(edges)})" if edges else ""
        local = (self.cell[0] - self.rows.start, self.cell[1] - self.cols.start)
        return (f"The picture's rows {top}..{bottom - 1} and columns {left}..{right - 1}"
                f"{padding} under the {'window' if self.kernel is None else 'kernel'}: "
                f"they give the map's rows {self.rows.start}.."
                f"{self.rows.stop - 1}, columns {self.cols.start}..{self.cols.stop - 1}"
                f"{f' of channel {self.channel}' if self.channel else ''}. Step "
                f"{self.step + 1} computes y[{local[0]},{local[1]}], which is "
                f"y[{self.cell[0]},{self.cell[1]}] of the map, marked there.")

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
    if is_pooling(spec):                                  # channel by channel
        return check_int(channel, "channel", 0, spec.out_channels - 1)
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
    whole = _whole_windows(spec, picture.size, spans)
    cell = tuple(min(at, last - 1) for at, last in zip(output_cell(spec, point), whole))
    rows, cols = (_block(out, at, span, s, block, max_cells) for out, at, span, s in
                  zip(whole, cell, spans, spec.stride))
    start = (rows.start * spec.stride[0], cols.start * spec.stride[1])     # in the padded
    size = ((len(rows) - 1) * spec.stride[0] + spans[0],
            (len(cols) - 1) * spec.stride[1] + spans[1])
    crop, padding = _crop(picture.pixels[source], spec, start, size)
    crop_spec = _crop_spec(spec, size, any(padding))
    kernel = None if fmap.weight is None else table(fmap.weight[channel, 0])
    return Zoom(crop_spec, table(crop), kernel, cell, rows, cols,
                (start[0] - spec.pads[0], start[1] - spec.pads[2]), padding, channel, source)


def _whole_windows(spec: ConvSpec, size: Pair, spans: list[int]) -> tuple[int, int]:
    """How many output rows and columns have their whole window in the padded picture: all
    of them, except a pooling's last in ceil mode (its window runs past the padding)."""
    return tuple(min(out, (n + before + after - span) // s + 1) for out, n, before, after,
                 span, s in zip(spec.output_size, size, spec.pads[::2], spec.pads[1::2],
                                spans, spec.stride))


def _crop_spec(spec: ConvSpec, size: Pair, padded: bool) -> ConvSpec:
    """The crop's own layer: ``spec``'s mode, kernel, stride and dilation (a pooling's
    divisor too) on ``size`` cells without padding, one channel; or why an average that
    leaves the padding out of its divisor cannot be shown with the padding as cells."""
    if not is_pooling(spec):
        return ConvSpec(input_size=size, kernel_size=spec.kernel_size, stride=spec.stride,
                        dilation=spec.dilation)
    if padded and spec.mode == "avgpool" and not spec.count_include_pad:
        raise ConvVizError("the zoom shows the padding as cells, and this average leaves "
                           "them out of its divisor (count_include_pad 0): pick a point "
                           "away from the picture's edge, or count the padding (PyTorch, "
                           "JAX and ONNX can; TensorFlow cannot)")
    extra = {"dilation": spec.dilation} if spec.mode == "maxpool" else \
        {"divisor_override": spec.divisor_override}
    return ConvSpec(mode=spec.mode, input_size=size, kernel_size=spec.kernel_size,
                    stride=spec.stride, **extra)


def _crop(pixels: np.ndarray, spec: ConvSpec, start: Pair,
          size: Pair) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """The ``size`` cells from ``start`` of ``pixels`` ``(H, W)`` padded as ``spec`` pads,
    and how many of its rows and columns are padding (top, bottom, left, right)."""
    (top, bottom, left, right), (height, width) = spec.pads, pixels.shape
    mode = NUMPY_PAD_MODE.get(spec.padding_mode, "constant")
    padded = np.pad(pixels, ((top, bottom), (left, right)), mode=mode)     # (H + .., W + ..)
    crop = padded[start[0]:start[0] + size[0], start[1]:start[1] + size[1]]  # (cH, cW)
    return crop, (max(0, top - start[0]), max(0, start[0] + size[0] - top - height),
                  max(0, left - start[1]), max(0, start[1] + size[1] - left - width))
