"""The exercises' figures (convviz/figures/question.py): the setup figure leaves the output
out (its size does not tell it either), the cells figure marks one output cell and draws no
kernel; both through the registry, with vector stills."""
from __future__ import annotations

import hashlib

import numpy as np
import pytest

from convviz import ConvSpec, ConvVizError, View, views
from convviz.figures import CellsFigure, ClassicFigure, SetupFigure, figure_class, style
from convviz.gallery import PRESETS

KERNEL_ON_INPUT = style.blend(style.INPUT, style.KERNEL, style.KERNEL_ALPHA)
CURRENT_OUTPUT = style.blend(style.OUTPUT, style.KERNEL, style.KERNEL_ALPHA)


def colours(image: np.ndarray) -> set[tuple[int, int, int]]:
    return set(map(tuple, image.reshape(-1, 3).tolist()))


@pytest.mark.parametrize("name", ["padding_strides", "dilation", "padding_strides_transposed",
                                  "full_padding_no_strides"])
def test_the_setup_figure_shows_the_input_and_the_kernel_but_no_output(name):
    spec = PRESETS[name].spec
    setup = SetupFigure(spec)
    image = setup.rgb(0)
    assert setup.frame_count == 1 and image.shape[:2] == setup.size
    seen = colours(image)
    assert style.INPUT in seen and KERNEL_ON_INPUT in seen
    assert style.OUTPUT not in seen and CURRENT_OUTPUT not in seen
    assert setup.size[0] < ClassicFigure(spec).size[0]           # no room kept for it


def test_the_setup_figures_size_does_not_depend_on_the_output():
    sizes = {SetupFigure(ConvSpec(input_size=9, kernel_size=3, stride=s)).size for s in (1, 2, 4)}
    assert len(sizes) == 1
    assert np.array_equal(SetupFigure(ConvSpec(input_size=9, stride=1)).frame(0),
                          SetupFigure(ConvSpec(input_size=9, stride=3)).frame(0))


def test_the_cells_figure_marks_each_output_cell_and_draws_no_kernel():
    spec = PRESETS["padding_strides"].spec
    cells, classic = CellsFigure(spec), ClassicFigure(spec)
    assert cells.size == classic.size and cells.frame_count == 9
    for index in range(cells.frame_count):
        image = cells.rgb(index)
        assert KERNEL_ON_INPUT not in colours(image)
        for r in range(3):
            for c in range(3):
                y, x = classic.cell_pixel("output", r, c)
                want = CURRENT_OUTPUT if index == r * 3 + c else style.OUTPUT
                assert tuple(image[y, x]) == want
    assert [str(c) for c in cells.captions()][:2] == ["y[0,0]", "y[0,1]"]


def test_the_cells_figure_points_at_the_classic_figures_cells():
    spec = PRESETS["padding_strides_transposed"].spec
    assert CellsFigure(spec).targets() == ClassicFigure(spec).targets()


def test_both_are_registered_styles_of_a_view():
    spec = PRESETS["padding_strides"].spec
    assert figure_class(spec, "setup", "slide") is SetupFigure
    assert figure_class(spec, "cells", "slide") is CellsFigure
    assert View.from_query("mode=conv&n=5&k=3&s=2&p=1&style=cells").style == "cells"
    assert views.frame_count(View(spec, style="setup")) == 1
    assert views.still(View(spec, style="setup"), 0, "svg").startswith(b"<?xml")
    assert views.still(View(spec, style="cells"), 4, "pdf").startswith(b"%PDF")
    assert views.is_vector(View(spec, style="cells"))


@pytest.mark.parametrize("spec, style_name", [
    (ConvSpec(in_channels=2), "setup"), (ConvSpec(mode="depthwise", in_channels=3), "cells")])
def test_multi_channel_specs_are_refused_with_the_reason(spec, style_name):
    with pytest.raises(ConvVizError, match=f"the {style_name} figure draws one channel"):
        views.figure(View(spec, style=style_name))


def test_frames_are_byte_identical_for_the_same_spec():
    spec = PRESETS["dilation"].spec

    def digest():
        h = hashlib.sha256()
        for kind in (SetupFigure, CellsFigure):
            for frame in kind(spec).frames():
                h.update(frame.tobytes())
        return h.hexdigest()
    assert digest() == digest()
