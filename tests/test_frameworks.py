"""The code convviz writes for each framework, run by that framework: the Keras line by Keras
(on JAX), the JAX line by JAX, the ONNX node by ONNX Runtime, the PyTorch line by PyTorch. Each
is evaluated exactly as printed and must give the engine's numbers; then the differences table
and the output_padding explorer, whose Keras claims Keras itself checks.
"""
from __future__ import annotations

import types
import warnings

import numpy as np
import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from convviz.errors import ConvVizError
from convviz.ops import conventions, engine
from convviz.ops.frameworks import code, differences, keras_crops, output_padding_choices
from convviz.ops.spec import ConvSpec


@st.composite
def specs(draw, convention: str, transposed: bool | None = None) -> ConvSpec:
    """A random one-stage spec under ``convention`` (direct or transposed), or a reject."""
    if transposed is None:
        transposed = draw(st.booleans())
    n, k = draw(st.integers(1, 8)), draw(st.integers(1, 5))
    s, d = draw(st.integers(1, 3)), draw(st.sampled_from([1, 1, 2]))
    fields = {"input_size": (n, draw(st.integers(1, 8))), "kernel_size": k, "stride": s,
              "dilation": d, "convention": convention, "in_channels": draw(st.integers(1, 2)),
              "out_channels": draw(st.integers(1, 2))}
    if transposed:
        fields |= {"mode": "transposed", "padding": draw(st.integers(0, 2)),
                   "output_padding": draw(st.integers(0, max(s, d) - 1))}
    else:
        fields["padding"] = draw(st.sampled_from(["same", "valid", 0, 1, 2]))
    try:
        return ConvSpec(**fields)
    except ConvVizError:
        return draw(st.nothing())


def numbers(spec: ConvSpec) -> tuple[np.ndarray, np.ndarray]:
    """``x`` (1, C_in, H, W) and the spec's weight, float32 normal draws."""
    rng = np.random.default_rng(0)
    return (rng.standard_normal(spec.input_shape).astype(np.float32),
            rng.standard_normal(spec.weight_shape).astype(np.float32))


