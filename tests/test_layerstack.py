"""convviz.figures.layerstack, stack_layout, stack_targets and stack_vector: the stack figure's
frames light exactly the cells each chosen output cell depends on, its cells to point at lie on
the cells the frames paint, it zooms where whole maps are too large, and it refuses before it
draws."""
from __future__ import annotations

import hashlib

import numpy as np
import pytest

from convviz import ConvVizError
from convviz.figures.layerstack import StackFigure
from convviz.figures.stack_frames import PALETTE, SHADE
from convviz.figures.stack_layout import MAX_LEVELS, plan
from convviz.figures.style import INPUT, OUTPUT, WHITE
from convviz.figures.vector import figure_bytes
from convviz.ops.stack_text import PRESETS, parse_stack

SMALL = parse_stack("conv k3 p1; maxpool k2", input_size=8)
BLUE, CYAN = np.array(INPUT), np.array(OUTPUT)
SHADED = {name: np.array(PALETTE.fills[SHADE + i]) for i, name in enumerate(("white", "blue",
                                                                            "cyan"))}


def centre(fig: StackFigure, level: int, row: int, col: int) -> tuple[int, int]:
    """Pixel (y, x) at the centre of map ``level``'s cell (row, col) (map coordinates)."""
    found = fig.plan.levels[level]
    gh = found.shape[0]
    x, y = fig.plan.point(level, col + found.before[1] + 0.5, gh - (row + found.before[0]) - 0.5)
    return int(y), int(x)


def colour(fig: StackFigure, frame: np.ndarray, level: int, row: int, col: int) -> tuple:
    """The fill at the cell's centre (whatever line or connector crosses it)."""
    return tuple(PALETTE.fills[PALETTE.fill_of[frame[centre(fig, level, row, col)]]])


def test_frames_are_palette_indices_one_per_chosen_cell():
    fig = StackFigure(SMALL, ((1, 1), (0, 0), (3, 3)))
    assert fig.frame_count == 3 and len(fig.captions()) == 3
    assert fig.palette.shape[0] <= 256 and fig.palette.dtype == np.uint8
    for frame in fig.frames():
        assert frame.dtype == np.uint8 and frame.shape == fig.size
        assert frame.max() < len(fig.palette)


def test_frames_are_byte_identical_for_the_same_stack():
    def digest():
        fig = StackFigure(PRESETS["issue_example"].stack(), ((3, 3), (3, 4)))
        return [hashlib.sha256(f.tobytes()).hexdigest() for f in fig.frames()]
    assert digest() == digest()


def test_the_field_is_lit_on_every_map_and_nothing_else():
    fig = StackFigure(SMALL, ((1, 1),))
    frame = fig.frame(0)
    field = fig.regions[0]
    for level, (size, rows, cols) in enumerate(zip(((8, 8), (8, 8), (4, 4)), field.rows,
                                                   field.cols)):
        plain, lit = (BLUE, SHADED["blue"]) if level == 0 else (CYAN, SHADED["cyan"])
        for r in range(size[0]):
            for c in range(size[1]):
                expected = lit if r in rows and c in cols else plain
                assert colour(fig, frame, level, r, c) == tuple(expected), (level, r, c)
    assert field.rows[0].tolist() == [1, 2, 3, 4] and field.rows[1].tolist() == [2, 3]


def test_padding_the_field_reads_is_shaded_white():
    fig = StackFigure(SMALL, ((0, 0),))
    frame = fig.frame(0)
    assert colour(fig, frame, 0, -1, -1) == tuple(SHADED["white"])      # read by h1[0,0]
    assert colour(fig, frame, 0, -1, 3) == tuple(WHITE)                 # not read


def test_holes_stay_bare():
    stack = PRESETS["gridding"].stack()
    fig = StackFigure(stack, ((8, 8),))
    frame = fig.frame(0)
    assert colour(fig, frame, 0, 8, 8) == tuple(SHADED["blue"])
    assert colour(fig, frame, 0, 9, 8) == tuple(BLUE) == colour(fig, frame, 0, 7, 7)


