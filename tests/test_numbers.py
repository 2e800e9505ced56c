"""Numerical figures: the numbers drawn are the engine's, each step's arithmetic adds up, and
the scatter view of a transposed convolution accumulates to conv_transpose2d."""
import hashlib
import inspect
import io
from collections import Counter

import numpy as np
import pytest
from PIL import Image

from convviz import ConvSpec, ConvVizError, conv2d, conv_transpose2d, style
from convviz._numbers_paint import CURRENT, CellPainter, shade
from convviz.gallery import PRESETS
from convviz.geometry import INPUT, drawn_weight, grid_values, layout
from convviz.numbers import (
    MAX_CELLS,
    figure_layout,
    frame,
    frame_count,
    frames,
    numbers_figure,
    overlap_counts,
    scatter_equation,
    scatter_frames,
    scatter_sums,
    step_equation,
)
from convviz.style import MINUS
from convviz.values import format_number, random_values

SPECS = {   # one line per case; all single-channel
    "no_padding_no_strides": ConvSpec(input_size=4),
    "padding_strides": PRESETS["padding_strides"].spec,
    "same_4x3": ConvSpec(input_size=(5, 6), kernel_size=(4, 3), padding="same"),
    "reflect": ConvSpec(input_size=5, padding=2, padding_mode="reflect"),
    "circular": ConvSpec(input_size=5, padding=1, padding_mode="circular"),
    "replicate_strided": ConvSpec(input_size=6, padding=1, stride=2, padding_mode="replicate"),
    "dilation": PRESETS["dilation"].spec,
    "depthwise": ConvSpec(mode="depthwise", input_size=4, kernel_size=2),
    "n12": ConvSpec(input_size=12, padding=1),
    "transposed": PRESETS["padding_strides_transposed"].spec,
    "transposed_odd": PRESETS["padding_strides_odd_transposed"].spec,
    "transposed_cropping": ConvSpec(mode="transposed", input_size=4, kernel_size=3, stride=2,
                                    padding=3),                       # p_t < 0
    "transposed_dilated": ConvSpec(mode="transposed", input_size=3, kernel_size=2, stride=2,
                                   dilation=2, output_padding=1),
}


def _figure(spec, seed=0, low=-9, high=10):
    rng = np.random.default_rng(seed)
    x = rng.integers(low, high, size=spec.input_size)
    w = rng.integers(-3, 4, size=spec.kernel_size)
    return numbers_figure(spec, x, w)


def _engine(spec, x, w):
    if spec.transposed:
        return conv_transpose2d(x[None, None], w[None, None], None, spec.stride, spec.padding,
                                spec.output_padding, 1, spec.dilation)[0, 0]
    return conv2d(x[None, None], w[None, None], None, spec.stride, spec.padding, spec.dilation,
                  padding_mode=spec.padding_mode)[0, 0]


class _Recorder:
    """Records every number each panel is asked to draw: panel -> {(row, col): last text}."""

    def __init__(self, monkeypatch):
        self.drawn: dict = {}
        paste = CellPainter.paste

        def record(painter, canvas, row, col, fill, text="", sub=""):
            self.drawn.setdefault(painter.panel, {})[(row, col)] = (text, sub)
            return paste(painter, canvas, row, col, fill, text, sub)
        monkeypatch.setattr(CellPainter, "paste", record)


# ---- the numbers ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", SPECS)
def test_figure_holds_the_engines_numbers(name):
    spec = SPECS[name]
    fig = _figure(spec)
    assert (fig.output == _engine(spec, fig.x, fig.weight)).all()
    assert (fig.grid == grid_values(spec, fig.x[None])[0]).all()
    assert (fig.taps == drawn_weight(spec, fig.weight)).all()
    assert len(fig.steps) == len(layout(spec)) == fig.output.size
    with pytest.raises(ValueError):
        fig.output[0, 0] = 1                                   # read-only: drawn as computed


@pytest.mark.parametrize("name", SPECS)
def test_the_renderer_draws_the_engines_numbers(name, monkeypatch):
    spec = SPECS[name]
    fig = _figure(spec)
    recorder = _Recorder(monkeypatch)
    assert sum(1 for _ in frames(fig)) == frame_count(fig) == fig.output.size
    lay = figure_layout(fig)
    engine = _engine(spec, fig.x, fig.weight)
    out = recorder.drawn[lay.output]
    assert {cell: text for cell, (text, _) in out.items()} == \
        {cell: format_number(v) for cell, v in np.ndenumerate(engine)}
    assert {cell: text for cell, (text, _) in recorder.drawn[lay.input].items()} == \
        {cell: format_number(v) for cell, v in np.ndenumerate(fig.grid)}


