"""Framework conventions against the frameworks: JAX (TensorFlow/Keras/JAX's rule) and ONNX
Runtime (SAME_UPPER, SAME_LOWER, explicit pads), on random 2-D cases with the issue's ranges
(k 1-7, s 1-4, d 1-3, n 1-20): the resolved pads, the output sizes and the values of the engine
run with those pads (``engine.pad``, then ``conv2d`` with padding 0) equal theirs, and convviz
refuses exactly what they refuse. Without the oracles those tests skip ("needs jax",
"needs onnxruntime"); the rules' own arithmetic is checked without them.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from convviz.errors import ConvVizError
from convviz.ops import conventions, engine
from convviz.ops.conventions import CONVENTIONS, NAMES, resolve
from convviz.ops.spec import ConvSpec

AXIS = st.tuples(st.integers(1, 20), st.integers(1, 7), st.integers(1, 4),
                 st.sampled_from([1, 1, 2, 3]))
"""One axis: ``(n, k, s, d)``, d = 1 half the time (ONNX Runtime refuses SAME with d > 1)."""


@st.composite
def cases(draw, names: tuple[str, ...]) -> dict:
    """A random 2-D configuration: two axes, a padding (same, valid or numbers), channels,
    a batch and a convention among ``names``."""
    (h, kh, sh, dh), (w, kw, sw, dw) = draw(AXIS), draw(AXIS)
    padding = draw(st.sampled_from(["same", "same", "valid", "numbers"]))
    if padding == "numbers":
        padding = (draw(st.integers(0, 3)), draw(st.integers(0, 3)))
    return {"input_size": (h, w), "kernel_size": (kh, kw), "stride": (sh, sw),
            "dilation": (dh, dw), "padding": padding, "convention": draw(st.sampled_from(names)),
            "in_channels": draw(st.integers(1, 3)), "out_channels": draw(st.integers(1, 3)),
            "batch": draw(st.integers(1, 2))}


def arrays(case: dict, dtype) -> tuple[np.ndarray, np.ndarray]:
    """``x`` (N, C_in, H, W) and ``w`` (C_out, C_in, kH, kW), standard normal draws."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((case["batch"], case["in_channels"], *case["input_size"]))
    w = rng.standard_normal((case["out_channels"], case["in_channels"], *case["kernel_size"]))
    return x.astype(dtype), w.astype(dtype)


def spec_of(case: dict) -> ConvSpec:
    return ConvSpec(**{key: value for key, value in case.items() if key != "batch"})


