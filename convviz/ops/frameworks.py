"""The same layer in each framework: its code, its layouts, and where the frameworks differ.

:func:`code` writes the layer of a spec as its convention's framework writes it (Keras's
``Conv2D``, ``jax.lax.conv_general_dilated``, an ONNX ``Conv`` node), with the tensor layouts.
:func:`differences` gives every convention's output size and padding per side for one
configuration; :func:`output_padding_choices` lists, for a transposed convolution, the output
sizes ``output_padding`` picks among and how Keras writes each.

>>> spec = ConvSpec(input_size=6, kernel_size=3, stride=2, padding="same", convention="tensorflow")
>>> print(code(spec).text)
tf.keras.layers.Conv2D(1, kernel_size=3, strides=2, padding="same")
>>> [(row.convention, row.pads) for row in differences(spec)][-1]
('onnx-lower', (1, 0, 1, 0))
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..errors import ConvVizError
from ..text import show
from . import pool_frameworks
from .conventions import CONVENTIONS, NAMES, Pads, convention, onnx_padding, runtime_crops
from .spec import ConvSpec


@dataclass(frozen=True)
class Code:
    """One framework's code for a layer: ``text`` (Python), ``layouts`` (one line: the
    input's, the weights' and the output's layout and shape) and the framework's ``label``."""

    label: str
    text: str
    layouts: str


def _pair_text(value: tuple[int, int]) -> str:
    return show(value)


def _layouts(spec: ConvSpec, data: str, weights: str) -> str:
    """``input NHWC (1, 6, 6, 1) · weights HWIO (3, 3, 1, 1) · output NHWC (1, 3, 3, 1)``;
    a 1-D spec's ``NCL`` (PyTorch's), pooling's without weights."""
    if spec.dims == 1 or spec.weight_shape is None:
        layout = data if spec.dims == 2 else "NCL"
        if layout == "NHWC":                                   # (1, C, H, W) -> (1, H, W, C)
            n, c, h, w = spec.input_shape
            (_, c_out, h_out, w_out) = spec.output_shape
            return f"input NHWC {(n, h, w, c)} · output NHWC {(n, h_out, w_out, c_out)}"
        weight = "" if spec.weight_shape is None else \
            f" · weights {'OIHW' if spec.dims == 2 else 'OIL'} {spec.weight_shape}"
        return f"input {layout} {spec.input_shape}{weight} · output {layout} {spec.output_shape}"
    order = {"N": 0, "C": 1, "H": 2, "W": 3}
    w_shape = dict(zip("OIHW", spec.weight_shape))
    if spec.transposed:                     # PyTorch's transposed weights are (C_in, C_out/G)
        w_shape = dict(zip("IOHW", spec.weight_shape))

    def shaped(layout: str, shape: tuple[int, ...]) -> str:
        return f"{layout} {tuple(shape[order[axis]] for axis in layout)}"
    weight = tuple(w_shape[axis] for axis in weights)
    return (f"input {shaped(data, spec.input_shape)} · weights {weights} {weight} · "
            f"output {shaped(data, spec.output_shape)}")


def _keywords(items: list[tuple[str, object, object]]) -> str:
    """``name=value`` for each item whose value is not its default."""
    return ", ".join(f"{name}={value}" for name, value, default in items if value != default)


def _keras(spec: ConvSpec) -> str:
    """Keras: ``Conv2D`` / ``Conv2DTranspose``, with ``padding="same"|"valid"``; numbers as a
    ``ZeroPadding2D`` (``Cropping2D`` transposed) beside it."""
    args = _keywords([("kernel_size", _pair_text(spec.kernel_size), None),
                      ("strides", _pair_text(spec.stride), "1"),
                      ("padding", '"same"' if spec.padding == "same" else '"valid"', '"valid"'),
                      ("dilation_rate", _pair_text(spec.dilation), "1"),
                      ("groups", spec.groups, 1)])
    top, bottom, left, right = spec.pads
    if spec.transposed:
        written = {_keras_for(*(getattr(spec, name)[axis] for name in (
            "kernel_size", "stride", "dilation", "padding", "output_padding")))
            for axis in (0, 1)}
        if len(written) == 1 and "then" not in min(written) and "none" not in min(written):
            args = args.replace(', padding="same"', "")
            return f"tf.keras.layers.Conv2DTranspose({spec.out_channels}, {args}, {min(written)})"
        layer = (f"tf.keras.layers.Conv2DTranspose({spec.out_channels}, {args}, "
                 f"output_padding={_pair_text(spec.output_padding)})")
        if not any(spec.pads):
            return layer
        return (f"tf.keras.Sequential([{layer},\n"
                f"    tf.keras.layers.Cropping2D({_pair_text(spec.padding)})])")
    layer = f"tf.keras.layers.Conv2D({spec.out_channels}, {args})"
    if isinstance(spec.padding, str) or not any(spec.pads):
        return layer
    return (f"tf.keras.Sequential([tf.keras.layers.ZeroPadding2D((({top}, {bottom}), "
            f"({left}, {right}))),\n    {layer}])")