def test_targets_lie_on_the_cells_the_frames_paint():
    fig = StackFigure(SMALL, ((1, 1), (1, 2)))
    targets = {t.name: t for t in fig.targets()}
    assert len(targets) == 64 + 64 + 16
    frame = fig.frame(0)
    for name, target in targets.items():
        x, y = np.mean(target.outline, axis=0)
        painted = np.array(PALETTE.fills[PALETTE.fill_of[frame[int(y), int(x)]]])
        level = {"x": 0, "h": 1, "y": 2}[name[0]]
        row, col = map(int, name[name.index("[") + 1:-1].split(","))
        assert tuple(painted.tolist()) == colour(fig, frame, level, row, col), name
    assert targets["y[1,1]"].step == 0 and targets["y[1,2]"].step == 1
    assert targets["y[0,0]"].step is None
    assert set(targets["y[1,1]"].links) == {f"h1[{r},{c}]" for r in (2, 3) for c in (2, 3)} | \
        {f"x[{r},{c}]" for r in range(1, 5) for c in range(1, 5)}
    assert targets["x[0,0]"].line == "x[0,0] feeds h1[0,0], h1[0,1], h1[1,0], h1[1,1]; y[0,0]"


def test_a_cell_that_reads_only_padding_says_so():
    stack = parse_stack("conv k1 p1; conv k1", input_size=2)
    fig = StackFigure(stack, ((0, 0),))
    assert str(fig.captions()[0]) == "y[0,0] reads only padding: it depends on no input cell"
    targets = {t.name: t for t in fig.targets()}
    assert targets["h1[0,0]"].line == ("h1[0,0] reads only padding: it depends on no cell; it "
                                       "feeds y[0,0]")
    assert targets["y[0,0]"].line == "y[0,0] depends on h1[0,0]; no cell of x"
    fig.frame(0)                                               # draws without a field below


def test_large_maps_zoom_on_the_fields_unless_told_to_stay_to_scale():
    stack = PRESETS["resnet_stem"].stack()
    zoomed = StackFigure(stack, ((27, 27), (27, 28)))
    assert zoomed.plan.lines and zoomed.plan.unit_px >= 6
    assert [level.shape for level in zoomed.plan.levels][2] == (5, 6)       # rows 25–29
    assert zoomed.plan.levels[0].label[-1] == "shows rows 101–115, columns 101–119"
    assert zoomed.plan.levels[0].cut == (True, True, True, True)
    whole = StackFigure(stack, ((27, 27),), zoom=False)
    assert not whole.plan.lines and whole.plan.levels[0].shape == (230, 230)
    assert whole.targets() == ()                               # cells too small to point at
    frame = zoomed.frame(0)
    assert colour(zoomed, frame, 0, 107, 107) == tuple(SHADED["blue"])
    assert colour(zoomed, frame, 0, 102, 102) == tuple(BLUE)


def test_small_maps_stay_whole_and_to_scale():
    found = plan(SMALL)
    assert [level.shape for level in found.levels] == [(10, 10), (8, 8), (4, 4)]
    assert found.unit_px == pytest.approx(29.53) and found.lines
    assert StackFigure(SMALL, ((0, 0),), zoom=True).plan.levels[2].shape == (3, 3)


def test_refusals_come_before_anything_is_drawn():
    with pytest.raises(ConvVizError, match=f"at most {MAX_LEVELS} convolution or pooling"):
        StackFigure.check(parse_stack("; ".join(["conv k1"] * (MAX_LEVELS + 1))))
    with pytest.raises(ConvVizError, match=r"leave 0\.\d+ px a cell .* use a smaller input"):
        StackFigure.check(parse_stack("conv k3", input_size=1500), zoom=False)
    with pytest.raises(ConvVizError, match=r"cell row must be an int in 0..3, got 4"):
        StackFigure.check(SMALL, ((4, 0),))
    with pytest.raises(ConvVizError, match="more than max_frames=1"):
        StackFigure.check(SMALL, ((0, 0), (0, 1)), max_frames=1)
    with pytest.raises(ConvVizError, match="at least one output cell"):
        StackFigure.check(SMALL, ())
    StackFigure.check(parse_stack("conv k3", input_size=1500))       # zoomed, it fits


def test_the_legend_names_every_colour():
    labels = [swatch.label for swatch in StackFigure(SMALL, ((0, 0),)).legend()]
    assert labels[:3] == ["input", "maps the layers make", "padding"]


@pytest.mark.parametrize("fmt, head", [("svg", b"<?xml"), ("pdf", b"%PDF")])
def test_vector_stills_draw_the_same_frame_as_shapes(fmt, head):
    fig = StackFigure(PRESETS["gridding"].stack(), ((0, 0),))
    data = figure_bytes(fig.vector_figure(0), fmt)
    assert data.startswith(head) and data == figure_bytes(fig.vector_figure(0), fmt)
    if fmt == "svg":
        text = data.decode()
        assert "#1a6998" in text and "#268bd2" in text and "#9cafb3" in text   # lit, input, pad
        assert "stroke-dasharray" in text                                    # padding ring
