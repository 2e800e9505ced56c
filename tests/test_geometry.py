"""Drawn grids and steps: the sliding-window view gives the engine's numbers, both views of a
transposed convolution agree."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from convviz import ConvSpec, ConvVizError, conv2d, conv_transpose2d
from convviz.gallery import PRESETS
from convviz.geometry import (
    INPUT,
    PADDING,
    ZERO,
    drawn_weight,
    grid,
    grid_values,
    layout,
    scatter,
    step_products,
)


def test_padded_grid_of_padding_strides():
    g = grid(PRESETS["padding_strides"].spec)
    assert g.shape == (7, 7) and g.stride == (2, 2) and not g.flipped
    assert (g.kind[1:6, 1:6] == INPUT).all() and (g.kind[0] == PADDING).all()
    assert tuple(g.source[1, 1]) == (0, 0) and tuple(g.source[0, 0]) == (-1, -1)


def test_transposed_grid_inserts_zeros_and_actual_padding():
    g = grid(PRESETS["padding_strides_odd_transposed"].spec)   # o=3, s=2, p_t=1, a=1
    assert g.shape == (8, 8) and g.stride == (1, 1) and g.flipped
    rows, cols = np.nonzero(g.kind == INPUT)
    assert sorted(set(rows)) == [1, 3, 5] and sorted(set(cols)) == [1, 3, 5]
    assert g.kind[2, 1] == ZERO and g.kind[0, 0] == PADDING and (g.kind[6] == PADDING).all()


def test_reference_sizes_of_all_classic_figures():
    # drawn grid N and output O of the 15 conv_arithmetic GIFs (their README's table)
    sizes = {"no_padding_no_strides": (4, 2), "arbitrary_padding_no_strides": (9, 6),
             "same_padding_no_strides": (7, 5), "full_padding_no_strides": (9, 7),
             "no_padding_strides": (5, 2), "padding_strides": (7, 3),
             "padding_strides_odd": (8, 3), "dilation": (7, 3),
             "no_padding_no_strides_transposed": (6, 4),
             "arbitrary_padding_no_strides_transposed": (8, 5),
             "same_padding_no_strides_transposed": (7, 5),
             "full_padding_no_strides_transposed": (7, 5),
             "no_padding_strides_transposed": (7, 5), "padding_strides_transposed": (7, 5),
             "padding_strides_odd_transposed": (8, 6)}
    for name, (n, o) in sizes.items():
        spec = PRESETS[name].spec
        assert grid(spec).shape == (n, n) and spec.output_size == (o, o), name
        assert len(layout(spec)) == o * o


def test_steps_are_row_major_with_dilated_taps():
    steps = layout(PRESETS["dilation"].spec)
    assert [s.out for s in steps[:4]] == [(0, 0), (0, 1), (0, 2), (1, 0)]
    assert steps[4].rows.tolist() == [1, 3, 5] and steps[4].cols.tolist() == [1, 3, 5]
    assert not steps[4].padding_mask.any()
    first = layout(PRESETS["padding_strides"].spec)[0]
    assert first.padding_mask.tolist() == [[True] * 3, [True, False, False], [True, False, False]]
    assert first.source[1, 1].tolist() == [0, 0]


def _random_spec(draw_mode, rng):
    fields = dict(mode=draw_mode, input_size=tuple(rng.integers(1, 7, 2)),
                  kernel_size=tuple(rng.integers(1, 4, 2)), stride=tuple(rng.integers(1, 4, 2)),
                  padding=tuple(rng.integers(0, 4, 2)), dilation=tuple(rng.integers(1, 3, 2)))
    if draw_mode == "transposed":
        fields["output_padding"] = tuple(rng.integers(0, 3, 2))
    else:
        fields["padding_mode"] = str(rng.choice(["zeros", "reflect", "replicate", "circular"]))
    return ConvSpec(**fields)


@given(seed=st.integers(0, 2**32 - 1), mode=st.sampled_from(["conv", "transposed"]))
def test_steps_sum_to_the_engine_output(seed, mode):
    """Both ways of drawing (padded grid; zeros inserted, flipped kernel) give the engine's
    numbers, also for padding modes and negative actual padding."""
    rng = np.random.default_rng(seed)
    try:
        spec = _random_spec(mode, rng)
    except ConvVizError:
        return
    x = rng.standard_normal((1, *spec.input_size))
    w = rng.standard_normal((1, 1, *spec.kernel_size))
    if spec.transposed:
        expected = conv_transpose2d(x[None], w, None, spec.stride, spec.padding,
                                    spec.output_padding, 1, spec.dilation)[0, 0]
    else:
        expected = conv2d(x[None], w, None, spec.stride, spec.padding, spec.dilation,
                          padding_mode=spec.padding_mode)[0, 0]
    values, taps = grid_values(spec, x), drawn_weight(spec, w[0])
    got = np.zeros(spec.output_size)
    for step in layout(spec):
        got[step.out] = step_products(step, values, taps).sum()
    np.testing.assert_allclose(got, expected, atol=1e-12)


@given(seed=st.integers(0, 2**32 - 1))
def test_scatter_accumulates_to_conv_transpose2d(seed):
    rng = np.random.default_rng(seed)
    try:
        spec = _random_spec("transposed", rng)
    except ConvVizError:
        return
    x = rng.standard_normal(spec.input_size)
    w = rng.standard_normal(spec.kernel_size)
    acc = np.zeros(spec.output_size)
    for step in scatter(spec):
        np.add.at(acc, (step.out[:, 0], step.out[:, 1]), x[step.source] * w[tuple(step.taps.T)])
    expected = conv_transpose2d(x[None, None], w[None, None], None, spec.stride, spec.padding,
                                spec.output_padding, 1, spec.dilation)[0, 0]
    np.testing.assert_allclose(acc, expected, atol=1e-12)


def test_scatter_visits_every_input_cell_row_major():
    spec = PRESETS["padding_strides_transposed"].spec
    steps = scatter(spec)
    assert [s.source for s in steps] == [(r, c) for r in range(3) for c in range(3)]


def test_negative_actual_padding_crops_the_stretched_input():
    spec = ConvSpec(mode="transposed", input_size=3, kernel_size=3, stride=2, padding=3)
    assert spec.actual_padding == (-1, -1) and grid(spec).shape == (3, 3)
    expected = np.full((3, 3), ZERO)
    expected[1, 1] = INPUT                      # stretched I Z I Z I, cropped by 1: Z I Z
    assert (grid(spec).kind == expected).all()


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_each_step_reads_at_most_the_kernel(name):
    for step in layout(PRESETS[name].spec):
        assert step.kind.shape == PRESETS[name].spec.kernel_size
