"""Numbers figures as vector drawings: every number a frame shows is text in the SVG, and the
drawing has the frame's size."""
import re

from convviz import Numbers
from convviz.figures import SlideFigure
from convviz.figures.vector import DPI, figure_bytes
from convviz.gallery import PRESETS
from convviz.text import format_number


def test_every_number_of_the_frame_is_text_in_the_svg():
    fig = SlideFigure(PRESETS["padding_strides"].spec, Numbers(kernel="sobel_x"))
    svg = figure_bytes(fig.vector_figure(4), "svg").decode()
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    shown = [text for (_, _, _), (_, text, _) in fig.scene(4).cells.items() if text]
    subs = [sub for (_, _, _), (_, _, sub) in fig.scene(4).cells.items() if sub]
    assert sorted(texts) == sorted(shown + subs + [p.caption for p in fig.panels.values()])
    assert format_number(fig.data.output[1, 1]) in texts
    width = float(re.search(r'width="([\d.]+)pt"', svg).group(1))
    assert abs(width - fig.size[1] * 72 / DPI) < 1
    assert "<image" not in svg
