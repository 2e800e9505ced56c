"""Drawing a feature map: stated colours (zero is white, the ends are ±max|v|, or black 0 to
white max), a colour bar, the mark, palette frames, and the input picture's outline."""
from __future__ import annotations

import hashlib

import numpy as np
import pytest

from convviz import ConvVizError, export
from convviz.figures import heatmap as hm
from convviz.figures.heatmap import PALETTES, RAMP, Scale, heatmap, outlined, scale_of


def colours(still: hm.Still) -> np.ndarray:
    return still.palette[still.frame]


def test_a_signed_map_is_centred_on_zero_in_the_diverging_map():
    values = np.array([[[-4.0, 0.0, 2.0, 4.0]]])
    still = heatmap(values, min_px=1)
    assert still.scale == Scale(-4.0, 4.0, True) and still.factor == 1
    row = colours(still)[hm.BORDER_PX, hm.BORDER_PX:hm.BORDER_PX + 4]
    assert row[1].tolist() == [255, 255, 255]                           # 0 is white
    assert row[0].tolist() == list(hm.DIVERGING[0]) and row[3].tolist() == list(hm.DIVERGING[-1])
    assert row[2][0] > row[2][2]                                       # +2: reddish
    assert "the ends are −4 and 4" in still.scale.text


def test_a_map_without_negative_values_runs_from_black_at_zero_to_white():
    values = np.array([[[0.0, 5.0, 10.0]]])
    still = heatmap(values, min_px=1)
    row = colours(still)[hm.BORDER_PX, hm.BORDER_PX:hm.BORDER_PX + 3]
    assert row.tolist() == [[0, 0, 0], [128, 128, 128], [255, 255, 255]]
    assert still.scale.text == "black at 0, white at 10"


def test_scales_are_stated_not_stretched():
    assert scale_of(np.array([3.0, 5.0])) == Scale(0.0, 5.0, False)     # not 3 .. 5
    assert scale_of(np.array([-1.0, 7.0])) == Scale(-7.0, 7.0, True)
    assert scale_of(np.zeros(3)) == Scale(0.0, 1.0, False)


def test_frames_are_palette_indices_and_deterministic():
    values = np.random.default_rng(0).normal(size=(3, 20, 30))
    first, second = heatmap(values, mark=(1, 4, 5)), heatmap(values, mark=(1, 4, 5))
    assert first.frame.dtype == np.uint8 and first.frame.ndim == 2
    assert len(first.palette) <= 256 and first.frame.max() < len(first.palette)
    assert hashlib.sha256(first.frame).digest() == hashlib.sha256(second.frame).digest()
    assert export.encode([first.frame], "png", palette=first.palette)[:4] == b"\x89PNG"


def test_small_maps_are_enlarged_by_a_whole_factor():
    still = heatmap(np.arange(12.0).reshape(1, 3, 4), min_px=100)
    assert still.factor == 25
    block = still.frame[hm.BORDER_PX:hm.BORDER_PX + 25, hm.BORDER_PX:hm.BORDER_PX + 25]
    assert (block == block[0, 0]).all()                        # one value, one square


def test_the_colour_bar_runs_through_the_whole_map():
    still = heatmap(np.array([[[-1.0, 1.0]]]), min_px=2)
    bar_rows = np.flatnonzero((still.frame == 0).any(axis=1) & (still.frame == RAMP - 1)
                              .any(axis=1))
    row = still.frame[bar_rows[-1]]
    ramp = row[row < RAMP]
    assert ramp[0] == 0 and ramp[-1] == RAMP - 1 and (np.diff(ramp.astype(int)) >= 0).all()


def test_the_mark_surrounds_the_value():
    still = heatmap(np.zeros((2, 50, 50)), mark=(1, 20, 30), min_px=50)
    marked = np.argwhere(still.frame == hm.MARK)
    left = hm.BORDER_PX + 50 + hm.GAP_PX
    top = hm.BORDER_PX + hm.LABEL_PX + 6
    rows, cols = marked[:, 0] - top, marked[:, 1] - left
    assert rows.min() < 20 < rows.max() and cols.min() < 30 < cols.max()
    assert rows.max() - rows.min() >= hm.MARK_MIN_PX - 1
    assert (cols >= 0).all()                                   # on channel 1's tile only


def test_channels_are_labelled():
    one = heatmap(np.zeros((1, 10, 10)), min_px=10).frame
    assert one[hm.BORDER_PX, hm.BORDER_PX] < RAMP                  # the tile starts at once
    labelled = heatmap(np.zeros((2, 10, 10)), min_px=10).frame
    assert (labelled[hm.BORDER_PX:hm.BORDER_PX + hm.LABEL_PX] > hm.WHITE).any()   # ink
    assert labelled[hm.BORDER_PX + hm.LABEL_PX + 6, hm.BORDER_PX] < RAMP     # then the tile


def test_palettes_hold_the_stated_colours():
    assert PALETTES[True][(RAMP - 1) // 2].tolist() == [255, 255, 255]
    assert PALETTES[False][0].tolist() == [0, 0, 0]
    assert PALETTES[False][RAMP - 1].tolist() == [255, 255, 255]


@pytest.mark.parametrize("values, words", [
    (np.zeros((5, 5)), "must have shape \\(C, H_out, W_out\\)"),
    (np.zeros((1, 5000, 10)), "at most 4096 pixels a side"),
])
def test_what_cannot_be_drawn_is_refused(values, words):
    with pytest.raises(ConvVizError, match=words):
        heatmap(values)


@pytest.mark.parametrize("channels", [1, 3])
def test_the_picture_is_outlined_where_the_zoom_reads(channels):
    pixels = np.full((channels, 40, 50), 100.0)
    rgb = outlined(pixels, (10, 20, 15, 25))
    assert rgb.shape == (40, 50, 3) and rgb.dtype == np.uint8
    mark = np.argwhere((rgb == hm.MARK_RGB).all(axis=2))
    assert mark[:, 0].min() < 10 and mark[:, 0].max() >= 15
    assert mark[:, 1].min() < 20 and mark[:, 1].max() >= 25
    assert (rgb[0, 0] == 100).all() and outlined(pixels).tolist() == \
        np.full((40, 50, 3), 100, np.uint8).tolist()
