"""Zooming into a feature map: the crop's numbers figure computes exactly the map's values,
says which cells are padding, fits the numbers figure, and refuses what it cannot show."""
from __future__ import annotations

import numpy as np
import pytest
from test_featuremap import CASES, POOLING, picture

from convviz import ConvSpec, ConvVizError, views
from convviz.featuremap import feature_map
from convviz.figures import sizing
from convviz.text import format_number
from convviz.zoom import ZOOM_CELLS, output_cell, zoom

ZOOMED = [name for name, (channels, _, fields, _) in CASES.items()
          if not fields.get("mode") == "transposed" and
          (channels == 1 or fields.get("mode") == "depthwise")]


@pytest.mark.parametrize("name", ZOOMED)
@pytest.mark.parametrize("point", [(0, 0), (5, 200), (100, 0), (10, 11), (1000, 1000)])
def test_a_zoom_computes_exactly_the_maps_values(name, point):
    channels, size, fields, kernel = CASES[name]
    pic = picture(channels, size)
    fmap = feature_map(pic, ConvSpec(input_size=size, **fields), kernel)
    point = (min(point[0], size[0] - 1), min(point[1], size[1] - 1))
    for channel in range(fmap.values.shape[0]):
        zoomed = zoom(fmap, pic, point, channel=channel)
        view = views.View(zoomed.spec, style="numbers", kernel=zoomed.kernel,
                          values=zoomed.values)
        block = fmap.values[channel][np.ix_(zoomed.rows, zoomed.cols)]
        assert np.array_equal(views.numbers_of(view).output, block)
        assert zoomed.cell == output_cell(fmap.spec, point)
        value = fmap.values[channel][zoomed.cell]
        caption = str(views.captions(view)[zoomed.step])       # "y[1,1] = 3·1 + … = 17"
        assert caption.startswith(f"y[{zoomed.cell[0] - zoomed.rows.start},")
        assert f"= {format_number(value)}" in caption
        assert max(zoomed.spec.input_size) <= ZOOM_CELLS


def test_a_zoom_at_the_corner_says_which_cells_are_padding():
    pic = picture(1, (30, 30))
    fmap = feature_map(pic, ConvSpec(padding=2), "sobel_x")
    corner = zoom(fmap, pic, (0, 0))
    assert corner.padding == (2, 0, 2, 0) and corner.origin == (-2, -2)
    assert corner.values[0] == (0.0,) * 5 and corner.values[2][2] == pic.pixels[0, 0, 0]
    far = zoom(fmap, pic, (29, 29))
    assert far.padding == (0, 2, 0, 2) and far.rows == range(29, 32)
    middle = zoom(fmap, pic)
    assert middle.padding == (0, 0, 0, 0) and middle.cell == (16, 16) and middle.step == 4


def test_the_zoom_block_shrinks_to_fit_the_numbers_figure():
    assert ZOOM_CELLS == sizing.MAX_NUMBER_CELLS
    pic = picture(1, (60, 60))
    fmap = feature_map(pic, ConvSpec(input_size=60, kernel_size=5, stride=4, dilation=3),
                       "1,1,1,1,1;" * 5)
    zoomed = zoom(fmap, pic, (30, 30))                    # span 13: one value a side
    assert (len(zoomed.rows), zoomed.spec.input_size) == (1, (13, 13))


@pytest.mark.parametrize("channels, fields, words", [
    (1, {"mode": "transposed", "stride": 2}, "the zoom shows a direct convolution's sums"),
    (3, {"padding": 1}, "each value of this layer sums 3"),
    (1, {"kernel_size": 7, "dilation": 3}, "the kernel spans 19 x 19"),
])
def test_what_the_zoom_cannot_show_is_refused(channels, fields, words):
    pic = picture(channels, (70, 70))
    kernel = "sobel_x" if fields.get("kernel_size", 3) == 3 else "1,1,1,1,1,1,1;" * 7
    fmap = feature_map(pic, ConvSpec(input_size=70, **fields), kernel)
    with pytest.raises(ConvVizError, match=words):
        zoom(fmap, pic)


def test_a_point_outside_the_picture_is_refused():
    pic = picture(1, (10, 12))
    fmap = feature_map(pic, ConvSpec(), "sobel_x")
    with pytest.raises(ConvVizError, match=r"x must be an int in 0..11, got 12"):
        zoom(fmap, pic, (3, 12))


@pytest.mark.parametrize("name", POOLING)
@pytest.mark.parametrize("point", [(0, 0), (5, 200), (100, 0), (10, 11), (1000, 1000)])
def test_a_pooling_zoom_computes_exactly_the_maps_maxima_and_averages(name, point):
    channels, size, fields = POOLING[name]
    pic = picture(channels, size)
    fmap = feature_map(pic, ConvSpec(input_size=size, **fields))
    point = (min(point[0], size[0] - 1), min(point[1], size[1] - 1))
    for channel in range(channels):                       # each channel pools its own
        try:
            zoomed = zoom(fmap, pic, point, channel=channel)
        except ConvVizError as error:                     # only this one, only at an edge
            assert "leaves them out of its divisor" in str(error)
            assert fields.get("count_include_pad") is False
            continue
        assert zoomed.kernel is None and zoomed.source == channel
        assert zoomed.spec.mode == fmap.spec.mode
        view = views.View(zoomed.spec, style="numbers", values=zoomed.values)
        block = fmap.values[channel][np.ix_(zoomed.rows, zoomed.cols)]
        assert np.array_equal(views.numbers_of(view).output, block)
        value = fmap.values[channel][zoomed.cell]
        caption = str(views.captions(view)[zoomed.step])       # "y[1,1] = max(3, …) = 17"
        assert f"= {format_number(value)}" in caption
        assert ("max(" in caption) == (fields["mode"] == "maxpool")
        assert "window" in zoomed.describe()


def test_a_ceil_mode_zoom_keeps_to_whole_windows():
    pic = picture(1, (9, 9))                # k2 s2, ceil: a 5th column whose window is cut
    fmap = feature_map(pic, ConvSpec(input_size=9, mode="maxpool", kernel_size=2, stride=2,
                                     ceil_mode=True))
    assert fmap.size == (5, 5)
    zoomed = zoom(fmap, pic, (8, 8))
    assert zoomed.cell == (3, 3) and zoomed.rows.stop == zoomed.cols.stop == 4


def test_an_average_without_the_padding_zooms_away_from_the_edge():
    pic = picture(1, (40, 40))
    fmap = feature_map(pic, ConvSpec(input_size=40, mode="avgpool", kernel_size=3, stride=2,
                                     padding=1, count_include_pad=False))
    with pytest.raises(ConvVizError, match="count_include_pad 0"):
        zoom(fmap, pic, (0, 0))
    assert zoom(fmap, pic, (20, 20)).padding == (0, 0, 0, 0)
