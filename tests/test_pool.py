"""The pooling figures: the window without weights, max pooling's winning cell marked, padding
and ceil mode's reach drawn as padding, captions that are the engine's arithmetic."""
from __future__ import annotations

import hashlib
import re

import imageio.v3 as iio
import numpy as np
import pytest

from convviz import ConvSpec, ConvVizError, Numbers, View, views
from convviz.figures import PoolFigure, PoolNumbersFigure, figure_class, style
from convviz.figures.arithmetic import max_cells, slide
from convviz.figures.palettes import CURRENT
from convviz.geometry import INPUT, OUTSIDE, grid, layout
from convviz.ops import pooling
from convviz.text import MINUS

SPECS = {   # one line per case
    "max": ConvSpec(mode="maxpool", input_size=4, kernel_size=2),
    "max-padded": ConvSpec(mode="maxpool", input_size=5, kernel_size=3, stride=2, padding=1),
    "max-dilated": ConvSpec(mode="maxpool", input_size=7, kernel_size=3, stride=2, dilation=2,
                            padding=1),
    "max-ceil": ConvSpec(mode="maxpool", input_size=5, kernel_size=2, ceil_mode=True),
    "avg-ceil": ConvSpec(mode="avgpool", input_size=5, kernel_size=2, ceil_mode=True),
    "avg-padded": ConvSpec(mode="avgpool", input_size=5, kernel_size=3, stride=2, padding=1),
    "avg-no-pad": ConvSpec(mode="avgpool", input_size=5, kernel_size=3, stride=2, padding=1,
                           count_include_pad=False),
    "avg-divisor": ConvSpec(mode="avgpool", input_size=(4, 5), kernel_size=(2, 3), stride=1,
                            divisor_override=4),
}
SHADED = {INPUT: style.blend(style.INPUT, style.KERNEL, style.KERNEL_ALPHA)}
SHADED_WHITE = style.blend(style.WHITE, style.KERNEL, style.KERNEL_ALPHA)
NUMBERS = Numbers(seed=4)


def engine_output(spec: ConvSpec, numbers: Numbers = NUMBERS) -> np.ndarray:
    x = numbers.sample(spec).x.astype(np.float64)
    return spec.operation.function(x[None], **spec.arguments())[0, 0]


def cell_colour(fig: PoolFigure, image: np.ndarray, row: int, col: int) -> tuple:
    samples = [tuple(image[fig.cell_pixel("input", row, col, dx=dx, dy=dy)])
               for dx in (0.3, 0.5, 0.7) for dy in (0.3, 0.5, 0.7)]
    return max(set(samples), key=samples.count)


@pytest.mark.parametrize("name", SPECS)
def test_captions_are_the_engines_arithmetic(name):
    spec = SPECS[name]
    expected = engine_output(spec)
    for figure in (PoolFigure(spec, NUMBERS), PoolNumbersFigure(spec, NUMBERS)):
        caps = figure.captions()
        assert len(caps) == figure.frame_count == expected.size
        for caption, value in zip(caps, expected.ravel()):
            text = str(caption).replace(MINUS, "-")
            shown = float(text.rsplit("= ", 1)[1])
            assert shown == pytest.approx(value, abs=5e-3), text
            if spec.operation.reduce == "max":
                terms = re.search(r"max\((.*)\)", text).group(1).split(", ")
                assert max(float(t.replace("∞", "inf")) for t in terms) == value
            else:
                body, divisor = re.search(r"= \(?([^)]*?)\)?/\(?(-?\d+)\)? =", text).groups()
                total = sum(float(t) for t in body.split(" + "))
                assert total / int(divisor) == pytest.approx(value)


def test_the_issues_examples():
    spec = ConvSpec(mode="maxpool", input_size=4, kernel_size=2)
    caps = PoolFigure(spec, Numbers(input="1,2,0,0;3,8,2,5;0,0,1,1;4,1,1,9")).captions()
    assert str(caps[0]) == "y[0,0] = max(1, 2, 3, 8) = 8"
    avg = ConvSpec(mode="avgpool", input_size=3, kernel_size=2, stride=2, padding=1)
    caps = PoolFigure(avg, Numbers(input="0,0,0;0,1,2;0,0,0")).captions()
    assert str(caps[3]) == "y[1,1] = (1 + 2 + 0 + 0)/4 = 0.75"          # bottom padding row


