"""The engine against PyTorch (float32, 1e-5), the loop reference (float64, 1e-10), golden values.

The engine is :mod:`convviz.ops.engine` (convolutions) and :mod:`convviz.ops.pooling`; the loop
reference is :mod:`convviz.ops.reference` and :mod:`convviz.ops.pool_reference`. Every
comparison with PyTorch goes through the session fixture ``torch`` (a tagged skip when it is not
installed). Without it, the reference comparisons and the golden values recorded from PyTorch
still run. After changing the parity table, re-record the golden values with

    python -m tests.test_engine --record
"""
from __future__ import annotations

import ast
import inspect
import json
import sys
import warnings
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest
from hypothesis import assume, event, given
from hypothesis import strategies as st

from convviz.errors import ConvVizError
from convviz.ops import engine, engine1d, pool_reference, pooling, reference
from convviz.ops.spec import ConvSpec

GOLDEN = Path(__file__).with_name("golden_values.json")
PADDING_MODES = ("zeros", "reflect", "replicate", "circular")
TORCH_REFUSES = (RuntimeError, ValueError, TypeError)
POOLS = ("max_pool2d", "avg_pool2d", "max_pool1d", "avg_pool1d")
CONV_LAYERS = {"conv2d": "Conv2d", "conv1d": "Conv1d"}


class Case(NamedTuple):
    """One call: ``op`` (engine function name), shapes (``w_shape`` None for pooling), whether
    there is a bias, keywords."""

    op: str
    x_shape: tuple[int, ...]
    w_shape: tuple[int, ...] | None
    bias: bool
    kwargs: dict

    @property
    def c_out(self) -> int:
        groups = self.kwargs.get("groups", 1)
        return self.w_shape[0] if self.op in CONV_LAYERS else self.w_shape[1] * groups


def inputs(case: Case, dtype=np.float64, seed: int = 0):
    """``(x, w, b)`` for ``case``: standard normal draws from ``default_rng(seed)``."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(case.x_shape).astype(dtype)
    w = None if case.w_shape is None else rng.standard_normal(case.w_shape).astype(dtype)
    b = rng.standard_normal(case.c_out).astype(dtype) if case.bias else None
    return x, w, b


def call(module, case: Case, x, w, b):
    """``case`` on these arrays, by :mod:`convviz.ops.engine` or :mod:`convviz.ops.reference`
    (their pooling twins for a pooling op); max pooling's indices come as a tuple."""
    if case.op in POOLS:
        module = pooling if module is engine else pool_reference
        return getattr(module, case.op)(x, **case.kwargs)
    if case.op.endswith("1d") and module is engine:
        module = engine1d
    return getattr(module, case.op)(x, w, b, **case.kwargs)


def run(module, case: Case, dtype=np.float64):
    """``case`` computed by ``module`` (:mod:`convviz.engine` or :mod:`convviz.reference`)."""
    return call(module, case, *inputs(case, dtype))


def _refuse_empty(out, dims: int = 2):
    """``out``, or a refusal where it is empty: ConvSpec, a figure, refuses an empty output."""
    if min(out.shape[-dims:]) == 0:
        raise RuntimeError(f"Output size is too small: {tuple(out.shape)}")
    return out


def _numpy(out):
    return tuple(o.numpy() for o in out) if isinstance(out, tuple) else out.numpy()


def torch_output(torch, case: Case, dtype=np.float32):
    """What PyTorch computes for ``case``; a padding_mode goes through ``nn.Conv2d`` (or
    ``nn.Conv1d``) itself."""
    functional = torch.nn.functional
    x, w, b = (None if a is None else torch.from_numpy(a) for a in inputs(case, dtype))
    kwargs = dict(case.kwargs)
    mode = kwargs.pop("padding_mode", "zeros")
    with warnings.catch_warnings(), torch.no_grad():
        warnings.filterwarnings("ignore", "Using padding='same'", UserWarning)
        if case.op in POOLS:
            return _numpy(getattr(functional, case.op)(x, **kwargs))
        if case.op.startswith("conv_transpose"):
            return getattr(functional, case.op)(x, w, b, **kwargs).numpy()
        if mode == "zeros":
            return getattr(functional, case.op)(x, w, b, **kwargs).numpy()
        groups = kwargs.pop("groups", 1)
        layer = getattr(torch.nn, CONV_LAYERS[case.op])(
            case.w_shape[1] * groups, case.w_shape[0], case.w_shape[2:], groups=groups,
            bias=case.bias, padding_mode=mode, **kwargs)
        layer = layer.to(x.dtype)
        layer.weight.copy_(w)
        if b is not None:
            layer.bias.copy_(b)
        return layer(x).numpy()


def torch_verdict(torch, case: Case, dtype=np.float32):
    """What convviz must give for ``case``: PyTorch's output, or None where it must refuse.

    Two of PyTorch's paths disagree with the others, and convviz follows the stricter rule:

    - For an empty batch (N = 0) PyTorch skips some checks (it takes an output_padding >=
      stride); convviz checks an empty batch as a batch of one and gives the empty output.
    - A transposed convolution whose output has a size of 0 is refused by PyTorch's float64
      and ungrouped paths ("Output size is too small") but computed, as an empty tensor, by
      its float32 grouped (oneDNN) path and for an empty batch: convviz gives the empty array.
    """
    dims = 1 if case.op.endswith("1d") else 2
    if len(case.x_shape) == dims + 2 and case.x_shape[0] == 0:
        one = torch_verdict(torch, case._replace(x_shape=(1, *case.x_shape[1:])), dtype)
        return None if one is None else one[:0]
    try:
        return torch_output(torch, case, dtype)
    except TORCH_REFUSES as refusal:
        if not case.op.startswith("conv_transpose") or \
                "Output size is too small" not in str(refusal):
            return None
    try:
        out = torch_output(torch, case._replace(x_shape=(0, *case.x_shape[-dims - 1:])), dtype)
    except TORCH_REFUSES:                              # a size below 0
        return None
    if min(out.shape[-dims:]) != 0:
        return None
    return np.zeros((*case.x_shape[:-dims - 1], *out.shape[1:]), dtype)   # (N,) or () unbatched


