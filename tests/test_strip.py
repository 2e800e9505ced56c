"""The 1-D strip figures: one frame per output cell, the right cells shaded, causal padding on
the left, the zeros a transposed convolution inserts, the engine's numbers written in."""
from __future__ import annotations

import hashlib
import re

import imageio.v3 as iio
import imageio_ffmpeg
import numpy as np
import pytest

from convviz import ConvSpec, ConvVizError, Numbers, View, views
from convviz.figures import ScatterFigure, StripFigure, StripNumbersFigure, figure_class, style
from convviz.figures.arithmetic import slide
from convviz.figures.palettes import CURRENT, shade
from convviz.geometry import INPUT, PADDING, ZERO, grid, layout
from convviz.ops import engine1d, pooling
from convviz.text import MINUS

SPECS = {   # one line per case
    "conv1d": ConvSpec(mode="conv1d", input_size=8, kernel_size=3),
    "strided-dilated": ConvSpec(mode="conv1d", input_size=11, kernel_size=3, stride=2,
                                dilation=2, padding=1),
    "causal": ConvSpec(mode="conv1d", input_size=8, kernel_size=3, padding=2, causal=True),
    "causal-dilated": ConvSpec(mode="conv1d", input_size=8, kernel_size=2, dilation=2,
                               padding=2, causal=True),
    "transposed": ConvSpec(mode="transposed1d", input_size=3, kernel_size=3, stride=2,
                           padding=1),
    "transposed-output-padding": ConvSpec(mode="transposed1d", input_size=4, kernel_size=2,
                                          stride=3, output_padding=2),
    "maxpool-ceil": ConvSpec(mode="maxpool1d", input_size=8, kernel_size=3, stride=2,
                             padding=1, ceil_mode=True),
    "avgpool": ConvSpec(mode="avgpool1d", input_size=7, kernel_size=3, padding=1,
                        count_include_pad=False),
}
NUMBERS = Numbers(seed=5)


def engine_output(spec: ConvSpec) -> np.ndarray:
    """What PyTorch's functional op gives for the figure's numbers (the engine equals it)."""
    sample = NUMBERS.sample(spec)
    x = sample.x[None].astype(np.float64)
    if spec.pre_pad:
        x = np.pad(x, ((0, 0), (0, 0), spec.pre_pad))
    if sample.weight is None:
        return spec.operation.function(x, **spec.arguments())[0, 0]
    weight = sample.weight.astype(np.float64)            # one dtype, as PyTorch takes them
    return spec.operation.function(x, weight, None, **spec.arguments())[0, 0]


def fill(figure: StripFigure, image: np.ndarray, row: str, col: int) -> tuple:
    """The fill of a cell: a pixel near its top-left corner, clear of numbers and weights."""
    left, top, _, _ = getattr(figure, row).box(0, col)
    return tuple(image[top + 2, left + 2])


@pytest.mark.parametrize("name", SPECS)
def test_frames_and_captions_follow_the_engine(name):
    spec = SPECS[name]
    expected = engine_output(spec)
    for cls in (StripFigure, StripNumbersFigure):
        figure = cls(spec, NUMBERS)
        assert figure.frame_count == expected.size == spec.output_shape[-1]
        for caption, value in zip(figure.captions(), expected):
            text = str(caption).replace(MINUS, "-")
            assert re.match(r"y\[\d+\] = ", text), text
            assert float(text.rsplit("= ", 1)[1]) == pytest.approx(value, abs=5e-3)
        assert figure.rgb(0).shape == (*figure.size, 3)


@pytest.mark.parametrize("name", SPECS)
def test_frame_f_shades_output_cell_f_and_the_cells_its_window_reads(name):
    spec = SPECS[name]
    figure = StripFigure(spec, NUMBERS)
    kind = grid(spec).kind[0]
    marks = {}
    if spec.operation.reduce == "max":
        data = slide(spec, NUMBERS)
        _, index = pooling.max_pool1d(data.x, **spec.arguments(), return_indices=True)
        marks = {f: int(i) + spec.pads[2] for f, i in enumerate(index[0])}
    for step in layout(spec):
        image = figure.rgb(step.index)
        for c in range(figure.output.cols):
            assert fill(figure, image, "output", c) == (CURRENT if c == step.out[1]
                                                        else style.OUTPUT)
        for c in range(len(kind)):
            plain = style.INPUT if kind[c] == INPUT else style.WHITE
            expected = shade(plain) if c in step.cols else plain
            if marks.get(step.index) == c:
                expected = CURRENT
            assert fill(figure, image, "input", c) == expected, (name, step.index, c)