@pytest.mark.parametrize("name", ["max", "max-padded", "max-dilated", "max-ceil"])
def test_the_winning_cell_is_marked_in_the_output_cells_colour(name):
    spec = SPECS[name]
    figure = PoolFigure(spec, NUMBERS)
    data = slide(spec, NUMBERS)
    marks = max_cells(data)
    _, index = pooling.max_pool2d(data.x[None, None], **spec.arguments(), return_indices=True)
    for step, mark in zip(layout(spec), marks):
        row, col = divmod(int(index[0, 0][step.out]), spec.input_size[1])
        assert mark == (row + spec.pads[0], col + spec.pads[2])            # the engine's index
        image = figure.rgb(step.index)
        for r in step.rows:
            for c in step.cols:
                colour = cell_colour(figure, image, int(r), int(c))
                if (r, c) == mark:
                    assert colour == CURRENT
                else:
                    assert colour == SHADED.get(int(data.kind[r, c]), SHADED_WHITE)


def test_average_pooling_marks_nothing_and_ceil_reach_is_drawn_as_padding():
    spec = SPECS["avg-ceil"]
    figure = PoolFigure(spec, NUMBERS)
    kind = grid(spec).kind
    assert (kind == OUTSIDE).sum() == 11                              # a row and a column
    last = figure.rgb(figure.frame_count - 1)
    step = layout(spec)[-1]
    for r in step.rows:
        for c in step.cols:
            expected = SHADED[INPUT] if kind[r, c] == INPUT else SHADED_WHITE
            assert cell_colour(figure, last, int(r), int(c)) == expected
    assert cell_colour(figure, last, 0, 5) == style.WHITE             # reach, outside the window
    assert "the window's max" not in [s.label for s in figure.legend()]


def test_numbers_figure_shows_minus_infinity_padding_and_blank_reach():
    spec = ConvSpec(mode="maxpool", input_size=5, kernel_size=2, stride=2, padding=1,
                    ceil_mode=True)
    data = slide(spec, NUMBERS)
    assert np.isneginf(data.grid[0, 0]) and (data.kind == OUTSIDE).sum() == 0
    figure = PoolNumbersFigure(ConvSpec(mode="maxpool", input_size=5, kernel_size=2,
                                        ceil_mode=True), NUMBERS)
    image = figure.rgb(figure.frame_count - 1)
    left, top, right, bottom = figure.layout.input.box(4, 5)            # reach, in the window
    patch = image[top + 2:bottom - 2, left + 2:right - 2]
    assert np.unique(patch.reshape(-1, 3), axis=0).tolist() == [list(SHADED_WHITE)]  # no text
    left, top, right, bottom = figure.layout.input.box(4, 4)            # the input cell beside
    patch = image[top + 2:bottom - 2, left + 2:right - 2]
    assert len(np.unique(patch.reshape(-1, 3), axis=0)) > 2             # its number is written
    labels = [c.caption for c in (figure.layout.input, figure.layout.output)]
    assert labels == ["input x (padding −∞)", "output y"]


def test_frames_are_deterministic_and_decode_as_a_gif(tmp_path):
    view = View(SPECS["max-padded"], seed=4)
    first = [hashlib.sha256(f.tobytes()).hexdigest() for f in views.animation(view).frames]
    views.clear_caches()
    again = [hashlib.sha256(f.tobytes()).hexdigest() for f in views.animation(view).frames]
    assert first == again and len(set(first)) == len(first) == 9
    path = views.save(view, tmp_path / "max.gif")
    assert iio.imread(path).shape[0] == 9


def test_vector_stills_mark_the_winning_cell():
    view = View(SPECS["max"])
    svg = views.still(view, 0, "svg").decode()
    assert views.is_vector(view) and style.hex_colour(CURRENT) in svg


@pytest.mark.parametrize("spec, message", [
    (ConvSpec(input_size=4), "the pooling figure draws max or average pooling, got mode 'conv'"),
    (ConvSpec(mode="maxpool", input_size=4, kernel_size=2, in_channels=3),
     "in_channels must be 1, got 3"),
])
def test_refusals(spec, message):
    for cls in (PoolFigure, PoolNumbersFigure):
        with pytest.raises(ConvVizError, match=re.escape(message)):
            cls(spec)


def test_the_registry_draws_pooling_with_these_figures():
    spec = SPECS["max"]
    assert figure_class(spec, "classic", "slide") is PoolFigure
    assert figure_class(spec, "numbers", "slide") is PoolNumbersFigure
    with pytest.raises(ConvVizError, match="scatter view"):
        figure_class(spec, "numbers", "scatter")