def test_the_scatter_view_draws_the_engines_numbers(monkeypatch):
    spec = SPECS["transposed_odd"]
    fig = _figure(spec)
    recorder = _Recorder(monkeypatch)
    assert sum(1 for _ in scatter_frames(fig)) == fig.x.size
    lay = figure_layout(fig, view="scatter")
    engine = _engine(spec, fig.x, fig.weight)
    drawn = recorder.drawn[lay.output]
    assert {cell: drawn[cell][0] for cell in drawn if drawn[cell][0]} == \
        {cell: format_number(v) for cell, v in np.ndenumerate(engine)}
    counts = recorder.drawn[lay.overlaps]
    assert {cell: int(text) for cell, (text, _) in counts.items()} == \
        {cell: v for cell, v in np.ndenumerate(overlap_counts(spec))}


def _steps(spec):
    return range(frame_count(_figure(spec)))


@pytest.mark.parametrize("name", ["padding_strides", "reflect", "dilation", "transposed_odd",
                                  "transposed_cropping", "n12"])
def test_every_step_equation_adds_up_to_the_engines_value(name):
    spec = SPECS[name]
    fig = _figure(spec)
    engine = _engine(spec, fig.x, fig.weight)
    for index, step in enumerate(fig.steps):
        text = step_equation(fig, index)
        head, *terms, total = text.replace(" = ", " + ").split(" + ")
        assert head == f"y[{step.out[0]},{step.out[1]}]" and total == format_number(
            engine[step.out])
        products = [eval(t.replace(MINUS, "-").replace("·", "*")) for t in terms]
        assert sum(products) == engine[step.out] and len(products) == fig.taps.size


def test_long_sums_are_elided_honestly():
    spec = ConvSpec(input_size=6, kernel_size=5)
    fig = _figure(spec)
    text = step_equation(fig, 3)
    assert text.count("·") == 6 and " + … + " in text and text.endswith("(25 products)")
    assert f"= {format_number(fig.output[1, 1])}   (" in text


def test_step_equation_of_a_preset_example():
    fig = numbers_figure(ConvSpec(input_size=3, kernel_size=2), "1,2,3;4,5,6;7,8,9", "1,0;0,-1")
    assert [step_equation(fig, i) for i in (0, 3)] == [
        "y[0,0] = 1·1 + 2·0 + 4·0 + 5·(−1) = −4", "y[1,1] = 5·1 + 6·0 + 8·0 + 9·(−1) = −4"]


# ---- the scatter ------------------------------------------------------------------------------
def _random_transposed_specs(count, rng):
    specs = []
    while len(specs) < count:
        n, k = rng.integers(1, 6, size=2), rng.integers(1, 5, size=2)
        s, d = rng.integers(1, 4, size=2), rng.integers(1, 3, size=2)
        p = [rng.integers(0, di * (ki - 1) + 2) for ki, di in zip(k, d)]
        a = [rng.integers(0, max(si, di)) for si, di in zip(s, d)]
        try:
            spec = ConvSpec(mode="transposed", input_size=tuple(n), kernel_size=tuple(k),
                            stride=tuple(s), dilation=tuple(d), padding=tuple(p),
                            output_padding=tuple(a))
            if max(spec.output_size) <= MAX_CELLS:
                specs.append(spec)
        except ConvVizError:
            continue
    return specs


def test_scatter_accumulates_to_conv_transpose2d_for_random_specs():
    rng = np.random.default_rng(0)
    specs = _random_transposed_specs(60, rng)
    assert len({s.to_query() for s in specs}) >= 50
    for spec in specs:
        x = rng.integers(-9, 10, size=spec.input_size)
        w = rng.normal(size=spec.kernel_size) if rng.random() < 0.3 else \
            rng.integers(-3, 4, size=spec.kernel_size)
        states = list(scatter_sums(numbers_figure(spec, x, w)))
        assert len(states) == x.size
        assert [s.step.source for s in states] == [(r, c) for r in range(spec.input_size[0])
                                                   for c in range(spec.input_size[1])]
        np.testing.assert_allclose(states[-1].y, _engine(spec, x, w), err_msg=spec.to_query())
        ones = conv_transpose2d(np.ones((1, 1) + spec.input_size, dtype=np.int64),
                                np.ones((1, 1) + spec.kernel_size, dtype=np.int64),
                                None, spec.stride, spec.padding, spec.output_padding, 1,
                                spec.dilation)[0, 0]
        assert (states[-1].counts == ones).all() and (overlap_counts(spec) == ones).all()


