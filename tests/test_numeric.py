"""Numerical figures: the numbers drawn are the engine's, each step's arithmetic adds up, and
the scatter view of a transposed convolution accumulates to conv_transpose2d."""
import hashlib
import inspect
from collections import Counter

import numpy as np
import pytest
from PIL import Image

from convviz import ConvSpec, ConvVizError, Numbers, conv2d, conv_transpose2d
from convviz.export import encode
from convviz.figures import ScatterFigure, SlideFigure, figure_class, style
from convviz.figures.arithmetic import (
    overlap_counts,
    scatter_equation,
    scatter_sums,
    slide,
    step_equation,
)
from convviz.figures.cells import signed
from convviz.figures.palettes import CURRENT, counted, shade
from convviz.figures.sizing import MAX_NUMBER_CELLS
from convviz.gallery import PRESETS
from convviz.geometry import INPUT, drawn_weight, grid_values, layout
from convviz.sample import exact_dtype
from convviz.text import MINUS, format_number

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


def table(array):
    return tuple(map(tuple, np.asarray(array).tolist()))


def _numbers(spec, seed=0, low=-9, high=10):
    """Random integers in ``low..high`` as the input, small ones as the kernel."""
    rng = np.random.default_rng(seed)
    x = rng.integers(low, high, size=spec.input_size)
    w = rng.integers(-3, 4, size=spec.kernel_size)
    return Numbers(kernel=table(w), input=table(x))


def _data(spec, **kw):
    return slide(spec, _numbers(spec, **kw))


def _slide(spec, cell_px=None, **kw):
    return SlideFigure(spec, _numbers(spec, **kw), cell_px=cell_px)


def _scatter(spec, **kw):
    return ScatterFigure(spec, _numbers(spec, **kw))


def _engine(spec, x, w):
    x, w = exact_dtype(x, w)                       # the engine takes one dtype, as torch does
    if spec.transposed:
        return conv_transpose2d(x[None, None], w[None, None], None, spec.stride, spec.padding,
                                spec.output_padding, 1, spec.dilation)[0, 0]
    return conv2d(x[None, None], w[None, None], None, spec.stride, spec.padding, spec.dilation,
                  padding_mode=spec.padding_mode)[0, 0]


def _cell(frame, panel, r, c):
    left, top, right, bottom = panel.box(r, c)
    return frame[top:bottom, left:right]


# ---- the numbers ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", SPECS)
def test_figure_holds_the_engines_numbers(name):
    spec = SPECS[name]
    fig = _data(spec)
    assert (fig.output == _engine(spec, fig.x, fig.weight)).all()
    assert (fig.grid == grid_values(spec, fig.x[None])[0]).all()
    assert (fig.taps == drawn_weight(spec, fig.weight)).all()
    assert len(fig.steps) == len(layout(spec)) == fig.output.size
    with pytest.raises(ValueError):
        fig.output[0, 0] = 1                                   # read-only: drawn as computed


@pytest.mark.parametrize("name", SPECS)
def test_the_renderer_draws_the_engines_numbers(name):
    """In the last frame every output cell shows the engine's value, and every input cell
    the kernel does not cover shows its value: cell by cell, pixel for pixel."""
    spec = SPECS[name]
    fig = _slide(spec)
    shot = list(fig.frames())
    assert len(shot) == fig.frame_count == fig.data.output.size
    data, last, lay = fig.data, shot[-1], fig.layout
    engine = _engine(spec, data.x, data.weight)
    for (r, c), value in np.ndenumerate(engine):
        fill = CURRENT if (r, c) == data.steps[-1].out else style.OUTPUT
        expected = fig.painters["output"].patch(fill, format_number(value))
        assert (_cell(last, lay.output, r, c) == expected).all(), (r, c)
    under = {(int(r), int(c)) for r in data.steps[-1].rows for c in data.steps[-1].cols}
    for (r, c), value in np.ndenumerate(data.grid):
        if (r, c) not in under:
            fill = style.INPUT if data.kind[r, c] == INPUT else style.WHITE
            expected = fig.painters["input"].patch(fill, format_number(value))
            assert (_cell(last, lay.input, r, c) == expected).all(), (r, c)