def assert_same(actual, expected, tol: float) -> None:
    """Equal shapes, dtypes and values (indices exactly); NaN equals NaN."""
    if isinstance(expected, tuple):
        assert isinstance(actual, tuple) and len(actual) == len(expected)
        assert_same(actual[0], expected[0], tol)
        assert actual[1].dtype == expected[1].dtype
        np.testing.assert_array_equal(actual[1], expected[1])
        return
    assert actual.shape == expected.shape and actual.dtype == expected.dtype
    np.testing.assert_allclose(actual, expected, rtol=tol, atol=tol)


def check_against_torch(torch, case: Case) -> str:
    """Assert the engine refuses what PyTorch refuses and otherwise gives its float32 output
    (see :func:`torch_verdict` for the empty ones)."""
    expected = torch_verdict(torch, case)
    if expected is None:
        with pytest.raises(ConvVizError):
            run(engine, case, np.float32)
        return "refused"
    actual = run(engine, case, np.float32)
    assert_same(actual, expected, 1e-5)
    return "empty" if getattr(actual, "size", 1) == 0 else "computed"


def check_against_reference(case: Case) -> str:
    """Assert the engine equals the loop reference in float64, refusals included."""
    try:
        expected = run(reference, case)
    except ConvVizError:
        with pytest.raises(ConvVizError):
            run(engine, case)
        return "refused"
    actual = run(engine, case)
    assert_same(actual, expected, 1e-10)
    return "empty" if getattr(actual, "size", 1) == 0 else "computed"


# ---- strategies: the ranges ---------------------------------------------------------
def sizes(low: int, high: int):
    """An int or an ``(H, W)`` pair in ``[low, high]``: both forms are accepted."""
    one = st.integers(low, high)
    return st.one_of(one, st.tuples(one, one))


@st.composite
def channels(draw, grouped: bool = False) -> tuple[int, int, int]:
    """``(C_in, C_out, groups)`` in 1..4: mostly ones groups divides, sometimes any three."""
    groups = draw(st.integers(2 if grouped else 1, 4))
    if grouped or draw(st.integers(0, 7)):
        most = 4 // groups
        return groups * draw(st.integers(1, most)), groups * draw(st.integers(1, most)), groups
    return draw(st.integers(1, 4)), draw(st.integers(1, 4)), groups


@st.composite
def shapes(draw, c_in: int, c_out_w: int, c_in_w: int) -> tuple[tuple, tuple]:
    """Input shape (N in 0..2, or an unbatched 3-D input) and weight shape, sizes non-square."""
    n = draw(st.tuples(st.integers(1, 12), st.integers(1, 12)))
    k = draw(st.tuples(st.integers(1, 5), st.integers(1, 5)))
    batch = draw(st.sampled_from([0, 1, 1, 2, None]))
    x_shape = (c_in, *n) if batch is None else (batch, c_in, *n)
    return x_shape, (c_out_w, c_in_w, *k)


