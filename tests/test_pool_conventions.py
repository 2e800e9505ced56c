"""Pooling under the framework conventions against the frameworks (issue #15): JAX's
``lax.reduce_window`` (TensorFlow/Keras/JAX's "SAME"; an average over the real cells divided by
a reduce_window over ones, as TensorFlow and ``flax.linen.avg_pool(count_include_pad=False)``
do), ONNX Runtime's one-node ``MaxPool`` / ``AveragePool`` (SAME_UPPER, SAME_LOWER, explicit
pads, ceil_mode, count_include_pad), and the code lines convviz writes, run as printed. Random
2-D cases (k 1-5, s 1-4, n 1-20, max and average) compare the resolved pads, output sizes and
values of the engine run with those pads. Without the oracles these skip ("needs jax",
"needs onnxruntime"); the refusals and the spec's own route are checked without them.

What ONNX Runtime 1.32 does where it parts from TensorFlow/JAX (found here, tested below): with
``auto_pad`` SAME_* and a window that does not reach the last input cell (negative padding),
its ``MaxPool`` refuses ("padding values must be non-negative") and its ``AveragePool`` starts
past cell 0 from need <= -2 (SAME_UPPER) / <= -3 (SAME_LOWER); ``ceil_mode`` changes nothing
under SAME_* and rounds up under VALID and explicit pads, dropping a last window that would
start in the right padding as PyTorch does (ONNX's shape inference keeps it); its SAME_* with a
dilated MaxPool pads as if the window were not dilated (convviz refuses that); a MaxPool window
that holds padding only gives float32's lowest value, where PyTorch, JAX and convviz give −∞.
"""
from __future__ import annotations

import types
import warnings

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from convviz.errors import ConvVizError
from convviz.ops import conventions
from convviz.ops.frameworks import code, differences
from convviz.ops.pool_conventions import pool
from convviz.ops.spec import ConvSpec
from convviz.sample import Numbers

AXIS = st.tuples(st.integers(1, 20), st.integers(1, 5), st.integers(1, 4))
"""One axis: ``(n, k, s)``."""


