"""A stack of layers: the operation table's 2-D operations (and shape-preserving layers such as
ReLU) in a chain, each on the output of the one before.

A :class:`Layer` is one layer as written: a mode of the operation table with the
:class:`~convviz.ops.spec.ConvSpec` fields it gives, or a shape-preserving layer by its PyTorch
name. A :class:`Stack` is the layers on an input of a given size and channels; it chains them
when made: each spatial layer becomes a ConvSpec on the last one's output, so every output size
and every refusal comes from the same shape checks as a single layer's, and a refusal names the
layer. The caps (layers, map sides, kernel spans) are checked from the arithmetic, before
anything is made. The short text form is :mod:`convviz.ops.stack_text`'s, PyTorch's
:mod:`convviz.ops.torch_text`'s.

>>> stem = Stack((Layer("conv", (("kernel_size", 7), ("stride", 2), ("padding", 3))),
...               Layer("maxpool", (("kernel_size", 3), ("stride", 2), ("padding", 1)))), 224)
>>> [spec.output_size for spec in stem.specs()], stem.to_text()
([(112, 112), (56, 56)], 'conv k7 s2 p3; maxpool k3 s2 p1')
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import ConvVizError
from ..text import show
from .args import Pair, at_least, check_int, pair
from .counts import count
from .spec import ConvSpec
from .table import MODES, OPERATIONS

MAX_LAYERS = 64
"""Most layers a stack holds (shape-preserving ones included)."""
MAX_SIDE = 2048
"""Largest side, in cells, of a stack's input and of every map it makes; also of a kernel's
span ``d·(k−1)+1``: every cell of every map is followed, so they stay bounded."""
MAX_CHANNELS = 1 << 16
"""Most channels of any map of a stack."""
MODES_2D = tuple(mode for mode in MODES if OPERATIONS[mode].dims == 2)
"""The modes a stack takes: the 2-D ones."""

SHAPE_PRESERVING = {
    "ReLU": "relu", "ReLU6": "relu6", "LeakyReLU": "leakyrelu", "PReLU": "prelu", "ELU": "elu",
    "SELU": "selu", "CELU": "celu", "GELU": "gelu", "SiLU": "silu", "Mish": "mish",
    "Hardswish": "hardswish", "Hardsigmoid": "hardsigmoid", "Hardtanh": "hardtanh",
    "Sigmoid": "sigmoid", "Tanh": "tanh", "Softplus": "softplus", "Softmax2d": "softmax2d",
    "Identity": "identity", "Dropout": "dropout", "Dropout2d": "dropout2d",
    "AlphaDropout": "alphadropout", "BatchNorm2d": "batchnorm", "InstanceNorm2d": "instancenorm",
    "GroupNorm": "groupnorm", "LocalResponseNorm": "lrn",
}
"""PyTorch's shape-preserving layers a stack takes -> the short form's word for each."""
AFFINE = {"BatchNorm2d": True, "InstanceNorm2d": False, "GroupNorm": True}
"""Norm layers and PyTorch's default ``affine`` (two parameters per channel when on)."""

KEYS = {"kernel_size": "k", "stride": "s", "padding": "p", "dilation": "d",
        "output_padding": "a", "out_channels": "c", "groups": "g", "padding_mode": "pm",
        "ceil_mode": "ceil", "count_include_pad": "cip", "divisor_override": "div",
        "affine": "affine", "num_parameters": "np"}
"""Layer field -> its key in the short form (``k3``, ``s2``, ``pm=reflect``, ``ceil``)."""


