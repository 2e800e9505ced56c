"""Pooling on its own: the rules PyTorch follows, by hand and against PyTorch on values that
make them matter (NaN, -inf, ties, integers); the loop reference agrees throughout.

The randomised comparisons with PyTorch over every argument are in tests/test_engine.py.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from convviz.errors import ConvVizError
from convviz.ops import pool_reference, pooling
from convviz.ops.pool_shapes import overhang, pooled_length

IMPLEMENTATIONS = (pooling, pool_reference)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS, ids=["engine", "reference"])
def test_max_pooling_pads_with_minus_infinity(impl):
    x = np.array([[[-5.0, -3.0, -4.0]]])
    out, index = impl.max_pool1d(x, 2, stride=1, padding=1, return_indices=True)
    assert out.tolist() == [[[-5.0, -3.0, -3.0, -4.0]]]    # zero padding would give 0 at the ends
    assert index.tolist() == [[[0, 1, 1, 2]]]


@pytest.mark.parametrize("impl", IMPLEMENTATIONS, ids=["engine", "reference"])
def test_indices_are_flat_per_plane_and_ties_keep_the_first(impl):
    x = np.array([[[1.0, 7.0, 7.0, 0.0],
                   [7.0, 2.0, 3.0, 3.0],
                   [0.0, 0.0, 9.0, 1.0]]])                   # one plane, 3 x 4
    out, index = impl.max_pool2d(x, 2, stride=1, return_indices=True)
    assert out.tolist() == [[[7.0, 7.0, 7.0], [7.0, 9.0, 9.0]]]
    assert index.tolist() == [[[1, 1, 2], [4, 10, 10]]]      # h*W + w; the first 7 wins


@pytest.mark.parametrize("impl", IMPLEMENTATIONS, ids=["engine", "reference"])
def test_nan_wins_and_the_last_nan_is_the_index(impl):
    x = np.array([[[1.0, np.nan, 3.0, np.nan, 2.0]]])
    out, index = impl.max_pool1d(x, 5, return_indices=True)
    assert np.isnan(out).all() and index.tolist() == [[[3]]]   # PyTorch: val > max || isnan


@pytest.mark.parametrize("impl", IMPLEMENTATIONS, ids=["engine", "reference"])
def test_a_window_of_padding_only_gives_minus_infinity(impl):
    # k=2, d=3, p=1 over two cells: the one window's taps are -1 and 2, both padding
    out, index = impl.max_pool1d(np.array([[[5.0, 7.0]]]), 2, 1, 1, 3, return_indices=True)
    assert out.tolist() == [[[-np.inf]]] and index.tolist() == [[[2]]]   # PyTorch's index


@pytest.mark.parametrize("impl", IMPLEMENTATIONS, ids=["engine", "reference"])
def test_ceil_mode_drops_a_last_window_that_would_start_in_the_right_padding(impl):
    x = np.arange(5.0).reshape(1, 1, 5)
    # n=5, k=2, s=2, p=1: ceil((5+2-2)/2)+1 = 4 windows would start at -1, 1, 3, 5; the last
    # starts in the right padding, so ceil mode keeps 3 (the floor gives 3 as well)
    assert impl.max_pool1d(x, 2, 2, 1, ceil_mode=True).tolist() == [[[0.0, 2.0, 4.0]]]
    # n=5, k=2, s=2, p=0: the third window starts at 4, inside the input: it is kept and
    # hangs one cell past the end, where nothing is counted
    assert impl.avg_pool1d(x, 2, ceil_mode=True).tolist() == [[[0.5, 2.5, 4.0]]]
    assert impl.avg_pool1d(x, 2).tolist() == [[[0.5, 2.5]]]


def test_pooled_length_says_when_the_ceil_rule_bites():
    assert pooled_length(5, 2, 2, 1, ceil_mode=True) == (3, True)
    assert pooled_length(5, 2, 2, 0, ceil_mode=True) == (3, False)
    assert pooled_length(5, 2, 2, 0) == (2, False)
    assert overhang(5, 2, 2, 0, 1, 3) == 1 and overhang(5, 2, 2, 1, 1, 3) == 0


@pytest.mark.parametrize("impl", IMPLEMENTATIONS, ids=["engine", "reference"])
def test_count_include_pad_counts_padding_but_not_what_ceil_mode_hangs_past_it(impl):
    x = np.arange(5.0).reshape(1, 1, 5)
    # windows [-1, 1], [1, 3], [3, 5]: the last covers 3, 4 and the right padding cell 5
    with_pad = impl.avg_pool1d(x, 3, 2, 1, ceil_mode=True)
    without = impl.avg_pool1d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False)
    np.testing.assert_allclose(with_pad, [[[1 / 3, 2.0, 7 / 3]]])
    np.testing.assert_allclose(without, [[[0.5, 2.0, 3.5]]])


@pytest.mark.parametrize("impl", IMPLEMENTATIONS, ids=["engine", "reference"])
def test_divisor_override_divides_every_window(impl):
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    np.testing.assert_allclose(impl.avg_pool2d(x, 2, divisor_override=-2)[0, 0],
                               [[-5.0, -9.0], [-21.0, -25.0]])


@pytest.mark.parametrize("impl", IMPLEMENTATIONS, ids=["engine", "reference"])
def test_integers_keep_their_dtype_and_round_toward_zero(impl):
    x = np.array([[[-3, -2, 5, -7]]], dtype=np.int64)
    assert impl.avg_pool1d(x, 2).tolist() == [[[-2, -1]]]       # -2.5 -> -2, -1 -> -1
    out, index = impl.max_pool1d(x, 2, 1, 1, return_indices=True)
    assert out.dtype == np.int64 and out.tolist() == [[[-3, -2, 5, 5, -7]]]
    assert index.tolist() == [[[0, 1, 2, 2, 3]]]


def test_one_element_sequences_and_an_empty_stride_mean_what_they_do_in_torch():
    x = np.arange(8.0).reshape(1, 1, 8)
    expected = pooling.max_pool1d(x, 2)
    for stride in (None, (), [], 2, (2,)):
        np.testing.assert_array_equal(pooling.max_pool1d(x, [2], stride, (0,), [1]), expected)


# ---- against PyTorch on values that make the rules matter ------------------------------------
SPECIAL = st.sampled_from([0.0, 1.0, 1.0, 2.0, -1.0, -np.inf, np.inf, np.nan])


@st.composite
def special_arrays(draw, dims: int):
    """Small arrays of ties, infinities and NaN, float32 or int64 (no NaN or inf there)."""
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 2)),
             *draw(st.tuples(*[st.integers(1, 6)] * dims)))
    values = np.array(draw(st.lists(SPECIAL, min_size=int(np.prod(shape)),
                                    max_size=int(np.prod(shape)))), dtype=np.float32)
    if draw(st.booleans()):
        return np.nan_to_num(values, nan=3.0, posinf=4.0, neginf=-4.0).astype(np.int64) \
            .reshape(shape)
    return values.reshape(shape)


@given(x=special_arrays(2), k=st.integers(1, 3), s=st.integers(1, 3), d=st.integers(1, 2),
       ceil=st.booleans(), data=st.data())
def test_max_pool2d_equals_torch_on_ties_infinities_and_nan(torch, x, k, s, d, ceil, data):
    p = data.draw(st.integers(0, k // 2))
    try:
        expected = torch.nn.functional.max_pool2d(torch.from_numpy(x), k, s, p, d, ceil, True)
    except RuntimeError:
        with pytest.raises(ConvVizError):
            pooling.max_pool2d(x, k, s, p, d, ceil, True)
        return
    for impl in IMPLEMENTATIONS:
        out, index = impl.max_pool2d(x, k, s, p, d, ceil, True)
        np.testing.assert_array_equal(out, expected[0].numpy())      # NaN equals NaN here
        np.testing.assert_array_equal(index, expected[1].numpy())


@given(x=special_arrays(1), k=st.integers(1, 3), s=st.integers(1, 3), ceil=st.booleans(),
       cip=st.booleans(), data=st.data())
def test_avg_pool1d_equals_torch_on_infinities_nan_and_integers(torch, x, k, s, ceil, cip, data):
    p = data.draw(st.integers(0, k // 2))
    try:
        expected = torch.nn.functional.avg_pool1d(torch.from_numpy(x), k, s, p, ceil, cip)
    except RuntimeError:
        with pytest.raises(ConvVizError):
            pooling.avg_pool1d(x, k, s, p, ceil, cip)
        return
    for impl in IMPLEMENTATIONS:
        out = impl.avg_pool1d(x, k, s, p, ceil, cip)
        assert out.dtype == expected.numpy().dtype
        np.testing.assert_allclose(out, expected.numpy(), rtol=1e-6)


def test_bools_are_refused_as_torch_refuses_them():
    with pytest.raises(ConvVizError, match="input must hold ints or floats, got dtype bool"):
        pooling.max_pool2d(np.ones((1, 1, 2, 2), bool), 2)