@st.composite
def cases(draw, names: tuple[str, ...]) -> dict:
    """A random 2-D pooling configuration the convention's framework has: its padding
    (same, valid or numbers where it takes them), ceil_mode and count_include_pad where it has
    them, dilation for max pooling (1 under TensorFlow, and with ONNX's SAME)."""
    name = draw(st.sampled_from(names))
    (h, kh, sh), (w, kw, sw) = draw(AXIS), draw(AXIS)
    mode = draw(st.sampled_from(["maxpool", "avgpool"]))
    kinds = ["same", "same", "valid"] + ([] if name == "tensorflow" else ["numbers"])
    padding = draw(st.sampled_from(kinds))
    if padding == "numbers":
        padding = (draw(st.integers(0, kh // 2)), draw(st.integers(0, kw // 2)))
    case = {"mode": mode, "input_size": (h, w), "kernel_size": (kh, kw), "stride": (sh, sw),
            "padding": padding, "convention": name, "in_channels": draw(st.integers(1, 2))}
    if name.startswith("onnx"):
        case["ceil_mode"] = draw(st.booleans())
    if mode == "avgpool" and not (name == "tensorflow" and padding == "same"):
        case["count_include_pad"] = draw(st.booleans())
    if mode == "maxpool" and name != "tensorflow" and not (name.startswith("onnx") and
                                                           padding == "same"):
        case["dilation"] = (draw(st.sampled_from([1, 1, 2])), draw(st.sampled_from([1, 2])))
    return case


def numbers(spec: ConvSpec, dtype=np.float64) -> np.ndarray:
    """``x`` (2, C, H, W), standard normal draws."""
    return np.random.default_rng(0).standard_normal((2, *spec.input_shape[1:])).astype(dtype)


def build(case: dict) -> ConvSpec | None:
    """The case's spec, or None where convviz refuses it; it refuses only a window longer
    than the padded input (the frameworks give no output there), checked by the caller."""
    try:
        return ConvSpec(**case)
    except ConvVizError as error:
        assert "kernel_size must be <=" in str(error) or "needs a window that reaches" in \
            str(error), str(error)
        return None


# ---- the spec's own route, no oracle ----------------------------------------------------------
@given(case=cases(("tensorflow", "jax", "onnx-upper", "onnx-lower")))
def test_the_spec_pads_first_and_the_app_shows_the_same_numbers(case):
    """The engine run with the spec's pads (F.pad with −∞ or zeros, then the pooling) equals
    the pooling of the input padded by ``spec.pads`` read cell by cell; the app's numbers are
    these."""
    spec = build(case)
    if spec is None:
        event("refused")
        return
    x = numbers(spec)
    out = pool(spec, x)
    assert out.shape[2:] == spec.output_size
    assert spec.pre_pad is None or spec.pre_pad == conventions.torch_pad(spec.pads)
    np.testing.assert_allclose(out, by_hand(spec, x), rtol=1e-12, atol=1e-12)
    sample = Numbers(seed=3).sample(spec)
    np.testing.assert_array_equal(sample.output, pool(spec, sample.x[None])[0])
    if spec.operation.reduce == "max":
        _, index = pool(spec, x, return_indices=True)       # where a window holds an input
        real = np.isfinite(out)                              # cell (else −∞, as in PyTorch)
        flat = x.reshape(*x.shape[:2], -1)
        picked = np.take_along_axis(flat, np.where(real, index, 0).reshape(*x.shape[:2], -1),
                                    2).reshape(out.shape)
        np.testing.assert_array_equal(picked[real], out[real])
    event(f"{spec.mode} {case['padding'] if isinstance(case['padding'], str) else 'numbers'}")


def by_hand(spec: ConvSpec, x: np.ndarray) -> np.ndarray:
    """Each window of ``x`` padded by ``spec.pads`` (NaN marks padding): its max, or its sum
    over the cells counted (padding too with count_include_pad, never cells past the pads)."""
    top, bottom, left, right = spec.pads
    padded = np.pad(x, ((0, 0), (0, 0), (top, bottom + 8), (left, right + 8)),
                    constant_values=np.nan)
    limit = (top + spec.input_size[0] + bottom, left + spec.input_size[1] + right)
    (kh, kw), (sh, sw) = spec.kernel_size, spec.stride
    dh, dw = spec.dilation
    out = np.zeros((*x.shape[:2], *spec.output_size))
    for i in range(spec.output_size[0]):
        for j in range(spec.output_size[1]):
            rows = [i * sh + a * dh for a in range(kh) if i * sh + a * dh < limit[0]]
            cols = [j * sw + b * dw for b in range(kw) if j * sw + b * dw < limit[1]]
            window = padded[:, :, rows][:, :, :, cols].reshape(*x.shape[:2], -1)
            real = ~np.isnan(window)
            if spec.operation.reduce == "max":
                out[:, :, i, j] = np.where(real, window, -np.inf).max(axis=2)
            else:
                count = window.shape[2] if spec.count_include_pad else real.sum(axis=2)
                out[:, :, i, j] = np.where(real, window, 0).sum(axis=2) / count
    return out


@given(case=cases(("tensorflow", "jax", "onnx-upper", "onnx-lower")))
def test_the_pytorch_line_computes_what_the_engine_does(torch, case):
    """The PyTorch line the page shows for another framework's pooling (−∞ or zeros padded
    first; the window sums over those of ones for an average over the input cells), run."""
    spec = build(case)
    if spec is None:
        return
    x = numbers(spec)
    layer = eval(spec.torch_line(), {"nn": torch.nn, "torch": torch})   # noqa: S307 -- ours
    np.testing.assert_allclose(layer(torch.from_numpy(x)).numpy(), pool(spec, x), rtol=1e-12,
                               atol=1e-12)
    event("a lambda" if spec.torch_line().startswith("lambda") else "modules")


# ---- refusals ---------------------------------------------------------------------------------
@pytest.mark.parametrize("fields, words", [
    ({"mode": "maxpool", "input_size": 5, "kernel_size": 2, "padding": "same"},
     "padding must be an int or a pair under the pytorch convention in maxpool mode, got "
     "'same': PyTorch's pooling takes padding as numbers only, at any stride"),
    ({"mode": "avgpool", "padding": "valid", "stride": 1},
     "PyTorch's pooling takes padding as numbers only, at any stride"),
    ({"mode": "maxpool1d", "input_size": 6, "kernel_size": 2, "padding": "same"},
     "PyTorch's pooling takes padding as numbers only, at any stride"),
    ({"mode": "avgpool", "convention": "jax", "divisor_override": 2},
     "divisor_override must be None under the jax convention in avgpool mode, got 2: only "
     "PyTorch's AvgPool2d has it"),
    ({"mode": "maxpool", "convention": "tensorflow", "ceil_mode": True},
     "ceil_mode must be False under the tensorflow convention in maxpool mode, got True"),
    ({"mode": "avgpool", "convention": "jax", "ceil_mode": True},
     "jax.lax.reduce_window has no ceil_mode"),
    ({"mode": "maxpool", "convention": "tensorflow", "padding": 1},
     "padding must be 'same', 'valid' or 0 under the tensorflow convention in maxpool mode, "
     "got 1"),
    ({"mode": "maxpool", "convention": "tensorflow", "dilation": 2, "stride": 1},
     "dilation must be 1 under the tensorflow convention in maxpool mode, got 2"),
    ({"mode": "avgpool", "convention": "tensorflow", "padding": "same",
      "count_include_pad": True}, "count_include_pad must be False with padding='same'"),
    ({"mode": "maxpool", "convention": "onnx-lower", "padding": "same", "dilation": 2,
      "input_size": 8}, "pads auto_pad SAME_* as if the window were not dilated"),
    ({"mode": "avgpool", "convention": "onnx-upper", "padding": 2, "kernel_size": 3},
     "padding must be <= kernel_size // 2 = 1 under the onnx-upper convention in avgpool mode, "
     "got 2: convviz pools numbers with PyTorch's rules"),
    ({"mode": "maxpool", "convention": "onnx-upper", "padding": "same", "input_size": 4,
      "kernel_size": 1, "stride": 4}, "MaxPool refuses auto_pad's negative padding"),
])
def test_refusals_name_the_parameter_the_value_and_why(fields, words):
    with pytest.raises(ConvVizError, match="^[a-z_']+[ =]") as error:
        ConvSpec(**fields)
    assert words in str(error.value) and "\n" not in str(error.value)
    assert "needs stride 1" not in str(error.value)     # not the convolution's message


def test_each_convention_has_its_default_divisor_and_the_link_keeps_it():
    same = dict(mode="avgpool", input_size=5, kernel_size=3, stride=2, padding="same")
    assert ConvSpec(mode="avgpool").count_include_pad
    for name in ("tensorflow", "jax", "onnx-upper", "onnx-lower"):
        spec = ConvSpec(**same, convention=name)
        assert not spec.count_include_pad and ConvSpec.from_query(spec.to_query()) == spec
    counted = ConvSpec(**same, convention="onnx-upper", count_include_pad=True)
    assert "cip=1" in counted.to_query() and ConvSpec.from_query(counted.to_query()) == counted
    assert ConvSpec(mode="maxpool", convention="jax").count_include_pad      # not its field


def test_the_issue_configuration_in_every_framework():
    spec = ConvSpec.from_query("mode=maxpool&n=6&k=3&s=2&p=same&conv=tensorflow")
    assert (spec.pads, spec.output_size, spec.pre_pad) == ((0, 1, 0, 1), (3, 3), (0, 1, 0, 1))
    rows = {row.convention: row for row in differences(spec)}
    assert rows["pytorch"].refusal.startswith("padding must be an int or a pair")
    assert rows["onnx-lower"].pads == (1, 0, 1, 0) and rows["onnx-lower"].differs
    assert rows["jax"].output == (3, 3) and not rows["jax"].differs
    assert code(spec).text == 'tf.keras.layers.MaxPooling2D(pool_size=3, strides=2, padding="same")'
    assert code(spec).layouts == "input NHWC (1, 6, 6, 1) · output NHWC (1, 3, 3, 1)"
    assert spec.torch_line() == ('nn.Sequential(nn.ConstantPad2d((0, 1, 0, 1), float("-inf")), '
                                 'nn.MaxPool2d(3, stride=2))')


# ---- JAX: TensorFlow/Keras/JAX's pooling ------------------------------------------------------
def reduce_window(jax, case: dict, x: np.ndarray) -> np.ndarray:
    """``lax.reduce_window`` over NCHW ``x``: max from −∞, or sums divided by the window's
    cells (count_include_pad) or by the same sums of ones (the real cells)."""
    padding = case["padding"]
    padding = padding.upper() if isinstance(padding, str) else \
        [(0, 0), (0, 0), *((p, p) for p in padding)]
    window, strides = (1, 1, *case["kernel_size"]), (1, 1, *case["stride"])
    lax = jax.lax
    if case["mode"] == "maxpool":
        return np.asarray(lax.reduce_window(x, -np.inf, lax.max, window, strides, padding,
                                            window_dilation=(1, 1, *case.get("dilation",
                                                                             (1, 1)))))
    sums = np.asarray(lax.reduce_window(x, 0.0, lax.add, window, strides, padding))
    if case.get("count_include_pad", False):
        return sums / (case["kernel_size"][0] * case["kernel_size"][1])
    return sums / np.asarray(lax.reduce_window(np.ones_like(x), 0.0, lax.add, window, strides,
                                               padding))


@given(case=cases(("tensorflow", "jax")))
def test_pads_sizes_and_values_equal_jax_reduce_window(jax, case):
    x = np.random.default_rng(0).standard_normal((2, case["in_channels"], *case["input_size"]))
    spec = build(case)
    if spec is None:                    # no window fits the padded input: JAX gives nothing
        assert min(reduce_window(jax, case, x).shape[2:]) == 0
        event("refused: no window fits")
        return
    if case["padding"] == "same":
        span = [d * (k - 1) + 1 for k, d in zip(spec.kernel_size, spec.dilation)]
        (top, bottom), (left, right) = jax.lax.padtype_to_pads(spec.input_size, span,
                                                               spec.stride, "SAME")
        assert spec.pads == (top, bottom, left, right)
    expected = reduce_window(jax, case, x)
    assert expected.shape == (2, spec.in_channels, *spec.output_size)
    np.testing.assert_allclose(pool(spec, x), expected, rtol=1e-12, atol=1e-12)
    if spec.convention == "jax":                        # the line convviz writes, as printed
        line = eval(code(spec).text, {"jax": jax, "jnp": jax.numpy, "x": x})  # noqa: S307
        np.testing.assert_allclose(np.asarray(line), expected, rtol=1e-12, atol=1e-12)
    event(f"{spec.mode} {case['padding'] if isinstance(case['padding'], str) else 'numbers'}")


@settings(max_examples=25)      # a Keras layer per case is slow
@given(case=cases(("tensorflow",)))
def test_the_keras_line_computes_what_the_engine_does(keras, case):
    spec = build(case)
    if spec is None:
        return
    x = numbers(spec, np.float32)
    layer = eval(code(spec).text, {"tf": types.SimpleNamespace(keras=keras)})  # noqa: S307
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = np.asarray(layer(x.transpose(0, 2, 3, 1))).transpose(0, 3, 1, 2)
    np.testing.assert_allclose(out, pool(spec, x), rtol=1e-5, atol=1e-5)
    event(f"{spec.mode} {spec.padding}")


# ---- ONNX Runtime: MaxPool / AveragePool ------------------------------------------------------
def onnx_node(case: dict, pads: tuple[int, ...] | None = None):
    """The case's one ONNX node: ``auto_pad`` from its padding and convention, or explicit
    ``pads`` (ONNX's order) when given or when the padding is numbers."""
    from onnx import helper

    padding, attributes = case["padding"], {}
    if pads is not None or not isinstance(padding, str):
        attributes["pads"] = list(pads or (padding[0], padding[1], padding[0], padding[1]))
    else:
        attributes["auto_pad"] = ("VALID" if padding == "valid" else
                                  conventions.CONVENTIONS[case["convention"]]
                                  .same_name.split('"')[1])
    if case["mode"] == "maxpool":
        attributes["dilations"] = list(case.get("dilation", (1, 1)))
    else:
        attributes["count_include_pad"] = int(case.get("count_include_pad", False))
    return helper.make_node("MaxPool" if case["mode"] == "maxpool" else "AveragePool", ["x"],
                            ["y"], kernel_shape=list(case["kernel_size"]),
                            strides=list(case["stride"]), ceil_mode=int(case.get("ceil_mode",
                                                                                 False)),
                            **attributes)


def run_node(onnxruntime, node, x: np.ndarray) -> np.ndarray:
    """One node run by ONNX Runtime on ``x``."""
    from onnx import TensorProto, helper

    graph = helper.make_graph([node], "pool",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape)],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 22)])
    model.ir_version = 10
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 4
    session = onnxruntime.InferenceSession(model.SerializeToString(), options,
                                           providers=["CPUExecutionProvider"])
    return session.run(None, {"x": x})[0]