@dataclass(frozen=True)
class Layer:
    """One layer as written.

    Attributes
    ----------
    kind : str
        A 2-D mode of the operation table (``"conv"``, ``"maxpool"``, ...) or a
        shape-preserving layer's PyTorch name (``"ReLU"``, ``"BatchNorm2d"``).
    fields : tuple of (name, value)
        The ConvSpec fields it sets (``kernel_size``, ``stride``, ..., ``out_channels``); a
        norm's ``affine`` and ``groups``, PReLU's ``num_parameters``.
    in_channels : int or None
        The channels it was written for (PyTorch's first argument; a norm's channels), or
        None: whatever arrives. A convolution without ``out_channels`` keeps the channels.
    bias : bool
        Whether a convolution has a bias (PyTorch's ``bias=True``).
    source : str
        The text it was read from, for messages (not compared).
    """

    kind: str
    fields: tuple[tuple[str, object], ...] = ()
    in_channels: int | None = None
    bias: bool = True
    source: str = field(default="", compare=False, repr=False)

    def __post_init__(self) -> None:
        order = list(KEYS)
        for name, _ in self.fields:
            if name not in KEYS:
                raise ConvVizError(f"a layer has no field {name!r} (it takes {', '.join(KEYS)})")
        object.__setattr__(self, "fields", tuple(sorted(self.fields,
                                                        key=lambda item: order.index(item[0]))))

    @property
    def spatial(self) -> bool:
        """True for an operation of the table; False for a shape-preserving layer."""
        return self.kind in OPERATIONS

    def spec(self, size: Pair, channels: int) -> ConvSpec | None:
        """The ConvSpec of this layer on a ``size`` input of ``channels`` channels (None for a
        shape-preserving layer), or the refusal."""
        if self.in_channels is not None and self.in_channels != channels:
            raise ConvVizError(f"in_channels must be {channels} (the channels that arrive), "
                               f"got {self.in_channels}")
        given = dict(self.fields)
        if not self.spatial:
            _check_shape_preserving(self.kind, given, channels)
            return None
        if self.kind not in MODES_2D:
            raise ConvVizError(f"a stack takes 2-D layers ({', '.join(MODES_2D)}), got mode "
                               f"{self.kind!r}")
        op = OPERATIONS[self.kind]
        if "out_channels" not in given and op.weights and "out_channels" not in op.defaults:
            given["out_channels"] = channels                  # a convolution keeps them
        return ConvSpec(mode=self.kind, input_size=size, in_channels=channels, **given)

    def text(self) -> str:
        """The layer in the short form: ``conv k3 s2 p1 c16``, ``maxpool k2``, ``relu``.

        >>> Layer("avgpool", (("kernel_size", 3), ("count_include_pad", False))).text()
        'avgpool k3 cip=0'
        """
        parts = [self.kind if self.spatial else SHAPE_PRESERVING[self.kind]]
        for name, value in self.fields:
            key = KEYS[name]
            if isinstance(value, bool):
                parts.append(key if value and name == "ceil_mode" else f"{key}={int(value)}")
            elif isinstance(value, str) or value is None:
                parts.append(f"{key}={value}")
            else:
                parts.append(key + ",".join(map(str, value if isinstance(value, tuple)
                                                 else (value,))))
        return " ".join(parts + ([] if self.bias else ["nobias"]))

    def parameters(self, channels: int) -> int:
        """Learnable parameters of a shape-preserving layer on ``channels`` channels: an affine
        norm's weight and bias per channel (no bias: weights only), PReLU's
        ``num_parameters``, else 0."""
        given = dict(self.fields)
        if given.get("affine", AFFINE.get(self.kind, False)):
            return (2 if self.bias else 1) * channels
        return int(given.get("num_parameters", 1)) if self.kind == "PReLU" else 0


def _check_shape_preserving(kind: str, given: dict, channels: int) -> None:
    """A norm's groups must divide the channels; PReLU has 1 or ``channels`` parameters."""
    groups = given.get("groups")
    if kind == "GroupNorm" and (groups is None or channels % groups):
        raise ConvVizError(f"GroupNorm's num_groups must divide the {channels} channels, got "
                           f"{groups}")
    number = given.get("num_parameters", 1)
    if kind == "PReLU" and number not in (1, channels):
        raise ConvVizError(f"PReLU's num_parameters must be 1 or the {channels} channels, got "
                           f"{number}")


