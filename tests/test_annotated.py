"""Figures for notes: title, formula, legend and the step around the figure, in the figure's
own palette as frames and as true text in SVG and PDF."""
import numpy as np
import pytest

from convviz import ConvSpec, Numbers
from convviz.figures import ChannelsFigure, ClassicFigure, SlideFigure
from convviz.figures.annotated import AnnotatedFigure, notes_of, plan, title, wrap
from convviz.figures.vector import figure_bytes
from convviz.gallery import PRESETS

TRANSPOSED = PRESETS["padding_strides_transposed"].spec


def test_notes_hold_title_formula_legend_and_steps_from_1():
    notes = notes_of(ClassicFigure(TRANSPOSED), given="pt")
    assert notes.title == ("Transposed convolution: n = 3, k = 3, s = 2, p = 1; output 5 × 5")
    assert notes.formula == ("m = (n−1)·s − 2p + d·(k−1) + a + 1;  p = d·(k−1) − p_t",
                             "p = 1·(3−1) − 1 = 1", "m = (3−1)·2 − 2·1 + 1·(3−1) + 0 + 1 = 5")
    assert [s.label for s in notes.legend][0] == "input"
    assert notes.steps[0][0] == "Step 1 of 25" and notes.steps[24][0] == "Step 25 of 25"
    assert notes.steps[6][1].startswith("y[1,1] = ")


@pytest.mark.parametrize("spec, words", [
    (ConvSpec(mode="dilated", input_size=7), "Dilated convolution: n = 7, k = 3, s = 1, p = 0, "
                                             "d = 2; output 3 × 3"),
    (PRESETS["grouped"].spec, "Grouped convolution: n = 5, k = 3, s = 1, p = 0, 4 → 4 channels, "
                              "2 groups; output 3 × 3"),
    (PRESETS["padding_strides_odd_transposed"].spec, "a = 1"),
])
def test_titles_name_what_differs_from_the_defaults(spec, words):
    assert words in title(spec)


def test_frames_stay_in_the_figures_palette_and_hold_the_figure():
    inner = ClassicFigure(TRANSPOSED)
    fig = AnnotatedFigure(inner)
    frame = fig.frame(6)
    assert frame.shape == fig.size and (fig.palette == inner.palette).all()
    x, y = fig.page.figure
    h, w = inner.size
    assert (frame[y:y + h, x:x + w] == inner.frame(6)).all()
    header = frame[:y]                                        # the title is dark text
    assert (fig.palette[header] .sum(axis=2) < 200).sum() > 500
    assert not (fig.frame(6) == fig.frame(7)).all()           # the step's line differs


def test_legend_swatches_are_the_legends_colours_with_their_outlines():
    fig = AnnotatedFigure(ClassicFigure(TRANSPOSED))
    frame = fig.palette[fig.frame(0)]
    for swatch, x, y in fig.page.swatches:
        middle = frame[y + 2 + fig.page.swatch_px // 2, x + fig.page.swatch_px // 2]
        assert tuple(middle) == swatch.rgb


@pytest.mark.parametrize("make", [
    lambda: ClassicFigure(TRANSPOSED),
    lambda: SlideFigure(PRESETS["padding_strides"].spec, Numbers(kernel="sobel_x")),
    lambda: ChannelsFigure(PRESETS["separable"].spec),
], ids=["classic", "numbers", "channels"])
def test_vector_pages_hold_real_text(make):
    inner = make()
    fig = AnnotatedFigure(inner)
    svg = figure_bytes(fig.vector_figure(1), "svg").decode()
    assert "<text" in svg and "Step 2 of" in svg and fig.notes.formula[1] in svg
    assert ("<image" in svg) == (not inner.vector)
    pdf = figure_bytes(fig.vector_figure(1), "pdf")
    assert pdf.startswith(b"%PDF") and b"FontFile2" in pdf        # embedded TrueType text


def test_long_lines_wrap_to_the_page():
    lines = wrap("a " * 200, 18, 300)
    assert len(lines) > 5
    page = plan((100, 100), notes_of(ChannelsFigure(ConvSpec(in_channels=2, out_channels=7))))
    assert page.size[1] <= 1200 + 2 * 22
    assert all(len(s) >= 2 for s in page.steps)


def test_the_same_figure_gives_the_same_bytes():
    one = AnnotatedFigure(ClassicFigure(TRANSPOSED)).frame(3)
    two = AnnotatedFigure(ClassicFigure(TRANSPOSED)).frame(3)
    assert np.array_equal(one, two)
    a = figure_bytes(AnnotatedFigure(ClassicFigure(TRANSPOSED)).vector_figure(3), "svg")
    b = figure_bytes(AnnotatedFigure(ClassicFigure(TRANSPOSED)).vector_figure(3), "svg")
    assert a == b


def test_a_1d_title_speaks_in_lengths():
    assert title(ConvSpec(mode="conv1d", input_size=8)) == (
        "1-D convolution: n = 8, k = 3, s = 1, p = 0; output 6")
