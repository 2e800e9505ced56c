"""The engine against PyTorch (float32, 1e-5), the loop reference (float64, 1e-10), golden values.

Every comparison with PyTorch goes through the session fixture ``torch`` (a tagged skip when it
is not installed). Without it, the reference comparisons and the golden values recorded from
PyTorch still run. After changing the parity table, re-record the golden values with

    python -m tests.test_engine --record
"""
from __future__ import annotations

import inspect
import json
import sys
import warnings
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from convviz.errors import ConvVizError
from convviz.ops import engine, reference
from convviz.ops.spec import ConvSpec

GOLDEN = Path(__file__).with_name("golden_values.json")
PADDING_MODES = ("zeros", "reflect", "replicate", "circular")
TORCH_REFUSES = (RuntimeError, ValueError, TypeError)


class Case(NamedTuple):
    """One call: ``op`` (engine function name), shapes, whether there is a bias, keywords."""

    op: str
    x_shape: tuple[int, ...]
    w_shape: tuple[int, ...]
    bias: bool
    kwargs: dict

    @property
    def c_out(self) -> int:
        groups = self.kwargs.get("groups", 1)
        return self.w_shape[0] if self.op == "conv2d" else self.w_shape[1] * groups


def inputs(case: Case, dtype=np.float64, seed: int = 0):
    """``(x, w, b)`` for ``case``: standard normal draws from ``default_rng(seed)``."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(case.x_shape).astype(dtype)
    w = rng.standard_normal(case.w_shape).astype(dtype)
    b = rng.standard_normal(case.c_out).astype(dtype) if case.bias else None
    return x, w, b


def run(module, case: Case, dtype=np.float64) -> np.ndarray:
    """``case`` computed by ``module`` (:mod:`convviz.engine` or :mod:`convviz.reference`)."""
    x, w, b = inputs(case, dtype)
    return getattr(module, case.op)(x, w, b, **case.kwargs)


def _refuse_empty(out):
    """``out``, or PyTorch's own refusal where its float32 grouped transposed path forgets it.

    PyTorch refuses a transposed convolution whose output would have a size < 1 ("Output size
    is too small"), except in float32 with groups > 1, where it returns an empty tensor for a
    size of 0 (and a oneDNN error below). convviz refuses, as the other paths of PyTorch do.
    """
    if min(out.shape[-2:]) == 0:
        raise RuntimeError(f"Output size is too small: {tuple(out.shape)}")
    return out


def torch_output(torch, case: Case, dtype=np.float32) -> np.ndarray:
    """What PyTorch computes for ``case``; a padding_mode goes through ``nn.Conv2d`` itself."""
    functional = torch.nn.functional
    x, w, b = (None if a is None else torch.from_numpy(a) for a in inputs(case, dtype))
    kwargs = dict(case.kwargs)
    mode = kwargs.pop("padding_mode", "zeros")
    with warnings.catch_warnings(), torch.no_grad():
        warnings.filterwarnings("ignore", "Using padding='same'", UserWarning)
        if case.op == "conv_transpose2d":
            return _refuse_empty(functional.conv_transpose2d(x, w, b, **kwargs)).numpy()
        if mode == "zeros":
            return functional.conv2d(x, w, b, **kwargs).numpy()
        groups = kwargs.pop("groups", 1)
        layer = torch.nn.Conv2d(case.w_shape[1] * groups, case.w_shape[0], case.w_shape[2:],
                                groups=groups, bias=case.bias, padding_mode=mode, **kwargs)
        layer = layer.to(x.dtype)
        layer.weight.copy_(w)
        if b is not None:
            layer.bias.copy_(b)
        return layer(x).numpy()


def check_against_torch(torch, case: Case) -> str:
    """Assert the engine refuses what PyTorch refuses and otherwise gives its float32 output."""
    try:
        expected = torch_output(torch, case)
    except TORCH_REFUSES:
        with pytest.raises(ConvVizError):
            run(engine, case, np.float32)
        return "refused"
    actual = run(engine, case, np.float32)
    assert actual.shape == expected.shape and actual.dtype == expected.dtype
    np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-5)
    return "computed"


def check_against_reference(case: Case) -> str:
    """Assert the engine equals the loop reference in float64, refusals included."""
    try:
        expected = run(reference, case)
    except ConvVizError:
        with pytest.raises(ConvVizError):
            run(engine, case)
        return "refused"
    actual = run(engine, case)
    assert actual.shape == expected.shape and actual.dtype == expected.dtype
    np.testing.assert_allclose(actual, expected, rtol=1e-10, atol=1e-10)
    return "computed"


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
    """Input shape (N in 1..2, or an unbatched 3-D input) and weight shape, sizes non-square."""
    n = draw(st.tuples(st.integers(1, 12), st.integers(1, 12)))
    k = draw(st.tuples(st.integers(1, 5), st.integers(1, 5)))
    batch = draw(st.sampled_from([1, 2, None]))
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


any_case = st.one_of(conv_cases(), transposed_cases())


# ---- properties -------------------------------------------------------------------------
@given(case=conv_cases())
def test_conv2d_equals_torch_and_refuses_what_it_refuses(torch, case):
    event(check_against_torch(torch, case))


@given(case=transposed_cases())
def test_conv_transpose2d_equals_torch_and_refuses_what_it_refuses(torch, case):
    event(check_against_torch(torch, case))


@given(case=conv_cases())
def test_conv2d_equals_the_loop_reference(case):
    event(check_against_reference(case))


@given(case=transposed_cases())
def test_conv_transpose2d_equals_the_loop_reference(case):
    event(check_against_reference(case))


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


def record_golden(path: Path = GOLDEN) -> None:
    """Write every table case with PyTorch's float64 output, one case a line."""
    import torch
    lines = []
    for name, case in TABLE.items():
        stored = {**describe(case), "expected": torch_output(torch, case, np.float64).tolist()}
        lines.append(f"  {json.dumps(name)}: {json.dumps(stored)}")
    path.write_text("{\n" + ",\n".join(lines) + "\n}\n")


GOLDEN_CASES = json.loads(GOLDEN.read_text()) if GOLDEN.exists() else {}


def test_golden_file_has_every_table_case():
    assert list(GOLDEN_CASES) == list(TABLE), "re-record: python -m tests.test_engine --record"
    for name, case in TABLE.items():
        stored = {key: value for key, value in GOLDEN_CASES[name].items() if key != "expected"}
        assert stored == describe(case), name


@pytest.mark.parametrize("name", GOLDEN_CASES)
def test_golden_values(name):
    stored = GOLDEN_CASES[name]
    case = Case(stored["op"], tuple(stored["x_shape"]), tuple(stored["w_shape"]), stored["bias"],
                stored["kwargs"])
    x, w, b = inputs(case, np.float64, stored["seed"])
    for module in (engine, reference):
        actual = getattr(module, case.op)(x, w, b, **case.kwargs)
        np.testing.assert_allclose(actual, np.array(stored["expected"]), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", GOLDEN_CASES)
def test_golden_values_are_still_what_torch_computes(torch, name):
    expected = torch_output(torch, TABLE[name], np.float64)
    np.testing.assert_allclose(GOLDEN_CASES[name]["expected"], expected, rtol=1e-12, atol=1e-12)


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


def test_signatures_mirror_torch():
    """Names, order, defaults and keyword-only parts as in torch.nn.functional (and nn.Conv2d)."""
    def params(op):
        return [(p.name, p.default, p.kind.name) for p in inspect.signature(op).parameters.values()]
    empty, pos, kw = inspect.Parameter.empty, "POSITIONAL_OR_KEYWORD", "KEYWORD_ONLY"
    assert params(engine.conv2d) == [
        ("input", empty, pos), ("weight", empty, pos), ("bias", None, pos), ("stride", 1, pos),
        ("padding", 0, pos), ("dilation", 1, pos), ("groups", 1, pos),
        ("padding_mode", "zeros", kw)]
    assert params(engine.conv_transpose2d) == [
        ("input", empty, pos), ("weight", empty, pos), ("bias", None, pos), ("stride", 1, pos),
        ("padding", 0, pos), ("output_padding", 0, pos), ("groups", 1, pos),
        ("dilation", 1, pos)]
    for op in ("conv2d", "conv_transpose2d"):
        assert params(getattr(reference, op)) == params(getattr(engine, op))


@pytest.mark.parametrize("op", ["conv2d", "conv_transpose2d"])
def test_float32_stays_float32_and_an_empty_batch_works(op):
    case = Case(op, (0, 2, 5, 5), (2, 2, 3, 3), True, {})
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
    """A circular pad that crops an axis away and then wraps around what is left of it."""
    pairs = [pad[i:i + 2] for i in range(0, len(pad), 2)]
    return len(pad) % 2 == 0 and any(size + min(b, 0) + min(a, 0) <= 0 < max(b, a)
                                     for size, (b, a) in zip(reversed(shape), pairs))


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


if __name__ == "__main__" and sys.argv[1:] == ["--record"]:
    record_golden()
    print(f"wrote {GOLDEN}")