@given(case=cases(("onnx-upper", "onnx-lower")))
def test_pads_sizes_and_values_equal_onnx_runtime(onnxruntime, case):
    spec = build(case)
    if spec is None:
        event("refused")
        return
    x = numbers(spec, np.float32)
    import onnx

    explicit = run_node(onnxruntime, onnx_node(case, conventions.onnx_pads(spec.pads)), x)
    expected = run_node(onnxruntime, onnx_node(case), x)
    node = eval(code(spec).text, {"onnx": onnx})                  # noqa: S307 -- our line
    np.testing.assert_array_equal(run_node(onnxruntime, node, x), expected)   # the case's node
    if conventions.runtime_crops(spec.convention, spec.padding, spec.input_size,
                                 spec.kernel_size, spec.stride, spec.dilation, pool=True):
        event("ONNX Runtime starts past cell 0: compared with our pads written out")
    else:
        np.testing.assert_array_equal(explicit, expected)       # its pads are ours
        event(f"{spec.mode} {case['padding'] if isinstance(case['padding'], str) else 'pads'}"
              f"{' ceil' if spec.ceil_mode else ''}")
    assert explicit.shape == (2, spec.in_channels, *spec.output_size)
    ours = pool(spec, x)
    empty = np.isneginf(ours)           # a window of padding only: −∞ here and in PyTorch,
    if empty.any():                     # float32's lowest in ONNX Runtime
        assert (explicit[empty] == np.finfo(np.float32).min).all()
        event("a window of padding only: ONNX Runtime gives float32's lowest, not −∞")
    np.testing.assert_allclose(ours[~empty], explicit[~empty], rtol=1e-5, atol=1e-5)


