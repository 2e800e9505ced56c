"""The notice figure: a refusal drawn in the figure's place, with its suggestion."""
import numpy as np

from convviz import ConvSpec
from convviz.figures.notice import TITLE, NoticeFigure, split_advice


def test_a_notice_writes_the_reason_and_the_suggestion():
    fig = NoticeFigure(ConvSpec(), "input_size 20 leaves 3 px cells: use a smaller input")
    assert fig.lines[0] == TITLE and fig.lines[2] == "Input_size 20 leaves 3 px cells."
    assert fig.lines[-1] == "Try this: use a smaller input."
    frame = fig.frame(0)
    assert frame.shape == fig.size and frame.dtype == np.uint8
    assert (fig.palette[frame].sum(axis=2) < 200).sum() > 1000       # text is drawn
    assert str(fig.captions()[0]).startswith("this figure = not drawn: input_size 20")


def test_advice_is_the_last_imperative_clause():
    assert split_advice("a: b: raise max_frames") == ("a: b", "raise max_frames")
    assert split_advice("no advice here") == ("no advice here", "")
