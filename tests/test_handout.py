"""Handouts: a PDF of the formula and key steps, A4 or Letter, with text as text."""
import re

import pytest

from convviz import ConvSpec, ConvVizError, Numbers
from convviz.figures import ChannelsFigure, ClassicFigure, SlideFigure
from convviz.gallery import PRESETS
from convviz.handout import PAPERS, handout, key_steps


def _pages(pdf: bytes) -> list[tuple[float, float]]:
    boxes = re.findall(rb"/MediaBox \[ ?0 0 ([\d.]+) ([\d.]+) ?\]", pdf)
    return [(float(w), float(h)) for w, h in boxes]


@pytest.mark.parametrize("paper", PAPERS)
def test_pages_are_the_paper_size(paper):
    pdf = handout(ClassicFigure(PRESETS["padding_strides"].spec), paper=paper)
    width, height = PAPERS[paper]
    assert pdf.startswith(b"%PDF") and b"FontFile2" in pdf
    for w, h in _pages(pdf):
        assert (round(w), round(h)) == (round(width * 72), round(height * 72))


def test_key_steps_keep_the_first_the_last_and_every_stage():
    assert key_steps(9, ()) == (1, 4, 6, 9)
    assert key_steps(1, ()) == (1,)
    steps = key_steps(18, (9,))
    assert steps[0] == 1 and steps[-1] == 18 and 10 in steps


def test_chosen_steps_make_pages_of_four_or_two():
    small = handout(ClassicFigure(PRESETS["padding_strides"].spec), steps=range(1, 10))
    assert len(_pages(small)) == 3                             # 9 steps, four a page
    wide = handout(ChannelsFigure(PRESETS["separable"].spec), steps=[1, 2, 3])
    assert len(_pages(wide)) == 2                              # wide figures: two a page
    numbers = handout(SlideFigure(PRESETS["padding_strides"].spec, Numbers(kernel="sobel_x")))
    assert len(_pages(numbers)) == 1 and b"/Subtype /Image" not in numbers   # all vector


def test_bad_steps_and_paper_are_refused():
    fig = ClassicFigure(ConvSpec())
    with pytest.raises(ConvVizError, match="step must be an int in 1..9, got 10"):
        handout(fig, steps=[10])
    with pytest.raises(ConvVizError, match="paper must be one of a4, letter, got 'a3'"):
        handout(fig, paper="a3")
