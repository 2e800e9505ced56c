"""convviz.stack_views: the stack's view, its tour of cells, its link, and its files (GIF and
MP4 decoded, PNG, SVG, PDF, the page that plays on its own)."""
from __future__ import annotations

import re

import imageio.v3 as iio
import numpy as np
import pytest

from convviz import ConvVizError, stack_views
from convviz.ops.stack_text import PRESETS, parse_stack
from convviz.stack_views import StackView, tour

VIEW = StackView(parse_stack("conv k3 p1; maxpool k2", input_size=8), (1, 1))


def test_the_tour_goes_right_and_down_from_the_chosen_cell_within_the_map():
    assert tour((4, 4), (1, 1)) == ((1, 1), (1, 2), (2, 2), (2, 1))
    assert tour((4, 4), (3, 3)) == ((3, 3),)
    assert tour((4, 4)) == ((1, 1), (1, 2), (2, 2), (2, 1))          # from the middle
    assert tour((1, 5)) == ((0, 2), (0, 3))


def test_a_view_refuses_a_cell_outside_the_last_map():
    with pytest.raises(ConvVizError, match="cell column must be an int in 0..3, got 9"):
        StackView(VIEW.stack, (0, 9))


@pytest.mark.parametrize("query, message", [
    ({"n": "8"}, "the link has no stack"),
    ({"stack": "conv k3", "n": "x"}, "n must be an int or a pair 'H,W' of ints, got 'x'"),
    ({"stack": "conv k3", "cell": "1"}, "cell must be 'row,column'"),
    ({"stack": "conv k3", "zoom": "2"}, "zoom must be an int in 0..1"),
    ({"stack": "conv k3", "cin": "0"}, "cin must be an int >= 1"),
])
def test_bad_links_are_refused_in_one_line(query, message):
    with pytest.raises(ConvVizError, match=message):
        StackView.from_query(query)


def test_the_link_round_trips_with_the_zoom():
    view = StackView(PRESETS["resnet_stem"].stack(), (3, 4), zoom=False)
    assert view.query()["zoom"] == "0"
    assert StackView.from_query(view.query()) == view


def test_the_gif_has_one_frame_per_cell_of_the_tour(tmp_path):
    path = stack_views.save(VIEW, tmp_path / "stack.gif")
    frames = iio.imread(path, index=None)
    assert frames.shape[0] == 4
    assert frames.shape[1:3] == stack_views.figure(VIEW).size


def test_the_mp4_decodes(tmp_path):
    path = stack_views.save(VIEW, tmp_path / "stack.mp4")
    frames = iio.imread(path, index=None, extension=".mp4")
    assert frames.shape[0] == 4


@pytest.mark.parametrize("suffix, head", [(".png", b"\x89PNG"), (".svg", b"<?xml"),
                                          (".pdf", b"%PDF")])
def test_stills(tmp_path, suffix, head):
    path = stack_views.save(VIEW, tmp_path / f"step{suffix}", frame=2)
    assert path.read_bytes().startswith(head)
    if suffix == ".png":
        assert np.array_equal(iio.imread(path), stack_views.figure(VIEW).rgb(2))


def test_a_still_past_the_last_frame_is_refused_and_writes_nothing(tmp_path):
    with pytest.raises(ConvVizError, match="frame must be an int in 0..3, got 4"):
        stack_views.save(VIEW, tmp_path / "step.png", frame=4)
    assert not (tmp_path / "step.png").exists()


def test_the_page_plays_on_its_own_with_the_table_and_cells_to_point_at(tmp_path):
    page = stack_views.save(VIEW, tmp_path / "stack.html").read_text(encoding="utf-8")
    assert 'data-frames="4"' in page and "<table class='stack'>" in page
    assert "nn.MaxPool2d(2)" in page and "conv_arithmetic" in page
    assert len(re.findall(r'<polygon class="cell"', page)) == 64 + 64 + 16
    assert 'aria-label="y[1,1]" data-step="0"' in page
    assert "http" not in page.replace("https://github.com/vdumoulin/conv_arithmetic", "")


def test_file_stems_name_the_layers_input_cell_and_zoom():
    assert stack_views.file_stem(VIEW) == "stack_conv_k3_p1_maxpool_k2_n8_cell1x1"
    view = StackView(parse_stack("conv k3", input_size=(5, 7)), zoom=True)
    assert stack_views.file_stem(view) == "stack_conv_k3_n5x7_zoom"


def test_the_table_rows_and_totals():
    rows = stack_views.table_rows(StackView(PRESETS["resnet_stem"].stack()))
    assert rows[0] == {"#": 1, "layer": "conv k7 s2 p3 c64 nobias",
                       "PyTorch": "nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, "
                                  "bias=False)", "output": "112 × 112", "channels": 64,
                       "rf": "7", "jump": "2", "start": "0", "parameters": 9408,
                       "multiply-adds": 118013952}
    assert stack_views.totals(StackView(PRESETS["resnet_stem"].stack())) == (9536, 118013952)