def test_causal_padding_is_on_the_left_and_each_output_stands_over_its_last_input():
    spec = SPECS["causal"]
    kind = grid(spec).kind[0]
    assert kind.tolist() == [PADDING] * 2 + [INPUT] * 8
    figure = StripFigure(spec)
    cell = figure.cell_px
    assert figure.output.x0 == figure.input.x0 + 2 * cell            # y[t] above x[t]
    assert ConvSpec(mode="conv1d", input_size=8, kernel_size=3, padding=2).output_size == (1, 10)


def test_transposed_strip_inserts_zeros_and_flips_the_kernel():
    spec = SPECS["transposed"]
    assert grid(spec).kind[0].tolist() == [PADDING, INPUT, ZERO, INPUT, ZERO, INPUT, PADDING]
    figure = StripNumbersFigure(spec, Numbers(kernel="1,2,3", input="4,5,6"))
    assert figure.texts["taps"] == ["3", "2", "1"]
    assert figure.texts["input"] == ["0", "4", "0", "5", "0", "6", "0"]
    expected = engine1d.conv_transpose1d(np.array([[[4, 5, 6]]]), np.array([[[1, 2, 3]]]), None,
                                       2, 1)[0, 0]
    assert figure.texts["output"] == [str(v) for v in expected]


def test_the_numbers_strip_fills_the_output_in_as_it_goes():
    figure = StripNumbersFigure(SPECS["conv1d"], NUMBERS)
    image = figure.rgb(2)
    assert [fill(figure, image, "output", c) for c in range(6)] == \
        [style.OUTPUT] * 2 + [CURRENT] + [style.WHITE] * 3


def test_connectors_join_the_window_to_its_output_cell():
    figure = StripFigure(SPECS["conv1d"])
    image = figure.rgb(3)
    middle = (figure.output.y0 + figure.cell_px + figure.input.y0) // 2
    dark = np.flatnonzero((image[middle] < 128).all(axis=1))
    window = (figure.input.x0 + 3 * figure.cell_px, figure.input.x0 + 6 * figure.cell_px)
    assert len(dark) >= 2 and window[0] <= dark.min() and dark.max() <= window[1]


def test_frames_are_deterministic_and_export_as_gif_and_mp4(tmp_path):
    view = View(SPECS["causal"], style="numbers", seed=5)
    first = [hashlib.sha256(f.tobytes()).hexdigest() for f in views.animation(view).frames]
    views.clear_caches()
    assert first == [hashlib.sha256(f.tobytes()).hexdigest()
                     for f in views.animation(view).frames]
    assert iio.imread(views.save(view, tmp_path / "c.gif")).shape[0] == 8
    reader = imageio_ffmpeg.read_frames(str(views.save(view, tmp_path / "c.mp4")))
    width, height = next(reader)["size"]
    assert sum(1 for _ in reader) == 8 and width % 2 == 0 and height % 2 == 0


def test_the_registry_draws_1d_modes_as_strips():
    spec = SPECS["transposed"]
    assert figure_class(spec, "classic", "slide") is StripFigure
    assert figure_class(spec, "numbers", "slide") is StripNumbersFigure
    assert figure_class(spec, "numbers", "scatter") is ScatterFigure
    assert len(ScatterFigure(spec).captions()) == 3
    assert views.is_vector(View(spec)) and views.is_vector(View(spec, style="numbers"))


@pytest.mark.parametrize("style_name", ["classic", "numbers"])
def test_vector_stills_draw_the_frames_cells(style_name):
    """The SVG still has the frame's fills as shapes: the shaded window, the current output
    cell, the blue input cells; the PDF is a page of the frame's size."""
    view = View(SPECS["causal"], style=style_name)
    svg = views.still(view, 0, "svg").decode()         # the window over the padding
    for colour in (CURRENT, shade(style.INPUT), style.INPUT, shade(style.WHITE)):
        assert style.hex_colour(colour) in svg
    dashed = [path for path in re.findall(r"<path [^>]*>", svg, re.S)   # the dashed padding:
              if "stroke-dasharray" in path]                       # one path, a line each
    assert sum(path.count("M ") for path in dashed) >= 4
    pdf = views.still(view, 3, "pdf")
    height, width = views.figure(view).size
    box = re.search(rb"/MediaBox \[ *0 0 ([\d.]+) ([\d.]+) *\]", pdf).groups()
    assert [round(float(v) * 150 / 72) for v in box] == [width, height]


@pytest.mark.parametrize("cls, spec, message", [
    (StripFigure, ConvSpec(input_size=4), "the strip figure draws 1-D modes, got mode 'conv'"),
    (StripFigure, ConvSpec(mode="conv1d", input_size=8, in_channels=2),
     "the strip figure shows one channel"),
    (StripFigure, ConvSpec(mode="conv1d", input_size=80), "at most 64 cells"),
    (StripNumbersFigure, ConvSpec(mode="conv1d", input_size=20), "at most 16 cells"),
])
def test_refusals(cls, spec, message):
    with pytest.raises(ConvVizError, match=re.escape(message)):
        cls(spec)
