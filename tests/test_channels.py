"""The multi-channel figure: the right channels and cells shaded at every step, stacks that
show each channel, deterministic frames; and the engine facts the figures draw."""
import hashlib
import subprocess
import sys
from functools import lru_cache

import numpy as np
import pytest

from convviz import ConvSpec, ConvVizError
from convviz.figures import ChannelsFigure, layout_of, sizing
from convviz.figures.stacks import BLUE, CYAN, PALETTE, SHADE, VIOLET, WHITE
from convviz.gallery import PRESETS
from convviz.geometry import INPUT, grid
from convviz.ops.engine import conv2d


@lru_cache(maxsize=32)
def figure(spec: ConvSpec) -> ChannelsFigure:
    return ChannelsFigure(spec)

MULTI = ["conv2d_3d", "depthwise", "grouped", "pointwise", "separable"]
SPECS = {
    **{name: PRESETS[name].spec for name in MULTI},
    "standard_8": ConvSpec(input_size=5, kernel_size=3, in_channels=8, out_channels=8),
    "depthwise_8": ConvSpec(mode="depthwise", input_size=5, kernel_size=3, in_channels=8),
    "grouped_8": ConvSpec(mode="grouped", input_size=5, in_channels=8, out_channels=8,
                          groups=4),
    "separable_8": ConvSpec(mode="separable", input_size=5, in_channels=8, out_channels=8),
    "padded_strided": ConvSpec(input_size=5, kernel_size=3, stride=2, padding=1,
                               in_channels=3, out_channels=2),
    "dilated_depthwise": ConvSpec(mode="depthwise", input_size=6, kernel_size=2, dilation=2,
                                  padding=1, in_channels=2),
    "transposed": ConvSpec(mode="transposed", input_size=3, stride=2, padding=1,
                           in_channels=2, out_channels=2),
    "non_square": ConvSpec(input_size=(4, 7), kernel_size=(2, 3), in_channels=2,
                           out_channels=3),
    "depthwise_multiplier": ConvSpec(mode="depthwise", input_size=5, in_channels=3,
                                     out_channels=6),
}


def expected_fills(spec, stage, layer):
    """(C, rows, cols) unshaded fill of every cell of one layer's maps."""
    conv = spec.stages()[stage]
    if layer == "output":
        return np.full((conv.out_channels, *conv.output_size), CYAN)
    colours = np.array([BLUE if c % 2 == 0 else VIOLET for c in range(conv.in_channels)])
    if stage > 0:                                    # separable: the depthwise outputs
        colours[:] = CYAN
    data = grid(conv).kind == INPUT
    return np.where(data[None], colours[:, None, None], WHITE)


def visible_cells(spec, stage, layer):
    """[(channel, row, col, (y, x))] of every cell the figure shows."""
    fills = expected_fills(spec, stage, layer)
    cells = []
    for c, r, col in np.ndindex(fills.shape):
        at = figure(spec).cell_centre(layer, c, r, col, stage=stage)
        if at is not None:
            cells.append((c, r, col, at))
    return fills, cells


