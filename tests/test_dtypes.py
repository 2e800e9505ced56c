"""Element types: the engine takes and refuses what PyTorch's CPU kernels take and refuse, and
gives the input's dtype (issue #17, row 18: float32 input with a float64 weight, an int64
bias, int8/uint8/bool transposed inputs were accepted)."""
from __future__ import annotations

import numpy as np
import pytest

from convviz.errors import ConvVizError
from convviz.ops import engine, reference
from convviz.ops.dtypes import DTYPES, result_dtype

NAMES = ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64",
         "complex64", "complex128")
OPS = ("conv2d", "conv_transpose2d")


def _arrays(x_dtype: str, w_dtype: str, b_dtype: str | None):
    """Small arrays whose every sum fits in int8 (so int types compute exactly)."""
    rng = np.random.default_rng(0)
    x = rng.integers(-2, 3, (1, 2, 4, 4)).astype(x_dtype)
    w = rng.integers(-2, 3, (2, 2, 2, 2)).astype(w_dtype)
    b = None if b_dtype is None else np.array([1, 0]).astype(b_dtype)
    return x, w, b


def _torch(torch, op: str, x, w, b):
    """PyTorch's output, or None where it refuses."""
    t = [None if a is None else torch.from_numpy(np.ascontiguousarray(a)) for a in (x, w, b)]
    try:
        return getattr(torch.nn.functional, op)(*t).numpy()
    except (RuntimeError, TypeError):
        return None


def _check(torch, op: str, x, w, b) -> None:
    expected = _torch(torch, op, x, w, b)
    if expected is None:
        for module in (engine, reference):
            with pytest.raises(ConvVizError, match="dtype must be"):
                getattr(module, op)(x, w, b)
        return
    for module in (engine, reference):
        actual = getattr(module, op)(x, w, b)
        assert actual.dtype == expected.dtype == x.dtype
        tolerance = 1e-2 if x.dtype == np.float16 else 1e-6
        np.testing.assert_allclose(actual, expected, rtol=tolerance, atol=tolerance)


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("x_dtype", NAMES)
@pytest.mark.parametrize("w_dtype", NAMES)
def test_input_and_weight_dtypes_as_torch(torch, op, x_dtype, w_dtype):
    _check(torch, op, *_arrays(x_dtype, w_dtype, None))


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("x_dtype", ("int64", "float32", "float64", "complex64"))
@pytest.mark.parametrize("b_dtype", NAMES)
def test_bias_dtypes_as_torch(torch, op, x_dtype, b_dtype):
    _check(torch, op, *_arrays(x_dtype, x_dtype, b_dtype))


@pytest.mark.parametrize("x, w, b, words", [
    (np.float32, np.float64, None, "weight dtype must be the input's float32, got float64"),
    (np.float64, np.float64, np.int64, "bias dtype must be the input's float64, got int64"),
    (np.int8, np.int8, None, "input dtype must be one of int64, float16"),
    (np.bool_, np.bool_, None, "input dtype must be one of"),
])
def test_the_refusals_of_row_18_name_the_array_and_its_dtype(x, w, b, words):
    op = "conv_transpose2d" if x in (np.int8, np.bool_) else "conv2d"
    arrays = _arrays(np.dtype(x).name, np.dtype(w).name, None if b is None else np.dtype(b).name)
    with pytest.raises(ConvVizError) as caught:
        getattr(engine, op)(*arrays)
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_objects_strings_and_dates_are_refused_not_computed():
    for bad in (np.array([[[["1"]]]]), np.zeros((1, 1, 1, 1), object),
                np.zeros((1, 1, 1, 1), "datetime64[s]")):
        with pytest.raises(ConvVizError, match="input dtype must be one of"):
            engine.conv2d(bad, np.ones((1, 1, 1, 1)))


def test_lists_are_taken_as_numpy_takes_them():
    assert engine.conv2d([[[[1, 2], [3, 4]]]], [[[[1]]]]).dtype == np.int64
    assert result_dtype("conv2d", np.ones(1), np.ones(1), None) == np.float64
    assert set(DTYPES["conv_transpose2d"]) < set(DTYPES["conv2d"])