def test_overlap_map_counts_contributions_by_brute_force():
    rng = np.random.default_rng(0)
    for spec in _random_transposed_specs(20, rng):
        (h, w), (kh, kw), (sh, sw) = spec.input_size, spec.kernel_size, spec.stride
        (ph, pw), (dh, dw), (oh, ow) = spec.padding, spec.dilation, spec.output_size
        counts = np.zeros((oh, ow), dtype=int)
        for i, j, u, v in np.ndindex(h, w, kh, kw):
            r, c = i * sh - ph + u * dh, j * sw - pw + v * dw
            if 0 <= r < oh and 0 <= c < ow:
                counts[r, c] += 1
        assert (overlap_counts(spec) == counts).all(), spec.to_query()


def test_checkerboard_only_when_k_is_not_a_multiple_of_s():
    uneven = overlap_counts(ConvSpec(mode="transposed", input_size=5, kernel_size=3, stride=2))
    even = overlap_counts(ConvSpec(mode="transposed", input_size=5, kernel_size=4, stride=2))
    assert uneven[2:-2, 2:-2].tolist()[:2] == [[4, 2, 4, 2, 4, 2, 4], [2, 1, 2, 1, 2, 1, 2]]
    assert (even[2:-2, 2:-2] == 4).all()


def test_scatter_view_of_n3_has_9_frames_and_says_what_each_stamps():
    spec = ConvSpec(mode="transposed", input_size=3, kernel_size=3, stride=2)
    fig = numbers_figure(spec, *random_values(spec))
    assert sum(1 for _ in frames(fig, view="scatter")) == frame_count(fig, view="scatter") == 9
    x01 = format_number(fig.x[0, 1])
    assert scatter_equation(fig, 1) == f"x[0,1] = {x01} stamps {x01}·w onto y[0:3, 2:5]"
    dilated = numbers_figure(SPECS["transposed_dilated"], "1,2,3;4,5,6;7,8,9", "1,2;3,-4")
    assert scatter_equation(dilated, 4) == "x[1,1] = 5 stamps 5·w onto y[2:5:2, 2:5:2]"


def test_scatter_needs_a_transposed_spec():
    fig = _figure(ConvSpec(input_size=4))
    for call in (lambda: scatter_frames(fig), lambda: scatter_equation(fig, 0),
                 lambda: frame_count(fig, view="scatter")):
        with pytest.raises(ConvVizError, match="^the scatter view is for transposed .*'conv'"):
            call()


# ---- the frames -------------------------------------------------------------------------------
def _dominant(image, box):
    left, top, right, bottom = box
    pixels = image[top:bottom, left:right].reshape(-1, 3)
    return Counter(map(tuple, pixels.tolist())).most_common(1)[0][0]


def _digest(stream):
    digest = hashlib.sha256()
    for f in stream:
        digest.update(f.tobytes())
    return digest.hexdigest()


@pytest.mark.parametrize("view", ["slide", "scatter"])
def test_frames_are_deterministic(view):
    spec = SPECS["transposed"]
    first = _digest(frames(_figure(spec), view=view))
    assert first == _digest(frames(_figure(spec), view=view))
    assert first != _digest(frames(_figure(spec, seed=1), view=view))


def test_frames_stream_and_check_before_the_first_frame():
    fig = _figure(SPECS["padding_strides"])
    assert inspect.isgenerator(frames(fig)) and inspect.isgenerator(scatter_frames(
        _figure(SPECS["transposed"])))
    with pytest.raises(ConvVizError, match="^view must be one of slide, scatter, got 'x'$"):
        frames(fig, view="x")
    with pytest.raises(ConvVizError, match=r"^cell_px must be an int in 24..128, got 8$"):
        frames(fig, cell_px=8)


@pytest.mark.parametrize("name, view", [("padding_strides", "slide"), ("transposed", "slide"),
                                        ("transposed_cropping", "scatter")])
def test_frames_decode_to_the_right_count(name, view):
    fig = _figure(SPECS[name])
    lay = figure_layout(fig, view=view)
    shot = list(frames(fig, view=view))
    assert all(f.shape == (lay.height, lay.width, 3) and f.dtype == np.uint8 for f in shot)
    buffer = io.BytesIO()
    first, *rest = (Image.fromarray(f) for f in shot)
    first.save(buffer, format="GIF", save_all=True, append_images=rest, duration=1000, loop=0)
    assert Image.open(buffer).n_frames == frame_count(fig, view=view) == len(shot)


