"""The two surfaces of the numbers figures see the same drawing calls: every cell a Scene
records is the patch the Raster pasted there, frame for frame."""
import numpy as np
import pytest

from convviz import ConvSpec, Numbers
from convviz.figures import ChannelNumbersFigure, ScatterFigure, SlideFigure
from convviz.figures.surface import Scene
from convviz.gallery import PRESETS

FIGURES = {
    "slide": lambda: SlideFigure(PRESETS["padding_strides"].spec, Numbers(kernel="sobel_x")),
    "scatter": lambda: ScatterFigure(PRESETS["padding_strides_transposed"].spec, Numbers(2)),
    "channels": lambda: ChannelNumbersFigure(ConvSpec(in_channels=2, out_channels=2,
                                                      input_size=4), Numbers(1)),
}


@pytest.mark.parametrize("name", FIGURES)
def test_a_scene_records_what_the_raster_paints(name):
    fig = FIGURES[name]()
    for index in (0, fig.frame_count // 2, fig.frame_count - 1):
        frame, scene = fig.frame(index), fig.scene(index)
        painters = fig.painters if hasattr(fig, "painters") else \
            fig.stages[0].painters
        assert scene.cells, name
        for (panel, row, col), (fill, text, sub) in scene.cells.items():
            left, top, right, bottom = painters[panel].panel.box(row, col)
            expected = painters[panel].patch(fill, text, sub)
            assert np.array_equal(frame[top:bottom, left:right], expected), (panel, row, col)


def test_copies_change_on_their_own():
    scene = Scene()
    scene.paste("y", 0, 0, (1, 2, 3), "4")
    later = scene.copy()
    later.paste("y", 0, 0, (1, 2, 3), "5")
    later.box("y", range(0, 1), range(0, 1))
    assert scene.cells[("y", 0, 0)][1] == "4" and scene.boxes == []
