"""The numbers style of multi-channel convolutions: one panel per channel, then the sum; what
it draws is the engine's; it refuses what cannot fit, saying why."""
import numpy as np
import pytest

from convviz import ConvSpec, ConvVizError, Numbers
from convviz.figures import ChannelNumbersFigure, figure_class
from convviz.figures.sums import stage_numbers, taps_of
from convviz.gallery import PRESETS
from convviz.geometry import layout
from convviz.text import format_number

SPECS = {name: PRESETS[name].spec for name in
         ("conv2d_3d", "depthwise", "grouped", "pointwise", "separable")}


def _cell(frame, panel, r, c):
    left, top, right, bottom = panel.box(r, c)
    return frame[top:bottom, left:right]


def test_the_registry_draws_channels_in_numbers():
    assert figure_class(SPECS["conv2d_3d"], "numbers", "slide") is ChannelNumbersFigure


@pytest.mark.parametrize("name", SPECS)
def test_frames_are_one_per_output_value_and_captions_match(name):
    spec = SPECS[name]
    fig = ChannelNumbersFigure(spec, Numbers(seed=2))
    expected = sum(c.out_channels * len(layout(c)) for c in spec.stages())
    frames = list(fig.frames())
    assert fig.frame_count == len(frames) == len(fig.captions()) == expected
    assert all(f.shape == fig.size and f.dtype == np.uint8 for f in frames)
    assert max(int(f.max()) for f in frames) < len(fig.palette) <= 256
    assert (fig.frame(len(frames) - 1) == frames[-1]).all()


@pytest.mark.parametrize("name", ["conv2d_3d", "grouped", "separable"])
def test_each_channels_part_and_the_output_are_the_engines(name):
    """Every frame: each channel of o's group shows its part of the sum, and y[o] the
    engine's value, pixel for pixel as the painters draw them."""
    spec = SPECS[name]
    fig = ChannelNumbersFigure(spec, Numbers(seed=5))
    frames, at = list(fig.frames()), 0
    for stage, (conv, grid, taps, y) in zip(fig.stages, stage_numbers(spec, Numbers(seed=5))):
        for o in range(conv.out_channels):
            channels, w = taps_of(conv, taps, o)
            for step in layout(conv):
                frame = frames[at]
                parts = [(grid[c][np.ix_(step.rows, step.cols)] * w[j]).sum()
                         for j, c in enumerate(channels)]
                assert sum(parts) == y[(o, *step.out)]
                for c, part in zip(channels, parts):
                    patch = stage.painters[f"p{c}"].patch(fig.scheme.current, format_number(part))
                    assert (_cell(frame, stage.panels[f"p{c}"], 0, 0) == patch).all()
                here = stage.painters["y"].patch(fig.scheme.current,
                                                 format_number(y[(o, *step.out)]))
                assert (_cell(frame, stage.panels["y"], *step.out) == here).all()
                at += 1


def test_channels_outside_the_group_show_no_kernel():
    fig = ChannelNumbersFigure(SPECS["grouped"], Numbers())
    first = fig.frame(0)                                   # o = 0 reads channels 0 and 1
    stage = fig.stages[0]
    blank = stage.painters["p2"].patch(fig.scheme.background)
    assert (_cell(first, stage.panels["p2"], 0, 0) == blank).all()
    assert not (_cell(first, stage.panels["p0"], 0, 0) == blank).all()


def test_a_figure_too_wide_for_a_page_is_refused_with_what_to_change():
    spec = ConvSpec(in_channels=8, out_channels=8, input_size=12, padding=1)
    with pytest.raises(ConvVizError, match=r"^the numbers style shows one panel per channel: "
                                           r"8 channels .* use the classic style"):
        ChannelNumbersFigure.check(spec)


def test_weights_stay_at_least_60_percent_of_the_values():
    fig = ChannelNumbersFigure(SPECS["conv2d_3d"], Numbers(seed=1))
    for name, painter in fig.stages[0].painters.items():
        if name.startswith("x"):
            assert painter.sub_font.size >= 0.6 * painter.value_font.size


def test_vector_stills_hold_the_numbers_as_text():
    from convviz.figures.vector import figure_bytes

    fig = ChannelNumbersFigure(SPECS["pointwise"], Numbers(seed=1))
    svg = figure_bytes(fig.vector_figure(0), "svg").decode()
    assert "<text" in svg and "<image" not in svg
    assert "y[o=0] = Σc x⋆w" in svg