@dataclass(frozen=True)
class Stack:
    """Layers on an input of ``input_size`` (an int or ``(H, W)``) and ``in_channels``
    channels (None: the first layer's, else 1); checked and chained when made.

    Attributes
    ----------
    layers : tuple of Layer
    input_size : (H, W)
    in_channels : int
    """

    layers: tuple[Layer, ...]
    input_size: int | Pair = 32
    in_channels: int | None = None

    def __post_init__(self) -> None:
        layers = tuple(self.layers)
        check_int(len(layers), "the number of layers", 1, MAX_LAYERS)
        size = at_least(pair(self.input_size, "input_size"), 1, "input_size")
        _check_side(size, "input_size")
        channels = self.in_channels
        if channels is None:
            channels = layers[0].in_channels or 1
        object.__setattr__(self, "layers", layers)
        object.__setattr__(self, "input_size", size)
        object.__setattr__(self, "in_channels", check_int(channels, "in_channels", 1,
                                                          MAX_CHANNELS))
        object.__setattr__(self, "_specs", self._chain())

    def _chain(self) -> tuple[ConvSpec | None, ...]:
        size, channels, specs = self.input_size, self.in_channels, []
        for number, layer in enumerate(self.layers, start=1):
            try:
                spec = layer.spec(size, channels)
                if spec is not None:
                    _check_side(spec.output_size, "output size")
                    _check_side(tuple(d * (k - 1) + 1 for k, d in
                                      zip(spec.kernel_size, spec.dilation)), "kernel span")
                    check_int(spec.out_channels, "out_channels", 1, MAX_CHANNELS)
                    size, channels = spec.output_size, spec.out_channels
            except ConvVizError as error:
                raise ConvVizError(f"layer {number} ({layer.source or layer.text()}): "
                                   f"{error}") from None
            specs.append(spec)
        if not any(specs):
            raise ConvVizError(f"a stack needs a convolution or a pooling, got only "
                               f"{', '.join(layer.kind for layer in self.layers)}")
        return tuple(specs)

    def specs(self) -> tuple[ConvSpec, ...]:
        """The ConvSpec of every spatial layer, in order, each on the last one's output."""
        return tuple(spec for spec in self._specs if spec is not None)

    def layer_specs(self) -> tuple[ConvSpec | None, ...]:
        """One entry per layer: its ConvSpec, or None for a shape-preserving layer."""
        return self._specs

    @property
    def output_size(self) -> Pair:
        """``(H_out, W_out)`` of the last layer."""
        return self.specs()[-1].output_size

    def channels(self) -> tuple[int, ...]:
        """The channels each layer gives (a shape-preserving layer keeps them)."""
        found, channels = [], self.in_channels
        for spec in self._specs:
            channels = spec.out_channels if spec is not None else channels
            found.append(channels)
        return tuple(found)

    def sizes(self) -> tuple[tuple[int, int], ...]:
        """The output size of each layer (a shape-preserving layer keeps it)."""
        found, size = [], self.input_size
        for spec in self._specs:
            size = spec.output_size if spec is not None else size
            found.append(size)
        return tuple(found)

    def counts(self) -> tuple[tuple[int, int], ...]:
        """``(parameters, multiply-adds)`` of each layer (:func:`convviz.ops.counts.count`;
        a shape-preserving layer's parameters, no multiply-adds)."""
        arriving = (self.in_channels,) + self.channels()[:-1]
        found = []
        for layer, spec, channels in zip(self.layers, self._specs, arriving):
            if spec is None:
                found.append((layer.parameters(channels), 0))
            else:
                sizes = count(spec, bias=layer.bias)
                found.append((sizes.parameters, sizes.macs))
        return tuple(found)

    def torch_lines(self) -> tuple[str, ...]:
        """The PyTorch module of each layer: ``nn.Conv2d(3, 64, kernel_size=7, ...)``,
        ``nn.ReLU()``, ``nn.BatchNorm2d(64)``."""
        arriving = (self.in_channels,) + self.channels()[:-1]
        return tuple(_torch_line(layer, spec, channels) for layer, spec, channels in
                     zip(self.layers, self._specs, arriving))

    def to_text(self) -> str:
        """The stack in the short form, layers joined by ``'; '``."""
        return "; ".join(layer.text() for layer in self.layers)

    def query(self) -> dict[str, str]:
        """The link's keys: ``stack`` (the short form), ``n`` (``224`` or ``224,160``) and,
        when not 1, ``cin``."""
        keys = {"stack": self.to_text(), "n": show(self.input_size).strip("()")
                .replace(" ", "")}
        if self.in_channels != 1:
            keys["cin"] = str(self.in_channels)
        return keys


def _check_side(size: tuple[int, int], name: str) -> None:
    if max(size) > MAX_SIDE:
        raise ConvVizError(f"{name} must be at most {MAX_SIDE} cells a side in a stack, got "
                           f"{show(size)}")


def _torch_line(layer: Layer, spec: ConvSpec | None, channels: int) -> str:
    """The PyTorch module of one layer of a stack (``bias=False`` where it has none)."""
    if spec is None:
        given = dict(layer.fields)
        args = {"BatchNorm2d": [channels], "InstanceNorm2d": [channels],
                "GroupNorm": [given.get("groups"), channels]}.get(layer.kind, [])
        if "affine" in given and given["affine"] != AFFINE[layer.kind]:
            args.append(f"affine={given['affine']}")
        if layer.kind == "PReLU" and given.get("num_parameters", 1) != 1:
            args.append(f"num_parameters={given['num_parameters']}")
        if not layer.bias:
            args.append("bias=False")
        return f"nn.{layer.kind}({', '.join(map(str, args))})"
    stages = spec.stages()
    lines = [stage.torch_line() for stage in stages]
    if not layer.bias and spec.operation.weights:
        lines = [line[:-1] + ", bias=False)" for line in lines]
    return lines[0] if len(lines) == 1 else f"nn.Sequential({', '.join(lines)})"