def _jax(spec: ConvSpec) -> str:
    """JAX: ``lax.conv_general_dilated`` (``lax.conv_transpose`` transposed), NCHW / OIHW."""
    if spec.transposed:           # padding on the input stretched by zeros: d(k-1) - p, + a
        pads = tuple((d * (k - 1) - p, d * (k - 1) - p + a) for k, d, p, a in zip(
            spec.kernel_size, spec.dilation, spec.padding, spec.output_padding))
        return (f"jax.lax.conv_transpose(x, w, strides={spec.stride}, padding={pads},\n"
                f"    rhs_dilation={spec.dilation}, dimension_numbers=(\"NCHW\", \"OIHW\", "
                f"\"NCHW\"),\n    transpose_kernel=True)  # w (C_in, C_out, kH, kW): "
                f"the forward conv's OIHW")
    padding = (f'"{spec.padding.upper()}"' if isinstance(spec.padding, str)
               else str(((spec.pads[0], spec.pads[1]), (spec.pads[2], spec.pads[3]))))
    groups = f", feature_group_count={spec.groups}" if spec.groups > 1 else ""
    return (f"jax.lax.conv_general_dilated(x, w, window_strides={spec.stride},\n"
            f"    padding={padding}, rhs_dilation={spec.dilation}{groups},\n"
            f"    dimension_numbers=(\"NCHW\", \"OIHW\", \"NCHW\"))")


def _onnx(spec: ConvSpec) -> str:
    """ONNX: one ``Conv`` (``ConvTranspose``) node, ``auto_pad`` or explicit ``pads``."""
    op = "ConvTranspose" if spec.transposed else "Conv"
    attributes = [f"kernel_shape={list(spec.kernel_size)}", f"strides={list(spec.stride)}",
                  f"dilations={list(spec.dilation)}"]
    if spec.groups > 1:
        attributes.append(f"group={spec.groups}")
    attributes += onnx_padding(spec.padding, spec.pads, spec.convention)
    if spec.transposed and any(spec.output_padding):
        attributes.append(f"output_padding={list(spec.output_padding)}")
    return (f"onnx.helper.make_node(\"{op}\", [\"x\", \"w\"], [\"y\"],\n    "
            + ", ".join(attributes) + ")")


def code(spec: ConvSpec) -> Code:
    """The layer of ``spec`` in its convention's framework, with the layouts it uses.

    A staged spec (separable) is written stage by stage.
    """
    rules = convention(spec.convention)
    stages = spec.stages()
    if len(stages) > 1:
        parts = [code(stage) for stage in stages]
        return Code(rules.label, "\n".join(part.text for part in parts), parts[0].layouts)
    if rules.name == "pytorch":
        text = f"torch.{spec.torch_line()}"
    elif not spec.operation.weights:                # pooling
        writers = {"tensorflow": pool_frameworks.keras, "jax": pool_frameworks.jax}
        text = writers.get(rules.name, pool_frameworks.onnx)(spec)
    else:
        text = {"tensorflow": _keras, "jax": _jax}.get(rules.name, _onnx)(spec)
    weights = rules.transposed_weights if spec.transposed else rules.weights
    return Code(rules.label, text, _layouts(spec, rules.data, weights))


@dataclass(frozen=True)
class Difference:
    """One convention's reading of a configuration: its ``output`` ``(H_out, W_out)`` and
    ``pads`` ``(top, bottom, left, right)`` (transposed: cropped), or None and the
    ``refusal`` (one line); ``differs``: not what the configuration's own convention gives;
    ``note``: where the framework's runtime parts from its own standard (or "")."""

    convention: str
    label: str
    output: tuple[int, int] | None
    pads: Pads | None
    refusal: str | None
    differs: bool
    note: str = ""


