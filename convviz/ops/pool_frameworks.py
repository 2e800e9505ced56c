"""A pooling layer as Keras, JAX and ONNX write it (:func:`convviz.ops.frameworks.code` calls
these for the pooling modes): ``MaxPooling2D`` / ``AveragePooling2D``, ``jax.lax.reduce_window``
(max from −∞; an average as a window sum divided by the window's cells, or by its input cells
counted with the same ``reduce_window`` over ones), an ONNX ``MaxPool`` / ``AveragePool``
node. Each line computes what convviz's engine does for the spec
(:func:`convviz.ops.pool_conventions.pool`); ``tests/test_pool_conventions.py`` runs them.

>>> from convviz.ops.spec import ConvSpec
>>> print(keras(ConvSpec(mode="maxpool", input_size=6, kernel_size=3, stride=2,
...                      padding="same", convention="tensorflow")))
tf.keras.layers.MaxPooling2D(pool_size=3, strides=2, padding="same")
"""
from __future__ import annotations

from ..text import show
from .conventions import onnx_padding


def _window(spec) -> str:
    """``(1, 1, kH, kW), (1, 1, sH, sW)``: reduce_window's window and strides over NCHW."""
    (kh, kw), (sh, sw) = spec.kernel_size, spec.stride
    return f"(1, 1, {kh}, {kw}), (1, 1, {sh}, {sw})"


def keras(spec) -> str:
    """``tf.keras.layers.MaxPooling2D`` / ``AveragePooling2D`` (NHWC), ``padding="same"``
    or ``"valid"`` (the tensorflow convention takes no other padding)."""
    layer = "MaxPooling2D" if spec.operation.reduce == "max" else "AveragePooling2D"
    padding = ', padding="same"' if spec.padding == "same" else ""
    return (f"tf.keras.layers.{layer}(pool_size={show(spec.kernel_size)}, "
            f"strides={show(spec.stride)}{padding})")


def jax(spec) -> str:
    """``jax.lax.reduce_window`` on NCHW ``x``: max from ``-jnp.inf``; the average as sums over
    the window's cells (``count_include_pad``) or over the same sums of ones."""
    top, bottom, left, right = spec.pads
    padding = (f'"{spec.padding.upper()}"' if isinstance(spec.padding, str) else
               f"((0, 0), (0, 0), ({top}, {bottom}), ({left}, {right}))")
    if spec.operation.reduce == "max":
        dilation = (f", window_dilation=(1, 1, {spec.dilation[0]}, {spec.dilation[1]})"
                    if max(spec.dilation) > 1 else "")
        return (f"jax.lax.reduce_window(x, -jnp.inf, jax.lax.max, {_window(spec)},\n"
                f"    {padding}{dilation})")
    sums = f"jax.lax.reduce_window({{}}, 0.0, jax.lax.add, {_window(spec)}, {padding})"
    divisor = (str(spec.kernel_size[0] * spec.kernel_size[1]) if spec.count_include_pad
               else sums.format("jnp.ones_like(x)"))
    return f"({sums.format('x')}\n    / {divisor})"


def onnx(spec) -> str:
    """One ONNX ``MaxPool`` / ``AveragePool`` node (NCHW): ``auto_pad`` for ``"same"`` and
    ``"valid"``, else explicit ``pads``; ``ceil_mode``, ``count_include_pad`` (ONNX's default
    is 0) and ``dilations`` where set."""
    op = spec.operation
    name = "MaxPool" if op.reduce == "max" else "AveragePool"
    attributes = [f"kernel_shape={list(spec.kernel_size)}", f"strides={list(spec.stride)}"]
    if op.takes("dilation") and max(spec.dilation) > 1:
        attributes.append(f"dilations={list(spec.dilation)}")
    attributes += onnx_padding(spec.padding, spec.pads, spec.convention)
    if spec.ceil_mode:
        attributes.append("ceil_mode=1")
    if op.takes("count_include_pad") and spec.count_include_pad:
        attributes.append("count_include_pad=1")
    return (f"onnx.helper.make_node(\"{name}\", [\"x\"], [\"y\"],\n    "
            + ", ".join(attributes) + ")")