@st.composite
def conv_cases(draw, grouped: bool = False) -> Case:
    """A conv2d call; about a third of them are refused by PyTorch."""
    c_in, c_out, groups = draw(channels(grouped))
    x_shape, w_shape = draw(shapes(c_in, c_out, max(c_in // groups, 1)))
    kwargs = dict(stride=draw(st.one_of(st.just(1), sizes(1, 4))),
                  padding=draw(st.one_of(sizes(0, 4), st.sampled_from(["same", "valid"]))),
                  dilation=draw(sizes(1, 3)), groups=groups,
                  padding_mode=draw(st.sampled_from(PADDING_MODES)))
    return Case("conv2d", x_shape, w_shape, draw(st.booleans()), kwargs)


@st.composite
def transposed_cases(draw, grouped: bool = False) -> Case:
    """A conv_transpose2d call; about a third of them are refused by PyTorch."""
    c_in, c_out, groups = draw(channels(grouped))
    x_shape, w_shape = draw(shapes(c_in, c_in, max(c_out // groups, 1)))
    kwargs = dict(stride=draw(sizes(1, 4)), padding=draw(sizes(0, 4)),
                  output_padding=draw(st.one_of(st.just(0), sizes(0, 3))), groups=groups,
                  dilation=draw(sizes(1, 3)))
    return Case("conv_transpose2d", x_shape, w_shape, draw(st.booleans()), kwargs)


@st.composite
def empty_transposed_cases(draw) -> Case:
    """A conv_transpose2d call whose output has a size of 0 along one axis or both: the
    padding crops exactly everything, ``2p = (n - 1)*s + d*(k - 1) + a + 1``."""
    case = draw(transposed_cases())
    axes = draw(st.sampled_from([(0,), (1,), (0, 1)]))
    pairs = {name: _pair(case.kwargs[name]) for name in
             ("stride", "padding", "output_padding", "dilation")}
    padding = list(pairs["padding"])
    for axis in axes:
        n, k, a = case.x_shape[-2 + axis], case.w_shape[2 + axis], pairs["output_padding"][axis]
        s, d = pairs["stride"][axis], pairs["dilation"][axis]
        total = (n - 1) * s + d * (k - 1) + a + 1
        assume(total % 2 == 0)
        padding[axis] = total // 2
    return case._replace(kwargs={**case.kwargs, "padding": tuple(padding)})


def _pair(value) -> tuple[int, int]:
    return value if isinstance(value, tuple) else (value, value)


any_case = st.one_of(conv_cases(), transposed_cases())


def lengths(low: int, high: int):
    """A 1-D size: an int or a one-element sequence (both accepted, as in PyTorch)."""
    one = st.integers(low, high)
    return st.one_of(one, one, st.tuples(one))


@st.composite
def conv1d_cases(draw, transposed: bool = False) -> Case:
    """A conv1d (or conv_transpose1d) call; about a third of them are refused by PyTorch."""
    c_in, c_out, groups = draw(channels())
    length, k = draw(st.integers(1, 16)), draw(st.integers(1, 5))
    batch = draw(st.sampled_from([0, 1, 1, 2, None]))
    x_shape = (c_in, length) if batch is None else (batch, c_in, length)
    if transposed:
        kwargs = dict(stride=draw(lengths(1, 4)), padding=draw(lengths(0, 4)),
                      output_padding=draw(st.one_of(st.just(0), lengths(0, 3))), groups=groups,
                      dilation=draw(lengths(1, 3)))
        return Case("conv_transpose1d", x_shape, (c_in, max(c_out // groups, 1), k),
                    draw(st.booleans()), kwargs)
    kwargs = dict(stride=draw(st.one_of(st.just(1), lengths(1, 4))),
                  padding=draw(st.one_of(lengths(0, 4), st.sampled_from(["same", "valid"]))),
                  dilation=draw(lengths(1, 3)), groups=groups,
                  padding_mode=draw(st.sampled_from(PADDING_MODES)))
    return Case("conv1d", x_shape, (c_out, max(c_in // groups, 1), k), draw(st.booleans()),
                kwargs)


@st.composite
def pool_cases(draw, op: str) -> Case:
    """A pooling call; about a third of them are refused by PyTorch: padding one past half
    the kernel, windows longer than the (padded) input. Ceil mode often drops a last window
    that would start in the right padding."""
    dims = 1 if op.endswith("1d") else 2
    spatial = draw(st.tuples(*[st.integers(1, 10)] * dims))
    batch = draw(st.sampled_from([1, 2, None]))
    channels_ = draw(st.integers(1, 3))
    x_shape = (channels_, *spatial) if batch is None else (batch, channels_, *spatial)
    kernel = draw(st.tuples(*[st.integers(1, 5)] * dims))
    over = draw(st.integers(0, 7)) == 0                     # padding past half the kernel
    padding = tuple(draw(st.integers(0, k // 2 + over)) for k in kernel)
    stride = draw(st.one_of(st.none(), st.just(()), st.tuples(*[st.integers(1, 4)] * dims)))

    def written(value):                                     # an int where the axes agree
        return value[0] if value and len(set(value)) == 1 and draw(st.booleans()) else value
    kwargs = dict(kernel_size=written(kernel), stride=stride and written(stride),
                  padding=written(padding), ceil_mode=draw(st.booleans()))
    if op.startswith("max"):
        dilation = draw(st.tuples(*[st.integers(1, 3)] * dims))
        kwargs.update(dilation=written(dilation), return_indices=draw(st.booleans()))
    else:
        kwargs.update(count_include_pad=draw(st.booleans()))
        if dims == 2:
            kwargs.update(divisor_override=draw(st.sampled_from([None] * 4 + [3, -2, 7, 0])))
    return Case(op, x_shape, None, False, kwargs)


# ---- properties -------------------------------------------------------------------------
@given(case=conv_cases())
def test_conv2d_equals_torch_and_refuses_what_it_refuses(torch, case):
    event(check_against_torch(torch, case))


@given(case=transposed_cases())
def test_conv_transpose2d_equals_torch_and_refuses_what_it_refuses(torch, case):
    event(check_against_torch(torch, case))


@given(case=empty_transposed_cases())
def test_an_output_of_size_0_is_empty_as_in_torch(torch, case):
    result = check_against_torch(torch, case)
    event(result)
    assert result in ("empty", "refused")         # refused: e.g. output_padding too large
    if result == "empty":
        assert check_against_reference(case) == "empty"


@given(case=conv_cases())
def test_conv2d_equals_the_loop_reference(case):
    event(check_against_reference(case))


@given(case=st.one_of(transposed_cases(), empty_transposed_cases()))
def test_conv_transpose2d_equals_the_loop_reference(case):
    event(check_against_reference(case))


@given(case=st.one_of(conv1d_cases(), conv1d_cases(transposed=True)))
def test_conv1d_and_conv_transpose1d_equal_torch_and_refuse_what_it_refuses(torch, case):
    event(check_against_torch(torch, case))


@given(case=st.one_of(conv1d_cases(), conv1d_cases(transposed=True)))
def test_conv1d_and_conv_transpose1d_equal_the_loop_reference(case):
    event(check_against_reference(case))


@pytest.mark.parametrize("op", POOLS)
@given(data=st.data())
def test_pooling_equals_torch_and_refuses_what_it_refuses(torch, op, data):
    event(check_against_torch(torch, data.draw(pool_cases(op))))


@pytest.mark.parametrize("op", POOLS)
@given(data=st.data())
def test_pooling_equals_the_loop_reference(op, data):
    event(check_against_reference(data.draw(pool_cases(op))))


def _split(a, groups: int, axis: int) -> list:
    return [None] * groups if a is None else np.split(a, groups, axis=axis)


@given(case=st.one_of(conv_cases(grouped=True), transposed_cases(grouped=True)))
def test_grouped_conv_is_the_per_group_convs_concatenated(case):
    try:
        whole = run(engine, case)
    except ConvVizError:
        return event("refused")
    groups = case.kwargs["groups"]
    x, w, b = inputs(case)
    op = getattr(engine, case.op)
    parts = [op(xg, wg, bg, **{**case.kwargs, "groups": 1}) for xg, wg, bg in
             zip(_split(x, groups, -3), _split(w, groups, 0), _split(b, groups, 0))]
    np.testing.assert_allclose(whole, np.concatenate(parts, axis=-3), rtol=1e-12, atol=1e-12)
    event("computed")


def spec_of(case: Case) -> dict:
    """The ConvSpec fields that describe ``case`` (one input, ``in_channels`` from it)."""
    fields = {key: value for key, value in case.kwargs.items() if key != "groups"}
    c_out = case.w_shape[0] if case.op == "conv2d" else case.w_shape[1] * case.kwargs["groups"]
    return dict(mode="conv" if case.op == "conv2d" else "transposed", **fields,
                input_size=case.x_shape[-2:], kernel_size=case.w_shape[2:],
                in_channels=case.x_shape[-3], out_channels=c_out, groups=case.kwargs["groups"])


def torch_layer_shape(torch, fields: dict) -> tuple[int, ...]:
    """Output shape of the ``nn.Conv2d`` / ``nn.ConvTranspose2d`` a spec describes."""
    fields = dict(fields)
    cls = torch.nn.Conv2d if fields.pop("mode") == "conv" else torch.nn.ConvTranspose2d
    size, c_in = fields.pop("input_size"), fields.pop("in_channels")
    with warnings.catch_warnings(), torch.no_grad():
        warnings.filterwarnings("ignore", "Using padding='same'", UserWarning)
        layer = cls(c_in, fields.pop("out_channels"), **fields)
        return tuple(_refuse_empty(layer(torch.zeros(1, c_in, *size))).shape)


@given(case=any_case, pm=st.sampled_from(PADDING_MODES), same=st.sampled_from([0, 0, 0, 1, 2]))
def test_conv_spec_is_refused_exactly_when_torch_refuses(torch, case, pm, same):
    fields = spec_of(case)
    fields["padding_mode"] = pm if case.op == "conv2d" or same else "zeros"
    if same:                                    # a string padding for a transposed one, too
        fields["padding"] = ("same", "valid")[same - 1]
    try:
        expected = torch_layer_shape(torch, fields)
    except TORCH_REFUSES:
        with pytest.raises(ConvVizError):
            ConvSpec(**fields)
        return event("refused")
    assert ConvSpec(**fields).output_shape == expected
    event("computed")


# ---- the parity table: one line per kind of convolution -----------------------------------
TABLE = {
    "padded": Case("conv2d", (1, 2, 5, 5), (3, 2, 3, 3), True, dict(padding=1)),
    "strided": Case("conv2d", (1, 2, 7, 6), (2, 2, 3, 3), False, dict(stride=2)),
    "dilated": Case("conv2d", (1, 1, 7, 7), (2, 1, 3, 3), True, dict(dilation=2, padding=1)),
    "grouped": Case("conv2d", (1, 4, 5, 5), (4, 2, 3, 3), True, dict(groups=2, padding=1)),
    "depthwise": Case("conv2d", (1, 3, 5, 5), (3, 1, 3, 3), False, dict(groups=3)),
    "non-square": Case("conv2d", (2, 2, 5, 8), (2, 2, 2, 3), True,
                       dict(stride=(1, 2), padding=(1, 0), dilation=(2, 1))),
    "unbatched": Case("conv2d", (2, 4, 5), (1, 2, 3, 2), True, dict(padding=(0, 1))),
    "same-even-kernel": Case("conv2d", (1, 1, 5, 6), (1, 1, 4, 2), False,
                             dict(padding="same", dilation=(1, 3))),
    "valid": Case("conv2d", (1, 1, 5, 5), (1, 1, 3, 3), False, dict(padding="valid")),
    "reflect": Case("conv2d", (1, 2, 5, 5), (2, 2, 3, 3), True,
                    dict(padding=(2, 1), padding_mode="reflect")),
    "replicate": Case("conv2d", (1, 2, 5, 4), (2, 2, 3, 3), False,
                      dict(stride=2, padding=(2, 3), padding_mode="replicate")),
    "circular": Case("conv2d", (1, 2, 4, 5), (2, 2, 3, 3), True,
                     dict(padding=(1, 2), dilation=(2, 1), padding_mode="circular")),
    "same-reflect": Case("conv2d", (1, 1, 5, 5), (1, 1, 4, 3), False,
                         dict(padding="same", padding_mode="reflect")),
    "transposed-output-padding": Case("conv_transpose2d", (1, 2, 3, 3), (2, 3, 3, 3), True,
                                      dict(stride=2, padding=1, output_padding=1)),
    "transposed-grouped-dilated": Case("conv_transpose2d", (1, 4, 3, 4), (4, 1, 3, 2), True,
                                       dict(stride=(2, 1), padding=1, output_padding=1,
                                            groups=2, dilation=2)),
    "transposed-depthwise": Case("conv_transpose2d", (2, 2, 3, 3), (2, 1, 3, 3), False,
                                 dict(stride=3, groups=2)),
    "transposed-non-square": Case("conv_transpose2d", (1, 1, 3, 4), (1, 2, 2, 3), False,
                                  dict(stride=(3, 2), padding=(0, 1), output_padding=(2, 0))),
    "conv1d": Case("conv1d", (2, 2, 8), (3, 2, 3), True, dict(stride=2, padding=1)),
    "conv1d-dilated-grouped": Case("conv1d", (1, 4, 9), (4, 2, 3), False,
                                   dict(dilation=2, groups=2)),
    "conv1d-same-circular": Case("conv1d", (2, 6), (1, 2, 4), True,
                                 dict(padding="same", padding_mode="circular")),
    "transposed1d-output-padding": Case("conv_transpose1d", (1, 2, 4), (2, 3, 3), True,
                                        dict(stride=3, padding=1, output_padding=2)),
    "max-pool": Case("max_pool2d", (1, 2, 4, 4), None, False, dict(kernel_size=2)),
    "max-pool-padded-dilated": Case("max_pool2d", (2, 1, 7, 6), None, False,
                                    dict(kernel_size=3, stride=2, padding=1, dilation=2)),
    "max-pool-ceil-indices": Case("max_pool2d", (1, 2, 5, 5), None, False,
                                  dict(kernel_size=2, padding=1, ceil_mode=True,
                                       return_indices=True)),
    "avg-pool": Case("avg_pool2d", (1, 2, 5, 5), None, False,
                     dict(kernel_size=3, stride=2, padding=1)),
    "avg-pool-ceil-no-pad": Case("avg_pool2d", (2, 1, 5, 6), None, False,
                                 dict(kernel_size=(3, 2), stride=2, padding=1, ceil_mode=True,
                                      count_include_pad=False)),
    "avg-pool-divisor": Case("avg_pool2d", (1, 1, 4, 5), None, False,
                             dict(kernel_size=2, stride=1, divisor_override=3)),
    "max-pool1d-ceil-dropped": Case("max_pool1d", (1, 2, 5), None, False,
                                    dict(kernel_size=2, stride=2, padding=1, ceil_mode=True,
                                         return_indices=True)),
    "avg-pool1d-ceil": Case("avg_pool1d", (2, 7), None, False,
                            dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
}


@pytest.mark.parametrize("name", TABLE)
def test_parity_table_equals_torch(torch, name):
    assert check_against_torch(torch, TABLE[name]) == "computed"


@pytest.mark.parametrize("name", TABLE)
def test_parity_table_equals_the_loop_reference(name):
    assert check_against_reference(TABLE[name]) == "computed"


# ---- golden values: PyTorch's float64 outputs, kept in tests/golden_values.json -------------
def describe(case: Case) -> dict:
    """``case`` as JSON data: how to make the inputs (seed 0) and call the op."""
    return json.loads(json.dumps({**case._asdict(), "seed": 0}))


def split(out) -> tuple[np.ndarray, np.ndarray | None]:
    """An op's output as (values, indices): indices only for max pooling's return_indices."""
    return out if isinstance(out, tuple) else (out, None)


def record_golden(path: Path = GOLDEN) -> None:
    """Write every table case with PyTorch's float64 output, one case a line."""
    import torch
    lines = []
    for name, case in TABLE.items():
        values, indices = split(torch_output(torch, case, np.float64))
        stored = {**describe(case), "expected": values.tolist()}
        if indices is not None:
            stored["indices"] = indices.tolist()
        lines.append(f"  {json.dumps(name)}: {json.dumps(stored)}")
    path.write_text("{\n" + ",\n".join(lines) + "\n}\n")


GOLDEN_CASES = json.loads(GOLDEN.read_text()) if GOLDEN.exists() else {}


def golden_case(stored: dict) -> Case:
    """The Case a golden entry describes."""
    w_shape = stored["w_shape"]
    return Case(stored["op"], tuple(stored["x_shape"]), w_shape and tuple(w_shape),
                stored["bias"], stored["kwargs"])


def test_golden_file_has_every_table_case():
    assert list(GOLDEN_CASES) == list(TABLE), "re-record: python -m tests.test_engine --record"
    for name, case in TABLE.items():
        stored = {key: value for key, value in GOLDEN_CASES[name].items()
                  if key not in ("expected", "indices")}
        assert stored == describe(case), name


@pytest.mark.parametrize("name", GOLDEN_CASES)
def test_golden_values(name):
    stored = GOLDEN_CASES[name]
    case = golden_case(stored)
    x, w, b = inputs(case, np.float64, stored["seed"])
    for module in (engine, reference):
        values, indices = split(call(module, case, x, w, b))
        np.testing.assert_allclose(values, np.array(stored["expected"]), rtol=1e-12, atol=1e-12)
        if "indices" in stored:
            np.testing.assert_array_equal(indices, stored["indices"])


@pytest.mark.parametrize("name", GOLDEN_CASES)
def test_golden_values_are_still_what_torch_computes(torch, name):
    values, indices = split(torch_output(torch, TABLE[name], np.float64))
    np.testing.assert_allclose(GOLDEN_CASES[name]["expected"], values, rtol=1e-12, atol=1e-12)
    if indices is not None:
        np.testing.assert_array_equal(GOLDEN_CASES[name]["indices"], indices)


# ---- refusals and the API's shape ----------------------------------------------------------
x1, w3 = (1, 1, 5, 5), (1, 1, 3, 3)
REFUSALS = {
    "stride 0": (Case("conv2d", x1, w3, False, dict(stride=0)), "stride must be >= 1, got 0"),
    "dilation (1, 0)": (Case("conv2d", x1, w3, False, dict(dilation=(1, 0))),
                        "dilation must be >= 1, got (1, 0)"),
    "negative padding": (Case("conv2d", x1, w3, False, dict(padding=-1)),
                         "padding must be >= 0, got -1"),
    "padding 'half'": (Case("conv2d", x1, w3, False, dict(padding="half")),
                       "padding must be an int, a pair, 'same' or 'valid', got 'half'"),
    "same strided": (Case("conv2d", x1, w3, False, dict(padding="same", stride=(1, 2))),
                     "padding='same' needs stride 1, got stride (1, 2)"),
    "kernel too big": (Case("conv2d", x1, (1, 1, 6, 3), False, {}), "kernel_size must be <= 5"),
    "channels": (Case("conv2d", (1, 2, 5, 5), w3, False, {}), "input has 2 channels"),
    "groups": (Case("conv2d", (1, 2, 5, 5), (3, 1, 3, 3), False, dict(groups=2)),
               "out_channels must be divisible by groups=2, got 3"),
    "groups 0": (Case("conv2d", x1, w3, False, dict(groups=0)), "groups must be an int >= 1"),
    "2-D input": (Case("conv2d", (5, 5), w3, False, {}), "input must have shape (C, H, W)"),
    "3-D weight": (Case("conv2d", x1, (1, 3, 3), False, {}), "weight must have shape"),
    "reflect": (Case("conv2d", x1, w3, False, dict(padding=5, padding_mode="reflect")),
                "padding 5 with padding_mode='reflect' must be <= 4"),
    "circular": (Case("conv2d", x1, w3, False, dict(padding=6, padding_mode="circular")),
                 "padding 6 with padding_mode='circular' must be <= 5"),
    "padding mode": (Case("conv2d", x1, w3, False, dict(padding_mode="mirror")),
                     "padding_mode must be one of zeros, reflect, replicate, circular"),
    "output_padding": (Case("conv_transpose2d", x1, w3, False, dict(output_padding=(0, 1))),
                       "output_padding must be < max(stride, dilation) = 1, got (0, 1)"),
    "crop too much": (Case("conv_transpose2d", (1, 1, 1, 1), w3, False, dict(padding=2)),
                      "padding must be <= 1 here (it crops the output), got 2"),
    "transposed same": (Case("conv_transpose2d", x1, w3, False, dict(padding="same")),
                        "padding of a transposed convolution must be an int or a pair"),
    "transposed groups": (Case("conv_transpose2d", (1, 3, 5, 5), (3, 1, 3, 3), False,
                               dict(groups=2)), "in_channels must be divisible by groups=2"),
    "conv1d stride pair": (Case("conv1d", (1, 1, 8), (1, 1, 3), False, dict(stride=(1, 2))),
                           "stride must be an int, got (1, 2)"),
    "conv1d 4-D input": (Case("conv1d", x1, (1, 1, 3), False, {}),
                         "input must have shape (C, L) or (N, C, L)"),
    "conv1d kernel too long": (Case("conv1d", (1, 1, 8), (1, 1, 5), False, dict(dilation=2)),
                               "kernel_size must be <= 4 for a padded input of 8 with dilation 2"),
    "conv1d reflect": (Case("conv1d", (1, 1, 4), (1, 1, 3), False,
                            dict(padding=4, padding_mode="reflect")),
                       "padding 4 with padding_mode='reflect' must be <= 3 for an input of size 4"),
    "conv1d same strided": (Case("conv1d", (1, 1, 8), (1, 1, 3), False,
                                 dict(padding="same", stride=2)), "padding='same' needs stride 1"),
    "transposed1d same": (Case("conv_transpose1d", (1, 1, 4), (1, 1, 3), False,
                               dict(padding="same")), "must be an int or a pair, got 'same'"),
    "transposed1d output_padding": (Case("conv_transpose1d", (1, 1, 4), (1, 1, 3), False,
                                         dict(stride=2, output_padding=2)),
                                    "output_padding must be < max(stride, dilation) = 2, got 2"),
    "pool padding > half": (Case("max_pool2d", x1, None, False, dict(kernel_size=2, padding=2)),
                            "padding must be <= kernel_size // 2 = 1, got 2"),
    "pool padding > half, dilated": (Case("max_pool2d", x1, None, False,
                                          dict(kernel_size=3, padding=2, dilation=2)),
                                     "padding must be <= kernel_size // 2 = 1, got 2"),
    "pool window too long": (Case("avg_pool2d", x1, None, False, dict(kernel_size=6)),
                             "kernel_size must be <= 5 for a padded input of 5 x 5"),
    "pool window too long in ceil mode": (Case("max_pool1d", (1, 1, 5), None, False,
                                               dict(kernel_size=4, stride=1, dilation=2,
                                                    ceil_mode=True)),
                                          "kernel_size must be <= 3 for a padded input of 5"),
    "pool stride 0": (Case("max_pool2d", x1, None, False, dict(kernel_size=2, stride=0)),
                      "stride must be >= 1, got 0"),
    "pool kernel 0": (Case("avg_pool1d", (1, 1, 5), None, False, dict(kernel_size=0)),
                      "kernel_size must be >= 1, got 0"),
    "pool kernel triple": (Case("max_pool2d", x1, None, False, dict(kernel_size=(2, 2, 2))),
                           "kernel_size must be an int or a pair"),
    "pool1d kernel pair": (Case("avg_pool1d", (1, 1, 5), None, False, dict(kernel_size=(2, 2))),
                           "kernel_size must be an int, got (2, 2)"),
    "divisor 0": (Case("avg_pool2d", x1, None, False, dict(kernel_size=2, divisor_override=0)),
                  "divisor_override must be a nonzero int or None, got 0"),
    "divisor float": (Case("avg_pool2d", x1, None, False,
                           dict(kernel_size=2, divisor_override=2.0)),
                      "divisor_override must be a nonzero int or None, got 2.0"),
    "ceil_mode 1": (Case("max_pool2d", x1, None, False, dict(kernel_size=2, ceil_mode=1)),
                    "ceil_mode must be True or False, got 1"),
    "count_include_pad 0": (Case("avg_pool1d", (1, 1, 5), None, False,
                                 dict(kernel_size=2, count_include_pad=0)),
                            "count_include_pad must be True or False, got 0"),
    "pool empty channels": (Case("max_pool2d", (1, 0, 4, 4), None, False, dict(kernel_size=2)),
                            "input must have shape (C, H, W) or (N, C, H, W) with C, H, W >= 1"),
    "pool1d 4-D input": (Case("max_pool1d", x1, None, False, dict(kernel_size=2)),
                         "input must have shape (C, L) or (N, C, L)"),
}


@pytest.mark.parametrize("name", REFUSALS)
def test_refusals_name_parameter_value_and_range(name):
    case, words = REFUSALS[name]
    with pytest.raises(ConvVizError) as caught:
        run(engine, case)
    assert words in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize("name", REFUSALS)
def test_refusals_are_torch_refusals(torch, name):
    with pytest.raises(TORCH_REFUSES):
        torch_output(torch, REFUSALS[name][0])


@pytest.mark.parametrize("name, value", [("stride", (2,)), ("padding", [1]), ("dilation", (2,)),
                                         ("output_padding", (1,))])
def test_a_one_element_sequence_stands_for_both_axes_as_in_torch(torch, name, value):
    op = "conv_transpose2d" if name == "output_padding" else "conv2d"
    kwargs = {name: value, **({"stride": 2} if op == "conv_transpose2d" else {})}
    case = Case(op, (1, 2, 5, 6), (2, 2, 3, 3), True, kwargs)
    assert check_against_torch(torch, case) == "computed"
    np.testing.assert_array_equal(run(engine, case), run(engine, case._replace(
        kwargs={**kwargs, name: value[0]})))


def test_bias_of_the_wrong_shape_is_refused():
    with pytest.raises(ConvVizError, match=r"bias must have shape \(1,\), got \(2,\)"):
        engine.conv2d(np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2)), np.ones(2))


def params(op) -> list[tuple]:
    """``(name, default, kind)`` of each parameter of ``op``."""
    return [(p.name, p.default, p.kind.name) for p in inspect.signature(op).parameters.values()]


EMPTY, POS, KW = inspect.Parameter.empty, "POSITIONAL_OR_KEYWORD", "KEYWORD_ONLY"
SIGNATURES = {  # torch.nn.functional's (and nn.Conv2d's / nn.Conv1d's keyword padding_mode)
    "conv2d": [("input", EMPTY, POS), ("weight", EMPTY, POS), ("bias", None, POS),
               ("stride", 1, POS), ("padding", 0, POS), ("dilation", 1, POS),
               ("groups", 1, POS), ("padding_mode", "zeros", KW)],
    "conv_transpose2d": [("input", EMPTY, POS), ("weight", EMPTY, POS), ("bias", None, POS),
                         ("stride", 1, POS), ("padding", 0, POS), ("output_padding", 0, POS),
                         ("groups", 1, POS), ("dilation", 1, POS)],
    "max_pool2d": [("input", EMPTY, POS), ("kernel_size", EMPTY, POS), ("stride", None, POS),
                   ("padding", 0, POS), ("dilation", 1, POS), ("ceil_mode", False, POS),
                   ("return_indices", False, POS)],
    "avg_pool2d": [("input", EMPTY, POS), ("kernel_size", EMPTY, POS), ("stride", None, POS),
                   ("padding", 0, POS), ("ceil_mode", False, POS),
                   ("count_include_pad", True, POS), ("divisor_override", None, POS)],
}
SIGNATURES |= {"conv1d": SIGNATURES["conv2d"], "conv_transpose1d": SIGNATURES["conv_transpose2d"],
               "max_pool1d": SIGNATURES["max_pool2d"], "avg_pool1d": SIGNATURES["avg_pool2d"][:-1]}


@pytest.mark.parametrize("op", SIGNATURES)
def test_signatures_mirror_torch(op):
    """Names, order, defaults and keyword-only parts as in torch.nn.functional (and nn.Conv2d);
    the loop reference has the same."""
    fast, slow = (pooling, pool_reference) if op in POOLS else \
        (engine1d if op.endswith("1d") else engine, reference)
    assert params(getattr(fast, op)) == SIGNATURES[op]
    assert params(getattr(slow, op)) == SIGNATURES[op]


def torch_signature(torch, op: str) -> list[tuple]:
    """``(name, default)`` of each parameter of ``torch.nn.functional.<op>``, read off its
    Python signature or, for a builtin, the first line of its docstring."""
    functional = torch.nn.functional
    function = getattr(functional, f"{op}_with_indices", None) or getattr(functional, op)
    try:
        return [(p.name, p.default) for p in inspect.signature(function).parameters.values()]
    except ValueError:                                  # a builtin: "conv1d(input, ...) -> Tensor"
        line = next(t for t in function.__doc__.splitlines() if t.strip()).strip()
        tree = ast.parse(f"def f{line[len(op):].split(' -> ')[0]}: pass").body[0].args
        defaults = [EMPTY] * (len(tree.args) - len(tree.defaults)) + [
            ast.literal_eval(d) for d in tree.defaults]
        return [(a.arg, d) for a, d in zip(tree.args, defaults)]


@pytest.mark.parametrize("op", SIGNATURES)
def test_signatures_are_torch_functionals_own(torch, op):
    ours = [(name, default) for name, default, kind in SIGNATURES[op] if kind == POS]
    assert ours == torch_signature(torch, op)


@pytest.mark.parametrize("op", ["conv2d", "conv_transpose2d", "conv1d", "conv_transpose1d",
                                *POOLS])
def test_float32_stays_float32_and_an_empty_batch_works(op):
    spatial = (5,) if op.endswith("1d") else (5, 5)
    pool = op in POOLS
    case = Case(op, (0, 2, *spatial), None if pool else (2, 2, *(3,) * len(spatial)), not pool,
                dict(kernel_size=2) if pool else {})
    out = run(engine, case, np.float32)
    assert out.dtype == np.float32 and out.shape[:2] == (0, 2)
    assert run(engine, TABLE["padded"], np.float32).dtype == np.float32


# ---- pad: torch.nn.functional.pad ---------------------------------------------------------
PAD_MODES = ("constant", "reflect", "replicate", "circular")


@st.composite
def pad_cases(draw) -> tuple[tuple[int, ...], tuple[int, ...], str, float | None]:
    """``(shape, pad, mode, value)``: 1-5 axes of 1-5 cells, 0-4 pairs of pads in -6..6."""
    shape = tuple(draw(st.lists(st.integers(1, 5), min_size=1, max_size=5)))
    pad = tuple(draw(st.lists(st.integers(-6, 6), min_size=0, max_size=8)))
    mode = draw(st.sampled_from(PAD_MODES))
    value = draw(st.sampled_from([None, None, 1.5, -2.0])) if mode == "constant" else None
    return shape, pad, mode, value


def wraps_nothing(shape: tuple[int, ...], pad: tuple[int, ...]) -> bool:
    """A circular pad that crops an axis and then wraps what is left of it more than once
    (or wraps nothing): PyTorch refuses it for one channel ("some elements of the input
    tensor and the written-to tensor refer to a single memory location") and computes it for
    two (``(1, 1, 2)`` against ``(1, 2, 2)``, pad ``(-1, 2)``); convviz always refuses."""
    pairs = [pad[i:i + 2] for i in range(0, len(pad), 2)]
    return len(pad) % 2 == 0 and any(size + min(b, 0) + min(a, 0) < max(b, a) and
                                     min(b, a) < 0 for size, (b, a) in
                                     zip(reversed(shape), pairs))


def empties(shape: tuple[int, ...], pad: tuple[int, ...]) -> bool:
    """A pad that leaves an axis with no cells."""
    pairs = [pad[i:i + 2] for i in range(0, len(pad), 2)]
    return len(pad) % 2 == 0 and any(size + b + a == 0
                                     for size, (b, a) in zip(reversed(shape), pairs))


@given(case=pad_cases())
def test_pad_equals_torch_and_refuses_what_it_refuses(torch, case):
    shape, pad, mode, value = case
    x = np.random.default_rng(0).standard_normal(shape)
    if (mode == "circular" and wraps_nothing(shape, pad)) or (
            mode in ("reflect", "replicate") and empties(shape, pad)):
        with pytest.raises(ConvVizError):       # PyTorch returns uninitialised memory, or
            engine.pad(x, pad, mode)            # refuses or not depending on the axis
        return
    try:
        expected = torch.nn.functional.pad(torch.from_numpy(x), pad, mode, value).numpy()
    except (RuntimeError, ValueError, NotImplementedError, IndexError):
        with pytest.raises(ConvVizError):
            engine.pad(x, pad, mode, value)
        event("refused")
        return
    event("computed")
    actual = engine.pad(x, pad, mode, value)
    assert actual.shape == expected.shape and actual.dtype == expected.dtype
    np.testing.assert_array_equal(actual, expected)


@pytest.mark.parametrize("mode, padding_mode", [("constant", "zeros"), ("reflect", "reflect"),
                                                ("replicate", "replicate"),
                                                ("circular", "circular")])
def test_pad_equals_the_loop_reference(mode, padding_mode):
    x = np.random.default_rng(0).standard_normal((2, 3, 4, 5))
    for top, bottom, left, right in [(0, 1, 2, 3), (3, 0, 1, 1), (1, 2, 0, 4)]:
        np.testing.assert_array_equal(
            engine.pad(x, (left, right, top, bottom), mode),
            reference.pad(x, (top, bottom, left, right), padding_mode))


@pytest.mark.parametrize("call, words", [
    (lambda x: engine.pad(x, (1,)), "pad must hold an even number of ints, at most 2 * 4"),
    (lambda x: engine.pad(x, (1, 1) * 5), "pad must hold an even number of ints"),
    (lambda x: engine.pad(x, (1.5, 1)), "pad must be a sequence of ints, got (1.5, 1)"),
    (lambda x: engine.pad(x, (1, 1), "mirror"), "mode must be one of constant, reflect"),
    (lambda x: engine.pad(x, (5, 0, 0, 0), "reflect"), "must be <= 4 for mode='reflect'"),
    (lambda x: engine.pad(x, (1, 1), "reflect"), "mode='reflect' pads the last 1, 2 or 3 axes"),
    (lambda x: engine.pad(x, (1, 1, 0, 0), "reflect", 0.0), "value must be None for mode"),
    (lambda x: engine.pad(x, (-4, -3)), "crops more than its size 5"),
])
def test_pad_refusals_are_one_line(call, words):
    with pytest.raises(ConvVizError) as caught:
        call(np.zeros((1, 2, 4, 5)))
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_pad_signature_mirrors_torch(torch):
    ours = inspect.signature(engine.pad).parameters
    theirs = inspect.signature(torch.nn.functional.pad).parameters
    assert [(p.name, p.default) for p in ours.values()] == \
        [(p.name, p.default) for p in theirs.values()]


# ---- hostile values and sizes (issue #17, rows 15-17) -------------------------------------
NON_FINITE = {
    "plain": Case("conv_transpose2d", (1, 1, 2, 2), (1, 1, 3, 3), False, {}),
    "strided-cropped": Case("conv_transpose2d", (1, 1, 3, 2), (1, 1, 3, 3), True,
                            dict(stride=2, padding=1, output_padding=1)),
    "grouped-dilated": Case("conv_transpose2d", (2, 2, 3, 3), (2, 2, 2, 3), False,
                            dict(groups=2, dilation=(2, 1), padding=(1, 0))),
    "conv2d-padded": Case("conv2d", (1, 1, 3, 3), (1, 1, 3, 3), False, dict(padding=1)),
}


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("name", NON_FINITE)
@pytest.mark.parametrize("where", ["weight", "input"])
def test_nan_and_inf_reach_exactly_the_cells_torchs_reach(torch, value, name, where):
    """Row 15: a nan in a transposed convolution's weight gave 16 nans where torch gives 4
    (the zeros around the input were multiplied by it); in float64 they now agree cell by
    cell, nan, inf and -inf alike, and the loop reference agrees too."""
    case = NON_FINITE[name]
    x, w, b = inputs(case)
    (x if where == "input" else w)[(0,) * 4] = value
    torch_args = [None if a is None else torch.from_numpy(a) for a in (x, w, b)]
    expected = getattr(torch.nn.functional, case.op)(*torch_args, **case.kwargs).numpy()
    for module in (engine, reference):
        actual = getattr(module, case.op)(x, w, b, **case.kwargs)
        np.testing.assert_array_equal(np.isnan(actual), np.isnan(expected))
        np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=1e-12)


def test_huge_strides_compute_only_where_taps_land(torch):
    """Row 16: stride 1000 took 22 s (every one of the 1000 x 1000 output phases was computed),
    stride 10**9 ran out of memory; now the answer is torch's, and an output that cannot fit
    is refused before anything is made."""
    x, w = np.ones((1, 1, 3, 3)), np.ones((1, 1, 1, 1))
    out = engine.conv_transpose2d(x, w, stride=1000)
    expected = torch.nn.functional.conv_transpose2d(torch.ones(1, 1, 3, 3, dtype=torch.float64),
                                                    torch.ones(1, 1, 1, 1, dtype=torch.float64),
                                                    stride=1000).numpy()
    np.testing.assert_array_equal(out, expected)
    assert out.shape == (1, 1, 2001, 2001) and out.sum() == 9
    assert engine.conv_transpose2d(np.ones((1, 1, 1, 1)), w, stride=10 ** 9).shape == (1, 1, 1, 1)
    with pytest.raises(ConvVizError, match="would need .* EiB"):
        engine.conv_transpose2d(x, w, stride=10 ** 9)


@pytest.mark.parametrize("call", [
    lambda: engine.conv2d(np.ones((1, 1, 1, 1)), np.ones((1, 1, 1, 1)), padding=10 ** 6),
    lambda: engine.conv2d(np.ones((1, 1, 1, 1)), np.ones((1, 1, 1, 1)), padding=10 ** 6,
                          padding_mode="replicate"),
    lambda: engine.conv2d(np.ones((1, 1, 1, 1)), np.ones((1, 1, 1, 1)), padding=(10 ** 12, 0)),
    lambda: engine.conv_transpose2d(np.ones((1, 1, 2, 2)), np.ones((1, 1, 2, 2)),
                                    dilation=10 ** 7),
    lambda: engine.conv_transpose2d(np.ones((1, 1, 2, 1)), np.ones((1, 1, 1, 1)),
                                    stride=(10 ** 18, 1)),
    lambda: reference.conv2d(np.ones((1, 1, 1, 1)), np.ones((1, 1, 1, 1)), padding=10 ** 9),
], ids=["padding", "replicate", "one axis", "dilation", "int64 stride", "reference"])
def test_sizes_that_cannot_fit_are_refused_before_anything_is_made(call):
    """Row 17: raw MemoryError and ValueError (from NumPy) became one-line refusals."""
    with pytest.raises(ConvVizError) as caught:
        call()
    assert "would need" in str(caught.value) and "\n" not in str(caught.value)


if __name__ == "__main__" and sys.argv[1:] == ["--record"]:
    record_golden()
    print(f"wrote {GOLDEN}")
