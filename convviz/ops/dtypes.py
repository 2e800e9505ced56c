"""Which element types each operation takes, as PyTorch's CPU kernels do, and the one it gives.

PyTorch computes a convolution in the input's dtype and refuses mixed ones: the weight must
have the input's dtype, and so must a ``conv2d`` bias, while a ``conv_transpose2d`` bias may be
any dtype that converts to the input's without changing kind (an int8 bias to an int64 input,
an int or float64 bias to a float32 input; not a float bias to an int input, nor anything but
the input's own dtype to a complex one). ``conv2d`` takes every int and float type but bool;
``conv_transpose2d`` of the ints only int64. The output has the input's dtype.

>>> result_dtype("conv2d", np.ones(1, np.float32), np.ones(1, np.float32), None)
dtype('float32')
>>> result_dtype("conv2d", np.ones(1, np.float32), np.ones(1), None)
Traceback (most recent call last):
convviz.errors.ConvVizError: weight dtype must be the input's float32, got float64
"""
from __future__ import annotations

import numpy as np

from ..errors import ConvVizError

_FLOATS = ("float16", "float32", "float64", "complex64", "complex128")
_INTS = ("uint8", "int8", "int16", "int32", "int64")
DTYPES = {"conv2d": _INTS + _FLOATS, "conv1d": _INTS + _FLOATS,
          "conv_transpose2d": ("int64",) + _FLOATS, "conv_transpose1d": ("int64",) + _FLOATS}
"""The input dtypes each operation takes (the 1-D ones as their 2-D twins)."""


def result_dtype(op: str, input: np.ndarray, weight: np.ndarray,
                 bias: np.ndarray | None) -> np.dtype:
    """The output dtype of ``op`` (the input's), or the one-line refusal naming the array
    whose dtype PyTorch would refuse.

    Parameters
    ----------
    op : {"conv2d", "conv_transpose2d", "conv1d", "conv_transpose1d"}
    input, weight : ndarray
    bias : ndarray or None
    """
    dtype = input.dtype
    if dtype.name not in DTYPES[op]:
        raise ConvVizError(f"input dtype must be one of {', '.join(DTYPES[op])} for {op}, "
                           f"got {dtype}")
    if weight.dtype != dtype:
        raise ConvVizError(f"weight dtype must be the input's {dtype}, got {weight.dtype}")
    if bias is None or bias.dtype == dtype:
        return dtype
    direct = not op.startswith("conv_transpose")
    if direct or dtype.kind == "c" or not np.can_cast(bias.dtype, dtype, "same_kind"):
        kind = "the input's" if direct or dtype.kind == "c" else \
            "one that converts without changing kind to the input's"
        raise ConvVizError(f"bias dtype must be {kind} {dtype}, got {bias.dtype}")
    return dtype
