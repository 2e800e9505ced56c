"""The cells a page points at: one target per drawn cell, named as the issue writes them,
outlined where the renderer paints that cell, stepping to the frame that computes it, with
the cells it feeds or reads."""
from __future__ import annotations

import re

import numpy as np
import pytest

from convviz import ConvSpec, Numbers
from convviz.figures import ChannelsFigure, ClassicFigure, ScatterFigure, SlideFigure, style
from convviz.figures.stacks import BLUE, CYAN, LV, SHADE
from convviz.figures.targets import MAX_TARGETS, build, fits, listing
from convviz.gallery import PRESETS

NAME = re.compile(r"^[xhy]\[\d+,\d+\]$")
ISSUE = ConvSpec(input_size=5, kernel_size=3, stride=2, padding=1)
TRANSPOSED = ConvSpec(mode="transposed", input_size=3, kernel_size=3, stride=2, padding=1)


def _samples(outline) -> list[tuple[int, int]]:
    """Nine pixels ``(y, x)`` spread over a four-cornered outline, at a quarter, a half and
    three quarters along both of its sides (a connector line may cross a few of them)."""
    (x0, y0), (x1, y1), _, (x3, y3) = outline
    return [(int(y0 + a * (y1 - y0) + b * (y3 - y0)), int(x0 + a * (x1 - x0) + b * (x3 - x0)))
            for a in (0.25, 0.5, 0.75) for b in (0.25, 0.5, 0.75)]


def _inside(outline, y: float, x: float) -> bool:
    """Whether pixel centre (y, x) lies inside a convex outline (either winding)."""
    signs = set()
    for (x0, y0), (x1, y1) in zip(outline, outline[1:] + outline[:1]):
        signs.add(np.sign((x1 - x0) * (y + 0.5 - y0) - (y1 - y0) * (x + 0.5 - x0)))
    return not {1.0, -1.0} <= signs


def _by_name(figure) -> dict:
    return {t.name: t for t in figure.targets()}


@pytest.mark.parametrize("name", [n for n, p in PRESETS.items() if p.classic])
def test_classic_targets_lie_on_the_cells_the_frames_paint(name):
    spec = PRESETS[name].spec
    fig = ClassicFigure(spec)
    found = fig.targets()
    xs = [t for t in found if t.name[0] == "x"]
    ys = [t for t in found if t.name[0] == "y"]
    assert len(xs) == np.prod(spec.input_size) and len(ys) == np.prod(spec.output_size)
    assert len({t.name for t in found}) == len(found) and all(NAME.match(t.name) for t in found)
    rgb = fig.rgb(fig.frame_count - 1)
    blue = {style.INPUT, style.blend(style.INPUT, style.KERNEL, style.KERNEL_ALPHA)}
    cyan = {style.OUTPUT, style.blend(style.OUTPUT, style.KERNEL, style.KERNEL_ALPHA)}
    for target in found:
        colours = [tuple(rgb[p].tolist()) for p in _samples(target.outline)]
        fills = blue if target.name[0] == "x" else cyan
        assert sum(c in fills for c in colours) >= 6, (target.name, colours)


def test_the_issue_cells_step_and_feed():
    fig = ClassicFigure(ISSUE)
    found = _by_name(fig)
    assert found["y[1,1]"].step == 4 and fig.captions()[4].target == "y[1,1]"
    assert found["x[1,1]"].links == ("y[0,0]", "y[0,1]", "y[1,0]", "y[1,1]")
    assert found["x[1,1]"].line == "x[1,1] feeds y[0,0], y[0,1], y[1,0], y[1,1]"
    assert found["x[1,1]"].step is None
    assert found["y[0,0]"].line == ("y[0,0] reads x[0,0], x[0,1], x[1,0], x[1,1] and 5 "
                                   "padding cells")


def test_every_output_target_steps_to_the_frame_that_computes_it():
    for spec in (ISSUE, TRANSPOSED, PRESETS["dilation"].spec):
        fig = ClassicFigure(spec)
        for target in fig.targets():
            if target.name[0] == "y":
                assert fig.captions()[target.step].target == target.name


def test_transposed_inputs_feed_their_stamp():
    found = _by_name(ClassicFigure(TRANSPOSED))
    assert found["x[0,0]"].links == ("y[0,0]", "y[0,1]", "y[1,0]", "y[1,1]")
    assert found["y[0,0]"].line == "y[0,0] reads x[0,0] and 8 inserted zeros or padding cells"


def test_cells_nothing_reads_and_cells_only_padding_covers_say_so():
    found = _by_name(ClassicFigure(ConvSpec(input_size=6, kernel_size=3, stride=2)))
    assert found["x[0,5]"].line == "x[0,5] feeds no output cell: no kernel position reads it"
    assert found["x[0,5]"].links == ()
    padded = _by_name(ClassicFigure(ConvSpec(input_size=2, kernel_size=1, padding=1)))
    assert padded["y[0,0]"].line == "y[0,0] reads only padding cells, so it is 0"
    gaps = _by_name(ClassicFigure(ConvSpec(mode="transposed", input_size=2, kernel_size=2,
                                           stride=3)))
    assert gaps["y[2,2]"].line == "y[2,2] reads only inserted zeros or padding cells, so it is 0"
    cropped = _by_name(ScatterFigure(ConvSpec(mode="transposed", input_size=3, kernel_size=2,
                                              stride=2, padding=2)))
    assert cropped["x[0,0]"].line == ("x[0,0] feeds no output cell: its whole stamp lands in "
                                      "the padding that is cropped off")