@pytest.mark.parametrize("view", ["slide", "scatter"])
def test_a_single_frame_is_that_frame_of_the_animation(view):
    fig = _figure(SPECS["transposed"])
    shot = list(frames(fig, view=view))
    for index in (0, 3, len(shot) - 1):
        assert (frame(fig, index, view=view) == shot[index]).all()
    with pytest.raises(ConvVizError, match=rf"^index must be an int in 0..{len(shot) - 1}"):
        frame(fig, len(shot), view=view)


@pytest.mark.parametrize("name", ["padding_strides", "transposed", "n12"])
def test_current_output_cell_is_highlighted_and_later_ones_are_empty(name):
    fig = _figure(SPECS[name])
    lay = figure_layout(fig)
    for f, image in enumerate(frames(fig)):
        here = fig.steps[f].out
        left, top, _, _ = lay.output.box(*here)
        assert tuple(image[top + 1, left + 1]) == CURRENT
        assert _dominant(image, lay.output.box(*here)) == CURRENT
        if f:
            assert _dominant(image, lay.output.box(*fig.steps[f - 1].out)) == style.OUTPUT
        if f + 1 < len(fig.steps):
            later = lay.output.centre(*fig.steps[f + 1].out)
            assert tuple(image[later[1], later[0]]) == style.OUTPUT    # empty: nothing drawn
        for tap_row in fig.steps[f].rows:
            for tap_col in fig.steps[f].cols:
                fill = style.INPUT if fig.kind[tap_row, tap_col] == INPUT else style.WHITE
                assert _dominant(image, lay.input.box(tap_row, tap_col)) == shade(fill)


def test_scatter_frame_highlights_the_input_cell_and_its_stamp():
    fig = _figure(SPECS["transposed"])
    lay = figure_layout(fig, view="scatter")
    for state, image in zip(scatter_sums(fig), scatter_frames(fig)):
        assert _dominant(image, lay.input.box(*state.step.source)) == shade(style.INPUT)
        for r, c in state.step.out.tolist():
            assert _dominant(image, lay.output.box(r, c)) == CURRENT


def _ring_is_plain(image, box):
    """True when the outermost pixels of a cell's interior are all one colour (no text)."""
    left, top, right, bottom = box
    inner = image[top:bottom, left:right]
    ring = np.concatenate([inner[0], inner[-1], inner[:, 0], inner[:, -1]])
    return (ring == ring[0]).all()


@pytest.mark.parametrize("cell_px", [None, 40])
def test_wide_numbers_never_touch_their_cell_edges(cell_px):
    spec = ConvSpec(input_size=12, padding=1)
    fig = _figure(spec, low=-999, high=1000)
    lay = figure_layout(fig, cell_px=cell_px)
    last = frame(fig, frame_count(fig) - 1, cell_px=cell_px)
    for panel in (lay.input, lay.output):
        for r, c in np.ndindex(panel.rows, panel.cols):
            assert _ring_is_plain(last, panel.box(r, c)), (panel.caption, r, c)


def test_wide_numbers_get_bigger_cells_by_default():
    plain = figure_layout(_figure(SPECS["n12"], low=0, high=10))
    wide = figure_layout(_figure(SPECS["n12"], low=-999, high=1000))
    assert plain.input.cell_px == 40 < wide.input.cell_px


# ---- refusals ---------------------------------------------------------------------------------
@pytest.mark.parametrize("spec, message", [
    (ConvSpec(input_size=4, in_channels=3), r"^the numbers style shows one channel: "
                                            r"in_channels and out_channels must be 1, got 3 and 1"),
    (ConvSpec(mode="separable", input_size=4), r"^mode 'separable' is two convolutions"),
    (ConvSpec(input_size=17, kernel_size=1), r"^the numbers style draws at most 16 cells per "
                                             r"side, got a 17 x 17 input"),
    (ConvSpec(mode="transposed", input_size=9, stride=2), r"at most 16 .*got a 19 x 19 output"),
])
def test_refuses_what_it_cannot_show_legibly(spec, message):
    x, w = random_values(spec)
    with pytest.raises(ConvVizError, match=message):
        numbers_figure(spec, x, w)


def test_the_slide_view_refuses_a_big_drawn_grid_the_scatter_view_does_not_draw():
    fig = _figure(ConvSpec(mode="transposed", input_size=6, kernel_size=5, stride=2))
    with pytest.raises(ConvVizError, match=r"at most 16 cells per side, got a 19 x 19 drawn"):
        frames(fig)
    assert figure_layout(fig, view="scatter").output.rows == 15


def test_step_index_is_checked():
    fig = _figure(SPECS["padding_strides"])
    for bad in (-1, 9, 1.0, True):
        with pytest.raises(ConvVizError, match=r"^step_index must be an int in 0..8, got"):
            step_equation(fig, bad)