def _sides(spec: ConvSpec) -> Pads:
    """Padding per side; for a transposed spec, the cells cropped from each side of the full
    output ``(n−1)·s + d·(k−1) + 1``: ``padding``, less ``output_padding`` at the bottom/right."""
    if not spec.transposed:
        return spec.pads
    (ph, pw), (ah, aw) = spec.padding, spec.output_padding
    return (ph, ph - ah, pw, pw - aw)


def differences(spec: ConvSpec) -> tuple[Difference, ...]:
    """Every convention's output size and padding per side for ``spec``'s numbers, PyTorch
    first; those that differ from ``spec``'s own are marked."""
    rows = []
    for name in NAMES:
        try:
            other = dataclasses.replace(spec, convention=name)
        except ConvVizError as error:
            rows.append(Difference(name, CONVENTIONS[name].label, None, None, str(error), True))
            continue
        same = (other.output_size, other.pads) == (spec.output_size, spec.pads)
        note = ("ONNX Runtime 1.32 starts past cell 0 here: it does not clamp a negative "
                "padding, the ONNX reference does" if runtime_crops(
                    name, spec.padding, spec.input_size, spec.kernel_size, spec.stride,
                    spec.dilation, not spec.operation.weights) else "")
        rows.append(Difference(name, CONVENTIONS[name].label, other.output_size,
                               _sides(other), None, not same, note))
    return tuple(rows)


@dataclass(frozen=True)
class Choice:
    """One ``output_padding`` of a transposed convolution along one axis.

    Attributes
    ----------
    output_padding : int
    size : int
        The output length it gives.
    back : int
        The length the direct convolution with the same k, s, p, d gives for ``size``: the
        input length when ``output_padding < stride``.
    keras : str
        The Keras ``Conv2DTranspose`` arguments that give the same numbers, or why none does.
    chosen : bool
        The spec's own ``output_padding``.
    """

    output_padding: int
    size: int
    back: int
    keras: str
    chosen: bool


def keras_crops(k: int, s: int, d: int, padding: str, output_padding: int | None
                ) -> tuple[int, int]:
    """Cells Keras's ``Conv2DTranspose`` crops ``(before, after)`` from the full transposed
    output ``(n−1)·s + d·(k−1) + 1`` (negative: adds), as its JAX and TensorFlow backends pad
    the stretched input (Keras's ``backend_utils``).

    >>> keras_crops(3, 2, 1, "same", None), keras_crops(3, 2, 1, "same", 1)
    ((0, 1), (0, 1))
    """
    span = d * (k - 1) + 1
    if padding == "valid":
        extra = max(span, s) - span if output_padding is None else output_padding
        return 0, -extra
    total = s + span - 2 if output_padding is None else span + span % 2 - 2 + output_padding
    before = min(total // 2 + total % 2, span - 1)
    return span - 1 - before, span - 1 - (total - before)


def _keras_for(k: int, s: int, d: int, p: int, a: int) -> str:
    """How Keras writes PyTorch's ``(padding=p, output_padding=a)`` along one axis."""
    wanted = (p, p - a)
    for padding in ("same", "valid"):
        for extra in (None, *range(s)):
            if keras_crops(k, s, d, padding, extra) == wanted:
                written = f'padding="{padding}"'
                return written if extra is None else f"{written}, output_padding={extra}"
    if a >= s:
        return f"none: Keras needs output_padding < strides = {s}"
    return f'padding="valid", output_padding={a}, then Cropping2D({p})'


def output_padding_choices(spec: ConvSpec, axis: int = 0) -> tuple[Choice, ...]:
    """Along ``axis`` (0: H, 1: W) of a transposed ``spec``: each ``output_padding`` PyTorch
    takes (``< max(stride, dilation)``), the output length it gives, the length the direct
    convolution maps that back to, and the Keras arguments that give the same numbers.

    >>> spec = ConvSpec(mode="transposed", input_size=3, kernel_size=3, stride=2)
    >>> [(c.output_padding, c.size, c.back) for c in output_padding_choices(spec)]
    [(0, 7, 3), (1, 8, 3)]
    """
    if not spec.transposed:
        raise ConvVizError(f"output_padding belongs to a transposed convolution: mode must be "
                           f"'transposed', got {spec.mode!r}")
    n, k, s, p, d, a = (getattr(spec, name)[axis] for name in (
        "input_size", "kernel_size", "stride", "padding", "dilation", "output_padding"))
    base = (n - 1) * s - 2 * p + d * (k - 1) + 1
    return tuple(Choice(extra, base + extra, (base + extra + 2 * p - d * (k - 1) - 1) // s + 1,
                        _keras_for(k, s, d, p, extra), extra == a)
                 for extra in range(max(s, d)))