@pytest.mark.parametrize("name", sorted(SPECS))
def test_each_step_shades_exactly_its_kernel_cells_and_output_cells(name):
    """Sample every visible cell of every map in every frame: a cell is kernel-shaded iff
    the frame's step reads it (input) or computes it (output), in its own stage only."""
    spec = SPECS[name]
    palette, indices = figure(spec).palette, figure(spec).frames()
    assert np.array_equal(palette, PALETTE.colours) and len(palette) <= 256
    layers = [(s, layer, *visible_cells(spec, s, layer)) for s in range(len(spec.stages()))
              for layer in ("input", "output")]
    steps = figure(spec).frame_steps()
    count = 0
    for (stage, step), index_frame in zip(steps, indices, strict=True):
        for s, layer, fills, cells in layers:
            active = np.zeros(fills.shape[1:], bool)
            if s == stage and layer == "input":
                active[np.ix_(step.rows, step.cols)] = True
            elif s == stage:
                active[step.out] = True
            for c, r, col, (y, x) in cells:
                fill = PALETTE.fill_of[index_frame[y, x]]
                assert fill == fills[c, r, col] + SHADE * active[r, col], \
                    (name, step.index, stage, layer, c, r, col)
        count += 1
    assert count == figure(spec).frame_count == len(steps)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_channel_shows_and_each_stack_top_shows_all_its_data(name):
    """Lower channels show at the front edges; the data cells of each group's top channel
    all show (the channels below may cover some of its white padding cells)."""
    spec = SPECS[name]
    for s, conv in enumerate(spec.stages()):
        for layer, total in (("input", conv.in_channels), ("output", conv.out_channels)):
            fills, cells = visible_cells(spec, s, layer)
            assert {c for c, *_ in cells} == set(range(total)), (layer, s)
            for top in range(0, total, total // conv.groups):     # each group's top sheet
                shown = {(r, col) for c, r, col, _ in cells if c == top}
                data = set(zip(*np.nonzero(fills[top] != WHITE)))
                assert data <= shown, (layer, s, top)


def test_the_kernel_box_shows_on_lower_channels_at_the_front_edge():
    spec = PRESETS["conv2d_3d"].spec
    *_, last = figure(spec).frames()                                # kernel at bottom right
    for channel, colour in ((1, VIOLET), (2, BLUE)):                # under the top sheet
        y, x = figure(spec).cell_centre("input", channel, 4, 4)
        assert PALETTE.fill_of[last[y, x]] == colour + SHADE
    assert figure(spec).cell_centre("input", 1, 0, 2) is None      # hidden at the back


HASHES = """
import hashlib
from convviz.figures import ChannelsFigure
from convviz.gallery import PRESETS
for f in ChannelsFigure(PRESETS["separable"].spec).frames():
    print(hashlib.sha256(f.tobytes()).hexdigest())
"""


def test_frames_are_deterministic_and_match_frame():
    spec = PRESETS["separable"].spec
    first = [hashlib.sha256(f.tobytes()).hexdigest() for f in figure(spec).frames()]
    again = subprocess.run([sys.executable, "-c", HASHES], capture_output=True, text=True,
                           check=True).stdout.split()            # drawn afresh elsewhere
    assert first == again and len(set(first)) == len(first)
    still = figure(spec).frame(11)
    assert still.dtype == np.uint8 and still.ndim == 2
    assert hashlib.sha256(still.tobytes()).hexdigest() == first[11]


@pytest.mark.parametrize("name", sorted(SPECS))
def test_figures_fit_the_size_cap_and_stream(name):
    spec = SPECS[name]
    shapes = {f.shape for f in figure(spec).frames()}
    (h, w), = shapes
    assert max(h, w) <= sizing.MAX_SIDE_PX


def test_depthwise_wraps_into_rows_when_one_row_would_shrink_the_cells():
    three = figure(SPECS["depthwise"]).size
    eight = figure(SPECS["depthwise_8"]).size
    assert three[1] > 2 * three[0]                                 # one row of three
    assert eight[0] > 1.3 * three[0]                               # two rows of four


def test_only_multichannel_specs_are_multichannel():
    for preset in PRESETS.values():
        spec = preset.spec
        multi = spec.operation.channels or spec.in_channels > 1 or spec.out_channels > 1
        assert (layout_of(spec) == "channels") == (multi and spec.dims == 2), preset.name


@pytest.mark.parametrize("call, message", [
    (lambda: figure(SPECS["grouped"]).frame(9), "frame must be an int in 0..8, got 9"),
    (lambda: ChannelsFigure(SPECS["grouped"], max_frames=8), "max_frames=8"),
    (lambda: ChannelsFigure(ConvSpec(in_channels=17)), "in_channels must be <= 16"),
    (lambda: ChannelsFigure(SPECS["grouped"], unit_px=2), "unit_px must be >= 4, got 2"),
    (lambda: ChannelsFigure(ConvSpec(mode="depthwise", input_size=28, in_channels=8)),
     r"leaves \d\.\d px cells in \d+ px \(>= 4 needed\)"),
    (lambda: figure(SPECS["grouped"]).cell_centre("kernel", 0, 0, 0), "layer must be"),
    (lambda: figure(SPECS["grouped"]).cell_centre("output", 4, 0, 0),
     "channel must be in 0..3, got 4"),
    (lambda: figure(SPECS["grouped"]).cell_centre("input", 0, 5, 0), "row must be in 0..4"),
    (lambda: figure(SPECS["grouped"]).cell_centre("input", 0, 0, 0, stage=1),
     "stage must be in 0..0, got 1"),
])
def test_bad_requests_raise_one_line_errors(call, message):
    with pytest.raises(ConvVizError, match=message) as info:
        call()
    assert "\n" not in str(info.value)


# ---- the engine facts the figures draw ---------------------------------------------------
@pytest.mark.parametrize("c_in, c_out, groups, stride, padding", [
    (4, 4, 2, 1, 0), (6, 9, 3, 2, 1), (8, 8, 8, 1, 1), (4, 8, 4, 1, 0), (2, 6, 2, 2, 2)])
def test_grouped_conv_is_the_per_group_convs_concatenated(c_in, c_out, groups, stride,
                                                          padding):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, c_in, 7, 6))
    w = rng.standard_normal((c_out, c_in // groups, 3, 3))
    b = rng.standard_normal(c_out)
    out = conv2d(x, w, b, stride, padding, 1, groups)
    ci, co = c_in // groups, c_out // groups
    parts = [conv2d(x[:, g * ci:(g + 1) * ci], w[g * co:(g + 1) * co], b[g * co:(g + 1) * co],
                    stride, padding) for g in range(groups)]
    np.testing.assert_allclose(out, np.concatenate(parts, axis=1), rtol=1e-12, atol=1e-12)


def test_separable_is_depthwise_then_pointwise():
    spec = PRESETS["separable"].spec
    first, second = spec.stages()
    rng = np.random.default_rng(0)
    x = rng.standard_normal(spec.input_shape)
    w1, w2 = (rng.standard_normal(s.weight_shape) for s in (first, second))
    hidden = conv2d(x, w1, groups=first.groups)
    out = conv2d(hidden, w2)
    assert hidden.shape == first.output_shape and out.shape == spec.output_shape
    per_channel = np.concatenate([conv2d(x[:, c:c + 1], w1[c:c + 1]) for c in range(3)], 1)
    np.testing.assert_allclose(hidden, per_channel, rtol=1e-12, atol=1e-12)
    mixed = np.einsum("oc,nchw->nohw", w2[:, :, 0, 0], hidden)   # 1 x 1: mix channels
    np.testing.assert_allclose(out, mixed, rtol=1e-12, atol=1e-12)