def expected(spec: ConvSpec, x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The engine's output for the spec (its pre-pad, then its arguments)."""
    padded = engine.pad(x, spec.pre_pad) if spec.pre_pad else x
    return spec.operation.function(padded, w, None, **spec.arguments())


# ---- every line, run by its framework -------------------------------------------------------
def run_keras(keras, spec: ConvSpec, x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The Keras line of ``code(spec)``, evaluated as printed, on NHWC ``x``, HWIO weights."""
    text = code(spec).text
    layer = eval(text, {"tf": types.SimpleNamespace(keras=keras)})     # noqa: S307 -- our line
    nhwc = x.transpose(0, 2, 3, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        layer(nhwc)                                                    # builds the weights
        conv = layer.layers[0 if spec.transposed else -1] if hasattr(layer, "layers") else layer
        conv.set_weights([w.transpose(2, 3, 1, 0), np.zeros(spec.out_channels, np.float32)])
        return np.asarray(layer(nhwc)).transpose(0, 3, 1, 2)


@settings(max_examples=30)      # a Keras layer per case is slow; the rules are covered below
@given(spec=specs("tensorflow"))
def test_the_keras_line_computes_what_the_engine_does(keras, spec):
    if spec.transposed and "none" in " ".join(c.keras for c in output_padding_choices(spec)):
        event("Keras has no output_padding >= strides")
        return
    x, w = numbers(spec)
    np.testing.assert_allclose(run_keras(keras, spec, x, w), expected(spec, x, w), rtol=1e-4,
                               atol=1e-4)
    event("transposed" if spec.transposed else f"direct {spec.padding}")


@given(spec=specs("jax"))
def test_the_jax_line_computes_what_the_engine_does(jax, spec):
    x, w = numbers(spec)
    out = eval(code(spec).text, {"jax": jax, "x": x, "w": w})         # noqa: S307 -- our line
    np.testing.assert_allclose(np.asarray(out), expected(spec, x, w), rtol=1e-4, atol=1e-4)


@given(spec=specs("onnx-lower") | specs("onnx-upper"))
def test_the_onnx_node_computes_what_the_engine_does(onnxruntime, spec):
    import onnx
    from onnx import TensorProto, helper

    x, w = numbers(spec)
    node = eval(code(spec).text, {"onnx": onnx})                       # noqa: S307 -- our line
    graph = helper.make_graph(
        [node], "layer", [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape),
                          helper.make_tensor_value_info("w", TensorProto.FLOAT, w.shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 22)])
    model.ir_version = 10
    session = onnxruntime.InferenceSession(model.SerializeToString(),
                                           providers=["CPUExecutionProvider"])
    out = session.run(None, {"x": x, "w": w})[0]
    if conventions.runtime_crops(spec.convention, spec.padding, spec.input_size,
                                 spec.kernel_size, spec.stride, spec.dilation):
        return                  # ONNX Runtime crops there (tests/test_conventions.py)
    np.testing.assert_allclose(out, expected(spec, x, w), rtol=1e-4, atol=1e-4)


@given(spec=specs("tensorflow") | specs("onnx-lower") | specs("pytorch"))
def test_the_pytorch_line_computes_what_the_engine_does(torch, spec):
    x, w = numbers(spec)
    layer = eval(spec.torch_line(), {"nn": torch.nn})                  # noqa: S307 -- our line
    conv = layer[-1] if isinstance(layer, torch.nn.Sequential) else layer
    with torch.no_grad():
        conv.weight.copy_(torch.from_numpy(w))
        conv.bias.zero_()
        out = layer(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(out, expected(spec, x, w), rtol=1e-4, atol=1e-4)


# ---- the table and the explorer -------------------------------------------------------------
def test_the_differences_of_the_issue_example():
    spec = ConvSpec.from_query("mode=conv&n=6&k=3&s=2&p=same&conv=tensorflow")
    rows = {row.convention: row for row in differences(spec)}
    assert rows["pytorch"].refusal.startswith("padding='same' needs stride 1")
    assert rows["pytorch"].differs and rows["onnx-lower"].differs
    assert rows["onnx-lower"].pads == (1, 0, 1, 0) and rows["onnx-lower"].output == (3, 3)
    assert not any(rows[name].differs for name in ("tensorflow", "jax", "onnx-upper"))
    assert not any(row.note for row in rows.values())
    quirk = {row.convention: row.note for row in differences(ConvSpec(
        input_size=4, kernel_size=1, stride=4, padding="same", convention="jax"))}
    assert quirk["onnx-upper"].startswith("ONNX Runtime 1.32 starts past cell 0") and \
        not quirk["jax"] and not quirk["onnx-lower"]
    transposed = differences(ConvSpec(mode="transposed", input_size=3, stride=2, padding=1,
                                      output_padding=1, convention="onnx-lower"))
    assert {row.pads for row in transposed} == {(1, 0, 1, 0)}


def test_the_explorer_lists_the_sizes_output_padding_picks_among():
    spec = ConvSpec(mode="transposed", input_size=3, kernel_size=3, stride=2)
    choices = output_padding_choices(spec)
    assert [(c.size, c.back, c.chosen) for c in choices] == [(7, 3, True), (8, 3, False)]
    assert [c.keras for c in choices] == ['padding="valid"', 'padding="valid", output_padding=1']
    dilated = output_padding_choices(ConvSpec(mode="transposed", input_size=3, stride=1,
                                              dilation=3))
    assert [(c.output_padding, c.back) for c in dilated] == [(0, 3), (1, 4), (2, 5)]
    assert dilated[1].keras == "none: Keras needs output_padding < strides = 1"
    with pytest.raises(ConvVizError, match="output_padding belongs to a transposed"):
        output_padding_choices(ConvSpec())


@pytest.mark.parametrize("k, s, output_padding, crops", [
    (3, 2, None, (0, 1)),       # same: n*s, the odd cell cropped at the end
    (3, 2, 1, (0, 1)),
    (3, 2, 0, (1, 1)),          # = PyTorch padding=1
    (4, 2, None, (1, 1)),
    (1, 3, None, (0, -2)),      # stride > kernel: Keras adds cells
])
def test_keras_crops_as_its_backends_pad(k, s, output_padding, crops):
    assert keras_crops(k, s, 1, "same", output_padding) == crops


@settings(max_examples=30)
@given(k=st.integers(1, 5), s=st.integers(1, 3), d=st.sampled_from([1, 2]),
       padding=st.sampled_from(["same", "valid"]), data=st.data())
def test_keras_crops_are_what_keras_computes(keras, k, s, d, padding, data):
    """Keras's Conv2DTranspose output is the full transposed output with these crops."""
    assume(s == 1 or d == 1)                            # Keras refuses strided and dilated
    extra = data.draw(st.sampled_from([None, *range(s)]))
    before, after = keras_crops(k, s, d, padding, extra)
    x = np.random.default_rng(1).standard_normal((1, 4, 1, 1)).astype(np.float32)
    w = np.random.default_rng(2).standard_normal((k, 1, 1, 1)).astype(np.float32)
    layer = keras.layers.Conv2DTranspose(1, (k, 1), strides=(s, 1), padding=padding,
                                         output_padding=None if extra is None else (extra, 0),
                                         dilation_rate=(d, 1), use_bias=False)
    layer(x)
    layer.set_weights([w])
    out = np.asarray(layer(x))[0, :, 0, 0]
    full = engine.conv_transpose2d(x.transpose(0, 3, 1, 2), w.transpose(2, 3, 0, 1),
                                   stride=(s, 1), dilation=(d, 1))[0, 0, :, 0]
    full = engine.pad(full, (-before, -after))                         # crop (or add zeros)
    np.testing.assert_allclose(out, full, rtol=1e-5, atol=1e-5)
