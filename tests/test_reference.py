"""The loop reference on its own: worked examples, PyTorch (float64), golden values, and the
identity that makes a transposed convolution the adjoint of a direct one."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from test_engine import (
    GOLDEN_CASES,
    TABLE,
    Case,
    assert_same,
    call,
    golden_case,
    inputs,
    split,
    torch_output,
    transposed_cases,
)

from convviz.errors import ConvVizError
from convviz.ops import engine, reference
from convviz.ops.args import pair


def test_no_padding_no_strides_by_hand():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    out = reference.conv2d(x, np.ones((1, 1, 3, 3)))
    assert out.tolist() == [[[[45.0, 54.0], [81.0, 90.0]]]]     # sums of the four 3 x 3 windows


def test_dilation_spaces_the_taps():
    x = np.arange(25.0).reshape(1, 5, 5)
    w = np.zeros((1, 1, 3, 3))
    w[0, 0, 2, 2] = 1.0                                          # the bottom-right tap only
    assert reference.conv2d(x, w, dilation=2).tolist() == [[[24.0]]]


def test_transposed_scatters_each_input_cell():
    w = np.arange(1.0, 5.0).reshape(1, 1, 2, 2)
    x = np.array([[[[1.0, 10.0]]]])
    out = reference.conv_transpose2d(x, w, stride=(1, 3), output_padding=(0, 2))
    assert out[0, 0].tolist() == [[1.0, 2.0, 0.0, 10.0, 20.0, 0.0, 0.0],
                                  [3.0, 4.0, 0.0, 30.0, 40.0, 0.0, 0.0]]


@pytest.mark.parametrize("mode, numpy_mode", [("reflect", "reflect"), ("replicate", "edge"),
                                              ("circular", "wrap"), ("zeros", "constant")])
@given(h=st.integers(1, 6), w=st.integers(1, 6), data=st.data())
def test_padding_reads_the_cells_numpy_pad_reads(mode, numpy_mode, h, w, data):
    limit = {"reflect": 1, "circular": 0}.get(mode)
    most = 4 if limit is None else min(h, w) - limit
    pads = data.draw(st.tuples(*[st.integers(0, most)] * 4))
    x = np.arange(2.0 * h * w).reshape(1, 2, h, w)
    expected = np.pad(x, ((0, 0), (0, 0), pads[:2], pads[2:]), mode=numpy_mode)
    np.testing.assert_array_equal(reference.pad(x, pads, mode), expected)


def test_conv1d_by_hand():
    x = np.arange(6.0).reshape(1, 1, 6)
    w = np.array([[[1.0, 0.0, -1.0]]])
    assert reference.conv1d(x, w).tolist() == [[[-2.0, -2.0, -2.0, -2.0]]]
    assert reference.conv1d(x, w, padding=1, dilation=2).tolist() == [[[-3.0, -4.0, -4.0, 2.0]]]


def test_conv_transpose1d_scatters_each_input_cell():
    out = reference.conv_transpose1d(np.array([[[1.0, 10.0]]]), np.array([[[1.0, 2.0]]]),
                                     stride=3, output_padding=1)
    assert out.tolist() == [[[1.0, 2.0, 0.0, 10.0, 20.0, 0.0]]]


@pytest.mark.parametrize("name", TABLE)
def test_parity_table_equals_torch_in_float64(torch, name):
    case = TABLE[name]
    assert_same(reference_output(case), torch_output(torch, case, np.float64), 1e-10)


@pytest.mark.parametrize("name", GOLDEN_CASES)
def test_golden_values(name):
    stored = GOLDEN_CASES[name]
    values, indices = split(reference_output(golden_case(stored), stored["seed"]))
    np.testing.assert_allclose(values, stored["expected"], rtol=1e-12, atol=1e-12)
    if indices is not None:
        np.testing.assert_array_equal(indices, stored["indices"])


def reference_output(case: Case, seed: int = 0):
    return call(reference, case, *inputs(case, np.float64, seed))


@given(case=transposed_cases())
def test_transposed_is_the_adjoint_of_direct(case):
    """<conv2d(y, w), x> = <y, conv_transpose2d(x, w)>: the scatter is the gather's transpose."""
    try:
        x, w, _ = inputs(case)
        out = reference.conv_transpose2d(x, w, **case.kwargs)
    except ConvVizError:
        return event("refused")
    kwargs = dict(case.kwargs)
    if any(a >= s for a, s in zip(pair(kwargs.pop("output_padding"), "output_padding"),
                                  pair(kwargs["stride"], "stride"))):
        return event("output_padding >= stride: conv2d of the output is larger than x")
    y = np.random.default_rng(1).standard_normal(out.shape)
    back = reference.conv2d(y, w, **kwargs)
    assert back.shape == x.shape
    np.testing.assert_allclose(np.vdot(back, x), np.vdot(y, out), rtol=1e-10, atol=1e-10)
    event("computed")


@pytest.mark.parametrize("op, kwargs", [("conv2d", dict(stride=0)),
                                        ("conv2d", dict(padding=4, padding_mode="reflect")),
                                        ("conv_transpose2d", dict(output_padding=1))])
def test_refuses_like_the_engine(op, kwargs):
    x, w = np.ones((1, 1, 4, 4)), np.ones((1, 1, 3, 3))
    for module in (engine, reference):
        with pytest.raises(ConvVizError):
            getattr(module, op)(x, w, **kwargs)
    with pytest.raises(ConvVizError, match=r"bias must have shape \(1,\)"):
        getattr(reference, op)(x, w, np.ones(3))