def test_padding_copies_count_as_reads():
    spec = ConvSpec(input_size=4, kernel_size=3, padding=1, padding_mode="reflect")
    found = _by_name(ClassicFigure(spec))
    assert found["y[0,0]"].line == ("y[0,0] reads x[0,0], x[0,1], x[1,0], x[1,1] and 5 reflect "
                                   "padding cells (copies of input cells)")


@pytest.mark.parametrize("spec", [
    ConvSpec(in_channels=3, out_channels=2, input_size=5),
    ConvSpec(mode="depthwise", in_channels=3, input_size=5, padding=1),
    ConvSpec(mode="grouped", in_channels=4, out_channels=4, groups=2, input_size=5),
    ConvSpec(mode="separable", in_channels=3, out_channels=4, input_size=5),
], ids=lambda s: s.mode)
def test_channel_targets_lie_on_channel_zero(spec):
    fig = ChannelsFigure(spec)
    found = fig.targets()
    stages = spec.stages()
    names = {t.name[0] for t in found}
    assert names == ({"x", "h", "y"} if len(stages) > 1 else {"x", "y"})
    frame = fig.frame(0)
    for target in found:
        layer, stage = ("input", 0) if target.name[0] == "x" else \
            ("output", 0 if target.name[0] == "h" else len(stages) - 1)
        row, col = map(int, re.findall(r"\d+", target.name))
        if layer == "input":
            top, _, left, _ = stages[0].pads
            row, col = row + top, col + left
        centre = fig.cell_centre(layer, 0, row, col, stage=stage)
        assert centre is not None and _inside(target.outline, *centre), target.name
        fill = int(frame[centre]) // LV % SHADE                 # the stacks' fill codes
        assert fill == (BLUE if layer == "input" else CYAN), target.name
    steps = fig.frame_steps()
    for target in found:
        if target.step is not None:
            stage, step = steps[target.step]
            assert step.out == tuple(map(int, re.findall(r"\d+", target.name)))
            assert stage == (0 if target.name[0] == "h" else len(stages) - 1)


def test_separable_inputs_feed_through_the_middle_map():
    found = _by_name(ChannelsFigure(ConvSpec(mode="separable", in_channels=2, out_channels=2,
                                             input_size=4)))
    assert found["x[0,0]"].line == "x[0,0] feeds h[0,0], and through it y[0,0]"
    assert found["h[0,0]"].line.startswith("h[0,0] reads x[0,0], x[0,1]")
    assert found["h[0,0]"].line.endswith("; it feeds y[0,0]")
    assert found["y[1,1]"].line == "y[1,1] reads h[1,1]"


@pytest.mark.parametrize("figure", [SlideFigure, ScatterFigure])
def test_numbers_targets_lie_on_their_panels(figure):
    fig = figure(TRANSPOSED, Numbers(seed=3))
    found = fig.targets()
    assert len(found) == 9 + 25
    rgb = fig.rgb(0)
    for target in found:
        (left, top), (right, _), (_, bottom), _ = target.outline
        corner = (int(top + 0.2 * (bottom - top)), int(left + 0.2 * (right - left)))
        colour = tuple(rgb[corner].tolist())
        if target.name[0] == "x":
            assert colour[2] > colour[0] + 60, (target.name, colour)   # blue, maybe shaded
        else:
            assert colour[1] > colour[0] + 60, (target.name, colour)   # cyan
    steps = {t.name: t.step for t in found}
    captions = fig.captions()
    if figure is SlideFigure:
        assert captions[steps["y[2,3]"]].target == "y[2,3]" and steps["x[1,1]"] is None
    else:
        assert captions[steps["x[1,1]"]].target == "x[1,1]"
        assert steps["y[4,4]"] == 8 and steps["y[0,0]"] == 0    # the last stamp it gets


def test_too_many_cells_to_point_at_give_no_targets():
    big = ConvSpec(input_size=60, kernel_size=3, stride=5)
    assert not fits((big,)) and 60 * 60 > MAX_TARGETS
    assert ClassicFigure(big).targets() == ()


def test_long_lists_say_which_rows_and_columns():
    assert listing("y", [(r, c) for r in range(5) for c in range(3, 8)]) == \
        "25 cells of y: rows 0–4, columns 3–7"
    box = ((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0))
    spec = ConvSpec(input_size=9, kernel_size=5, padding=2)
    (target,) = build((spec,), {"x[4,4]": box})
    assert target.line == "x[4,4] feeds 25 cells of y: rows 2–6, columns 2–6"
    assert len(target.links) == 25