def test_the_scatter_view_draws_the_engines_numbers():
    spec = SPECS["transposed_odd"]
    fig = _scatter(spec)
    shot = list(fig.frames())
    assert len(shot) == fig.data.x.size
    data, last, lay = fig.data, shot[-1], fig.layout
    engine = _engine(spec, data.x, data.weight)
    final = list(scatter_sums(data))[-1]
    stamped = {tuple(cell): add for cell, add in zip(final.step.out.tolist(),
                                                      final.added.tolist())}
    counts, peak = overlap_counts(spec), int(overlap_counts(spec).max())
    assert (final.y == engine).all() and (final.counts == counts).all()
    for (r, c), value in np.ndenumerate(engine):
        if (r, c) in stamped:
            out = fig.painters["output"].patch(CURRENT, format_number(value),
                                               signed(stamped[r, c]))
            overlap = shade(counted(counts[r, c], peak))
        else:
            out = fig.painters["output"].patch(style.OUTPUT, format_number(value))
            overlap = counted(counts[r, c], peak)
        assert (_cell(last, lay.output, r, c) == out).all(), (r, c)
        expected = fig.painters["overlaps"].patch(overlap, str(counts[r, c]))
        assert (_cell(last, lay.overlaps, r, c) == expected).all(), (r, c)


@pytest.mark.parametrize("name", ["padding_strides", "reflect", "dilation", "transposed_odd",
                                  "transposed_cropping", "n12"])
def test_every_step_equation_adds_up_to_the_engines_value(name):
    spec = SPECS[name]
    fig = _data(spec)
    engine = _engine(spec, fig.x, fig.weight)
    for index, step in enumerate(fig.steps):
        text = str(step_equation(fig, index))
        head, *terms, total = text.replace(" = ", " + ").split(" + ")
        assert head == f"y[{step.out[0]},{step.out[1]}]" and total == format_number(
            engine[step.out])
        products = [eval(t.replace(MINUS, "-").replace("·", "*")) for t in terms]
        assert sum(products) == engine[step.out] and len(products) == fig.taps.size


def test_long_sums_are_elided_honestly():
    spec = ConvSpec(input_size=6, kernel_size=5)
    fig = _data(spec)
    text = str(step_equation(fig, 3))
    assert text.count("·") == 6 and " + … + " in text and text.endswith("(25 products)")
    assert f"= {format_number(fig.output[1, 1])}   (" in text