def test_onnx_runtime_parts_from_tensorflow_where_same_pads_negatively(onnxruntime):
    """n = 4, k = 1, s = 4 ("same" needs −3): ONNX Runtime's MaxPool refuses and its
    AveragePool reads cell 1 under SAME_UPPER; TensorFlow, JAX and convviz pad nothing and
    read cell 0 (convviz refuses the MaxPool as ONNX Runtime does). If a later ONNX Runtime
    changes, this test fails and the rules in pool_conventions can follow it."""
    case = {"mode": "avgpool", "input_size": (1, 4), "kernel_size": (1, 1), "stride": (1, 4),
            "padding": "same", "convention": "onnx-upper"}
    x = np.arange(4, dtype=np.float32).reshape(1, 1, 1, 4)
    spec = ConvSpec(**case)
    assert spec.pads == (0, 0, 0, 0) and pool(spec, x).ravel().tolist() == [0.0]
    assert run_node(onnxruntime, onnx_node(case), x).ravel().tolist() == [1.0]
    note = {row.convention: row.note for row in differences(spec)}["onnx-upper"]
    assert "starts past cell 0" in note
    with pytest.raises(Exception, match="padding values must be non-negative"):
        run_node(onnxruntime, onnx_node(dict(case, mode="maxpool")), x)
    with pytest.raises(ConvVizError, match="MaxPool refuses"):
        ConvSpec(**dict(case, mode="maxpool"))