def engine_output(spec: ConvSpec, x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The engine with the spec's resolved pads, the torch way: pad, then conv2d(padding=0)."""
    padded = engine.pad(x, conventions.torch_pad(spec.pads))
    return engine.conv2d(padded, w, stride=spec.stride, dilation=spec.dilation)


def layer_output(spec: ConvSpec, x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """What the spec itself runs (the figures' numbers): its pre-pad, then its arguments."""
    padded = engine.pad(x, spec.pre_pad) if spec.pre_pad else x
    return engine.conv2d(padded, w, **spec.arguments())


# ---- the rules themselves ------------------------------------------------------------------
@pytest.mark.parametrize("argv, output, pads", [
    ((5, 4, 2, "tensorflow"), 3, (1, 2, 1, 2)),
    ((6, 3, 2, "tensorflow"), 3, (0, 1, 0, 1)),
    ((6, 3, 2, "jax"), 3, (0, 1, 0, 1)),
    ((6, 3, 2, "onnx-upper"), 3, (0, 1, 0, 1)),
    ((6, 3, 2, "onnx-lower"), 3, (1, 0, 1, 0)),
    ((5, 4, 1, "pytorch"), 5, (1, 2, 1, 2)),
    ((5, 4, 1, "onnx-lower"), 5, (2, 1, 2, 1)),
])
def test_the_issue_examples(argv, output, pads):
    n, k, s, name = argv
    spec = ConvSpec(input_size=n, kernel_size=k, stride=s, padding="same", convention=name)
    assert spec.output_size == (output, output) and spec.pads == pads


@given(axis=AXIS, name=st.sampled_from(NAMES))
def test_same_is_ceil_n_over_s_with_the_odd_cell_where_the_framework_puts_it(axis, name):
    n, k, s, d = axis
    rules = CONVENTIONS[name]
    try:
        spec = ConvSpec(input_size=n, kernel_size=k, stride=s, dilation=d, padding="same",
                        convention=name)
    except ConvVizError as error:
        if s > 1 and d > 1 and not rules.strided_dilated:
            return                                      # Keras: strided and dilated at once
        assert (s > 1 and not rules.same_strided) or (d > 1 and not rules.same_dilated)
        assert rules.refusal in str(error)
        return
    top, bottom = spec.pads[:2]
    total = max((-(-n // s) - 1) * s + d * (k - 1) + 1 - n, 0)
    assert spec.output_size[0] == -(-n // s) and top + bottom == total
    assert abs(top - bottom) <= 1 and (top >= bottom) == (rules.extra_first or top == bottom)


@given(axis=AXIS, p=st.integers(0, 3))
def test_numbers_and_valid_mean_the_same_everywhere(axis, p):
    n, k, s, d = axis
    for padding, pads in ((p, (p, p, p, p)), ("valid", (0, 0, 0, 0))):
        assert {resolve(padding, (n, n), (k, k), (s, s), (d, d), name) for name in NAMES} == \
            {pads}


@pytest.mark.parametrize("fields, words", [
    ({"stride": 2, "convention": "pytorch"}, "needs stride 1, got stride 2: PyTorch refuses"),
    ({"dilation": 2, "convention": "onnx-upper"},
     "needs dilation 1, got dilation 2: ONNX Runtime refuses auto_pad SAME_UPPER"),
    ({"dilation": 2, "convention": "onnx-lower"}, "ONNX Runtime refuses auto_pad SAME_LOWER"),
    ({"convention": "keras"}, "convention must be one of pytorch, tensorflow, jax, onnx-upper"),
    ({"stride": 2, "dilation": 2, "convention": "tensorflow"},
     "stride 2 and dilation 2 cannot both be > 1 under the tensorflow convention: "
     "TensorFlow / Keras refuses strides > 1 with dilation_rate > 1"),
    ({"padding_mode": "reflect", "convention": "jax"},
     "padding_mode must be 'zeros' under the jax convention (JAX pads with zeros only)"),
])
def test_refusals_name_the_framework_and_why(fields, words):
    with pytest.raises(ConvVizError) as caught:
        ConvSpec(input_size=6, kernel_size=3, padding="same", **fields)
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_the_link_and_the_pytorch_line_carry_the_convention():
    spec = ConvSpec.from_query("mode=conv&n=6&k=3&s=2&p=same&conv=tensorflow")
    assert spec.to_query() == "mode=conv&n=6&k=3&s=2&p=same&conv=tensorflow"
    assert spec.pre_pad == (0, 1, 0, 1) and spec.arguments()["padding"] == (0, 0)
    assert spec.torch_line() == ("nn.Sequential(nn.ZeroPad2d((0, 1, 0, 1)), "
                                 "nn.Conv2d(1, 1, kernel_size=3, stride=2))")
    even = ConvSpec(input_size=5, kernel_size=3, stride=2, padding="same", convention="jax")
    assert even.pads == (1, 1, 1, 1) and even.torch_line() == \
        "nn.Conv2d(1, 1, kernel_size=3, stride=2, padding=1)"
    assert ConvSpec(input_size=5).to_query() == "mode=conv&n=5&k=3&s=1&p=0"


@given(case=cases(NAMES))
def test_the_spec_computes_what_its_pads_say(case):
    """Its own route (pre-pad where needed, else PyTorch's padding) gives the padded conv."""
    try:
        spec = spec_of(case)
    except ConvVizError:
        event("refused")
        return
    x, w = arrays(case, np.float64)
    out = layer_output(spec, x, w)
    assert out.shape[2:] == spec.output_size
    np.testing.assert_allclose(out, engine_output(spec, x, w), rtol=1e-12, atol=1e-12)


# ---- JAX: TensorFlow/Keras/JAX's "SAME" ----------------------------------------------------
def jax_output(jax, case: dict, x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``lax.conv_general_dilated`` with "SAME"/"VALID" or explicit pads; the tensorflow
    convention runs in TensorFlow's layouts (NHWC input, HWIO weights)."""
    padding = case["padding"]
    padding = padding.upper() if isinstance(padding, str) else [(p, p) for p in padding]
    if case["convention"] == "tensorflow":
        out = jax.lax.conv_general_dilated(
            x.transpose(0, 2, 3, 1), w.transpose(2, 3, 1, 0), case["stride"], padding,
            rhs_dilation=case["dilation"], dimension_numbers=("NHWC", "HWIO", "NHWC"))
        return np.asarray(out).transpose(0, 3, 1, 2)
    return np.asarray(jax.lax.conv_general_dilated(
        x, w, case["stride"], padding, rhs_dilation=case["dilation"],
        dimension_numbers=("NCHW", "OIHW", "NCHW")))


@given(case=cases(("tensorflow", "jax")))
def test_pads_sizes_and_values_equal_jax(jax, case):
    x, w = arrays(case, np.float64)
    try:
        spec = spec_of(case)
    except ConvVizError as error:
        if "TensorFlow / Keras refuses strides > 1 with dilation_rate > 1" in str(error):
            assert max(case["stride"]) > 1 and max(case["dilation"]) > 1
            event("refused as Keras does")
            return
        out_shape = jax_output(jax, case, x, w).shape   # else a kernel larger than the
        assert min(out_shape[2:]) <= 0                  # padded input: JAX gives nothing
        event("refused")
        return
    if isinstance(case["padding"], str):
        span = [d * (k - 1) + 1 for k, d in zip(spec.kernel_size, spec.dilation)]
        (top, bottom), (left, right) = jax.lax.padtype_to_pads(
            spec.input_size, span, spec.stride, case["padding"].upper())
        assert spec.pads == (top, bottom, left, right)
    expected = jax_output(jax, case, x, w)
    assert expected.shape == (case["batch"], spec.out_channels, *spec.output_size)
    np.testing.assert_allclose(engine_output(spec, x, w), expected, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(layer_output(spec, x, w), expected, rtol=1e-10, atol=1e-10)
    event(f"computed {case['padding'] if isinstance(case['padding'], str) else 'numbers'}")


# ---- ONNX Runtime: SAME_UPPER, SAME_LOWER, explicit pads --------------------------------------
def onnx_model(case: dict, x: np.ndarray, w: np.ndarray, pads: tuple[int, ...] | None = None):
    """A one-node ONNX model (``Conv``): ``auto_pad`` from the case's padding and convention,
    or explicit ``pads`` (ONNX's order) when given."""
    from onnx import TensorProto, helper

    padding, attributes = case["padding"], {}
    if pads is not None or not isinstance(padding, str):
        attributes["pads"] = list(pads or (padding[0], padding[1], padding[0], padding[1]))
    else:
        attributes["auto_pad"] = ("VALID" if padding == "valid" else
                                  CONVENTIONS[case["convention"]].same_name.split('"')[1])
    node = helper.make_node("Conv", ["x", "w"], ["y"], strides=list(case["stride"]),
                            dilations=list(case["dilation"]),
                            kernel_shape=list(case["kernel_size"]), **attributes)
    graph = helper.make_graph(
        [node], "conv", [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape),
                         helper.make_tensor_value_info("w", TensorProto.FLOAT, w.shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 22)])
    model.ir_version = 10
    return model


def onnx_output(onnxruntime, case: dict, x: np.ndarray, w: np.ndarray,
                pads: tuple[int, ...] | None = None) -> np.ndarray:
    """:func:`onnx_model` run by ONNX Runtime."""
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 4                          # its refusals are ours to report
    session = onnxruntime.InferenceSession(onnx_model(case, x, w, pads).SerializeToString(),
                                           options, providers=["CPUExecutionProvider"])
    return session.run(None, {"x": x, "w": w})[0]


def runtime_crops(case: dict) -> bool:
    """Where ONNX Runtime does not clamp a negative SAME padding
    (:func:`convviz.ops.conventions.runtime_crops`)."""
    return conventions.runtime_crops(case["convention"], case["padding"], case["input_size"],
                                     case["kernel_size"], case["stride"], case["dilation"])


@given(case=cases(("onnx-upper", "onnx-lower")))
def test_pads_sizes_and_values_equal_onnx_runtime(onnxruntime, case):
    x, w = arrays(case, np.float32)
    try:
        spec = spec_of(case)
    except ConvVizError:
        with pytest.raises(Exception, match="Dilation not supported|Invalid input shape|"
                                            "INVALID_ARGUMENT"):
            onnx_output(onnxruntime, case, x, w)
        event("refused")
        return
    expected = onnx_output(onnxruntime, case, x, w)
    assert expected.shape == (case["batch"], spec.out_channels, *spec.output_size)
    if runtime_crops(case):                 # the ONNX reference implementation decides
        from onnx.reference import ReferenceEvaluator

        expected = ReferenceEvaluator(onnx_model(case, x, w)).run(None, {"x": x, "w": w})[0]
        event("ONNX Runtime crops: compared with the ONNX reference implementation")
    else:   # the same node with our pads written out gives its numbers: its pads are ours
        explicit = onnx_output(onnxruntime, case, x, w, conventions.onnx_pads(spec.pads))
        np.testing.assert_array_equal(explicit, expected)
        event(f"computed {case['padding'] if isinstance(case['padding'], str) else 'numbers'}")
    np.testing.assert_allclose(engine_output(spec, x, w), expected, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(layer_output(spec, x, w), expected, rtol=1e-4, atol=1e-4)


def test_onnx_runtime_crops_where_the_onnx_reference_pads_nothing(onnxruntime):
    """The one place in the issue's ranges where ONNX Runtime and convviz part: n = 4, k = 1,
    s = 4 under SAME_UPPER (needed padding −3). If a later ONNX Runtime clamps as the ONNX
    reference does, this test fails and the exception above can go."""
    case = {"input_size": (1, 4), "kernel_size": (1, 1), "stride": (1, 4), "dilation": (1, 1),
            "padding": "same", "convention": "onnx-upper", "in_channels": 1,
            "out_channels": 1, "batch": 1}
    x, w = np.arange(4, dtype=np.float32).reshape(1, 1, 1, 4), np.ones((1, 1, 1, 1), np.float32)
    assert runtime_crops(case) and spec_of(case).pads == (0, 0, 0, 0)
    assert onnx_output(onnxruntime, case, x, w).ravel().tolist() == [1.0]     # reads cell 1
    assert engine_output(spec_of(case), x, w).ravel().tolist() == [0.0]       # reads cell 0