def test_step_equation_of_a_preset_example():
    fig = slide(ConvSpec(input_size=3, kernel_size=2),
                Numbers(input="1,2,3;4,5,6;7,8,9", kernel="1,0;0,-1"))
    assert [str(step_equation(fig, i)) for i in (0, 3)] == [
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
            if max(spec.output_size) <= MAX_NUMBER_CELLS:
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
        states = list(scatter_sums(slide(spec, Numbers(kernel=table(w), input=table(x)))))
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
    fig = ScatterFigure(spec)
    assert sum(1 for _ in fig.frames()) == fig.frame_count == 9
    x01 = format_number(fig.data.x[0, 1])
    assert str(fig.captions()[1]) == f"x[0,1] = {x01} stamps {x01}·w onto y[0:3, 2:5]"
    dilated = slide(SPECS["transposed_dilated"], Numbers(input="1,2,3;4,5,6;7,8,9",
                                                         kernel="1,2;3,-4"))
    assert str(scatter_equation(dilated, 4)) == "x[1,1] = 5 stamps 5·w onto y[2:5:2, 2:5:2]"


def test_scatter_needs_a_transposed_spec():
    for call in (lambda: ScatterFigure(ConvSpec(input_size=4)),
                 lambda: ScatterFigure.check(ConvSpec(input_size=4))):
        with pytest.raises(ConvVizError, match="^the scatter view is for transposed .*'conv'"):
            call()


# ---- the frames -------------------------------------------------------------------------------
def _dominant(image, box):
    left, top, right, bottom = box
    pixels = image[top:bottom, left:right].reshape(-1, 3)                  # RGB
    return Counter(map(tuple, pixels.tolist())).most_common(1)[0][0]


def _digest(stream):
    digest = hashlib.sha256()
    for f in stream:
        digest.update(f.tobytes())
    return digest.hexdigest()


KINDS = {"slide": _slide, "scatter": _scatter}


@pytest.mark.parametrize("view", ["slide", "scatter"])
def test_frames_are_deterministic(view):
    spec = SPECS["transposed"]
    first = _digest(KINDS[view](spec).frames())
    assert first == _digest(KINDS[view](spec).frames())
    assert first != _digest(KINDS[view](spec, seed=1).frames())


def test_frames_stream_and_check_before_the_first_frame():
    assert inspect.isgenerator(_slide(SPECS["padding_strides"]).frames())
    assert inspect.isgenerator(_scatter(SPECS["transposed"]).frames())
    with pytest.raises(ConvVizError, match="^view must be one of slide, scatter, got 'x'$"):
        figure_class(SPECS["padding_strides"], "numbers", "x")
    with pytest.raises(ConvVizError, match=r"^cell_px must be an int in 24..128, got 8$"):
        _slide(SPECS["padding_strides"], cell_px=8)


@pytest.mark.parametrize("name, view", [("padding_strides", "slide"), ("transposed", "slide"),
                                        ("transposed_cropping", "scatter")])
def test_frames_decode_to_the_right_count(name, view, tmp_path):
    fig = KINDS[view](SPECS[name])
    lay = fig.layout
    shot = list(fig.frames())
    assert all(f.shape == (lay.height, lay.width) and f.dtype == np.uint8 for f in shot)
    assert max(int(f.max()) for f in shot) < len(fig.palette) <= 256
    path = tmp_path / "f.gif"
    path.write_bytes(encode(shot, "gif", palette=fig.palette))
    with Image.open(path) as image:
        assert image.n_frames == fig.frame_count == len(shot)
        image.seek(len(shot) - 1)
        assert (np.asarray(image.convert("RGB")) == fig.palette[shot[-1]]).all()


@pytest.mark.parametrize("view", ["slide", "scatter"])
def test_a_single_frame_is_that_frame_of_the_animation(view):
    fig = KINDS[view](SPECS["transposed"])
    shot = list(fig.frames())
    for index in (0, 3, len(shot) - 1):
        assert (fig.frame(index) == shot[index]).all()
    with pytest.raises(ConvVizError, match=rf"^frame must be an int in 0..{len(shot) - 1}"):
        fig.frame(len(shot))


@pytest.mark.parametrize("name", ["padding_strides", "transposed", "n12"])
def test_current_output_cell_is_highlighted_and_later_ones_are_empty(name):
    drawn = _slide(SPECS[name])
    fig, lay = drawn.data, drawn.layout
    for f, image in enumerate(drawn.palette[i] for i in drawn.frames()):
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
    drawn = _scatter(SPECS["transposed"])
    fig, lay = drawn.data, drawn.layout
    for state, image in zip(scatter_sums(fig), (drawn.palette[i] for i in drawn.frames())):
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
    fig = _slide(spec, cell_px=cell_px, low=-999, high=1000)
    lay = fig.layout
    last = fig.frame(fig.frame_count - 1)
    for panel in (lay.input, lay.output):
        for r, c in np.ndindex(panel.rows, panel.cols):
            assert _ring_is_plain(last, panel.box(r, c)), (panel.caption, r, c)


def test_wide_numbers_get_bigger_cells_by_default():
    plain = _slide(SPECS["n12"], low=0, high=10).layout
    wide = _slide(SPECS["n12"], low=-999, high=1000).layout
    assert plain.input.cell_px == 40 < wide.input.cell_px


# ---- refusals ---------------------------------------------------------------------------------
@pytest.mark.parametrize("spec, message", [
    (ConvSpec(input_size=4, in_channels=3), r"^the numbers style shows one channel: "
                                            r"in_channels and out_channels must be 1, got 3 and 1"),
    (ConvSpec(mode="separable", input_size=4), r"^mode 'separable' is 2 convolutions"),
    (ConvSpec(input_size=17, kernel_size=1), r"^the numbers style draws at most 16 cells per "
                                             r"side, got a 17 x 17 input"),
    (ConvSpec(mode="transposed", input_size=9, stride=2), r"at most 16 .*got a 19 x 19 output"),
])
def test_refuses_what_it_cannot_show_legibly(spec, message):
    with pytest.raises(ConvVizError, match=message):
        SlideFigure(spec)


def test_the_slide_view_refuses_a_big_drawn_grid_the_scatter_view_does_not_draw():
    spec = ConvSpec(mode="transposed", input_size=6, kernel_size=5, stride=2)
    with pytest.raises(ConvVizError, match=r"at most 16 cells per side, got a 19 x 19 drawn"):
        SlideFigure(spec)
    assert ScatterFigure(spec).layout.output.rows == 15


def test_frame_index_is_checked():
    fig = _slide(SPECS["padding_strides"])
    for bad in (-1, 9, 1.0, True):
        with pytest.raises(ConvVizError, match=r"^frame must be an int in 0..8, got"):
            fig.frame(bad)


@pytest.mark.parametrize("name", ["padding_strides", "n12", "transposed"])
def test_kernel_weights_stay_at_least_60_percent_of_the_values(name):
    """The small numbers (the kernel's weights) stay readable beside the values."""
    painter = _slide(SPECS[name], low=-99, high=100).painters["input"]
    assert painter.sub_font.size >= 0.6 * painter.value_font.size
