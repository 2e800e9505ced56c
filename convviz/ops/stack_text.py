"""A stack as text: the short form (``conv k3 s1 p1; conv k3 s2 p1; maxpool k2; conv k3 d2 p2``)
or pasted PyTorch (:mod:`convviz.ops.torch_text`), and the stacks the app offers as presets.

In the short form layers are separated by ``;`` or new lines; a layer is a word and its keys:

- the word: a 2-D mode of the operation table (``conv``, ``transposed``, ``dilated``,
  ``depthwise``, ``grouped``, ``pointwise``, ``separable``, ``maxpool``, ``avgpool``; also
  ``tconv``/``deconv``/``up``, ``max``/``avg``, ``dw``/``pw``) or a shape-preserving layer
  (``relu``, ``gelu``, ``batchnorm``/``bn``, ``dropout``, ...);
- ``k s p d a``: kernel size, stride, padding, dilation, output padding, an int or ``H,W``
  (``p=same``, ``p=valid`` too); ``c`` output channels, ``g`` groups, ``div`` an average
  pooling's divisor; ``ceil``, ``nobias``, ``cip=0`` (padding not counted), ``pm=reflect``
  (padding mode), ``affine=0``/``1`` and ``np`` (PReLU's parameters). ``k=3`` reads as ``k3``.

Text with a ``(`` is read as PyTorch. A refusal is one line naming what was not understood.

>>> parse_stack("conv k7 s2 p3; maxpool k3 s2 p1", input_size=224).output_size
(56, 56)
>>> parse_stack("nn.Conv2d(3, 8, 3, padding=1)", input_size=5).torch_lines()
('nn.Conv2d(3, 8, kernel_size=3, padding=1)',)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType

from ..errors import ConvVizError
from .args import Pair, parse_int, parse_ints
from .stack import KEYS, MODES_2D, SHAPE_PRESERVING, Layer, Stack
from .torch_text import MAX_TEXT_CHARS, torch_layers

ALIASES = {"tconv": "transposed", "deconv": "transposed", "convtranspose": "transposed",
           "up": "transposed", "max": "maxpool", "avg": "avgpool", "dw": "depthwise",
           "pw": "pointwise", "bn": "BatchNorm2d", "gn": "GroupNorm", "in": "InstanceNorm2d"}
WORDS = MappingProxyType({**{mode: mode for mode in MODES_2D}, **ALIASES,
                          **{word: name for name, word in SHAPE_PRESERVING.items()}})
"""Short-form word -> the layer's kind (a mode, or a PyTorch name)."""
_FIELDS = {key: name for name, key in KEYS.items()}
_SWITCHES = ("ceil_mode", "count_include_pad", "affine")
_COUNTS = ("out_channels", "groups", "divisor_override", "num_parameters")
_WORD_VALUES = {"padding": ("same", "valid"), "padding_mode": ("reflect", "replicate",
                                                               "circular", "zeros")}
_NUMBER = re.compile(r"([a-z]+?)=?(-?\d+(?:,-?\d+)?)")
_WORD = re.compile(r"([a-z]+?)=?([a-z]+)")
HELP = "k3, s2, p1, d2, a1, c16, g2, div4, ceil, nobias, cip=0, pm=reflect"
"""What a short-form layer's keys look like, for refusals."""


def parse_stack(text: str, *, input_size: int | Pair = 32,
                in_channels: int | None = None) -> Stack:
    """The :class:`~convviz.ops.stack.Stack` that ``text`` describes (the short form, or
    PyTorch when it holds a ``(``) on an ``input_size`` input of ``in_channels`` channels
    (None: the first layer's, else 1)."""
    if not isinstance(text, str):
        raise ConvVizError(f"the stack must be text, got {type(text).__name__}")
    if len(text) > MAX_TEXT_CHARS:
        raise ConvVizError(f"the stack's text must be at most {MAX_TEXT_CHARS:,} characters, "
                           f"got {len(text):,}")
    layers = torch_layers(text) if "(" in text else short_layers(text)
    if not layers:
        raise ConvVizError("the stack is empty: write layers such as 'conv k3 s1 p1; maxpool "
                           "k2', or paste nn.Conv2d(...) lines")
    return Stack(layers, input_size, in_channels)


def short_layers(text: str) -> tuple[Layer, ...]:
    """The layers of the short form (see the module doc), in order."""
    found = []
    for number, part in enumerate((p for p in re.split(r"[;\n]", text) if p.strip()), 1):
        try:
            found.append(short_layer(part))
        except ConvVizError as error:
            raise ConvVizError(f"layer {number} ({part.strip()}): {error}") from None
    return tuple(found)


def short_layer(text: str) -> Layer:
    """One layer of the short form: ``conv k3 s2 p1``.

    >>> short_layer("maxpool k2 s1 ceil")
    Layer(kind='maxpool', fields=(('kernel_size', 2), ('stride', 1), ('ceil_mode', True)), \
in_channels=None, bias=True)
    """
    word, *tokens = text.lower().split()
    kind = WORDS.get(word)
    if kind is None:
        raise ConvVizError(f"{word!r} is not a layer convviz knows: write one of "
                           f"{', '.join(MODES_2D)}, or a shape-preserving layer such as relu, "
                           f"batchnorm, dropout")
    fields, bias, channels = {}, True, None
    for token in tokens:
        if token == "nobias":
            bias = False
            continue
        name, value = _token(token)
        if name in fields or (name == "out_channels" and channels is not None):
            raise ConvVizError(f"{KEYS[name]} is given twice, got {token!r}")
        if name == "out_channels" and kind not in MODES_2D:
            channels = value                        # a norm's channels: checked on arrival
            continue
        fields[name] = value
    if kind not in MODES_2D:
        _check_keys(kind, fields, bias)
    return Layer(kind, tuple(fields.items()), channels, bias, source=text.strip())


def _token(token: str) -> tuple[str, object]:
    """A short-form key and its value: ``k3`` -> ``('kernel_size', 3)``."""
    if token == "ceil":
        return "ceil_mode", True
    for pattern, words in ((_NUMBER, False), (_WORD, True)):
        match = pattern.fullmatch(token)
        name = _FIELDS.get(match.group(1)) if match else None
        if name is None or (words and name not in _WORD_VALUES) or \
                (not words and name == "padding_mode"):
            continue
        text = match.group(2)
        if words:
            if text not in _WORD_VALUES[name]:
                raise ConvVizError(f"{KEYS[name]} must be one of "
                                   f"{', '.join(_WORD_VALUES[name])} or a number, got {text!r}")
            return name, text
        if name in _SWITCHES:
            return name, bool(parse_int(text, KEYS[name], 0, 1))
        if name in _COUNTS:
            return name, parse_int(text, KEYS[name])
        return name, parse_ints(text, KEYS[name])
    raise ConvVizError(f"{token!r} is not understood: write keys such as {HELP}")


def _check_keys(kind: str, fields: dict, bias: bool) -> None:
    """The keys a shape-preserving layer takes: a norm's affine (and GroupNorm's g), PReLU's
    np; nothing else."""
    allowed = {"GroupNorm": {"groups", "affine"}, "BatchNorm2d": {"affine"},
               "InstanceNorm2d": {"affine"}, "PReLU": {"num_parameters"}}.get(kind, set())
    extra = [KEYS[name] for name in fields if name not in allowed]
    if not bias and kind not in ("BatchNorm2d", "InstanceNorm2d", "GroupNorm"):
        extra.append("nobias")
    if extra:
        takes = ", ".join(KEYS[name] for name in sorted(allowed)) or "no keys"
        raise ConvVizError(f"{SHAPE_PRESERVING[kind]} keeps the shape and takes {takes}, "
                           f"got {extra[0]}")


@dataclass(frozen=True)
class StackPreset:
    """A stack the app offers: its ``label``, its short form ``text``, the input it runs on,
    and a ``note`` on what it shows."""

    label: str
    text: str
    input_size: int | Pair
    in_channels: int
    note: str

    def stack(self) -> Stack:
        """The preset's stack."""
        return parse_stack(self.text, input_size=self.input_size, in_channels=self.in_channels)


PRESETS = MappingProxyType({
    "resnet_stem": StackPreset(
        "ResNet stem", "conv k7 s2 p3 c64 nobias; batchnorm; relu; maxpool k3 s2 p1", 224, 3,
        "ResNet's first layers: a 224 × 224 image becomes a 56 × 56 map; each cell sees an "
        "11 × 11 patch, and neighbours are 4 pixels apart."),
    "vgg_block": StackPreset(
        "VGG block", "conv k3 p1 c64; relu; conv k3 p1 c64; relu; maxpool k2", 32, 3,
        "Two 3 × 3 convolutions see as far as one 5 × 5 with fewer weights; the pooling "
        "halves the map (a CIFAR-sized image)."),
    "unet": StackPreset(
        "U-Net down/up", "conv k3 p1 c64; relu; conv k3 p1 c64; relu; maxpool k2; "
        "conv k3 p1 c128; relu; conv k3 p1 c128; relu; transposed k2 s2 c64; "
        "conv k3 p1 c64; relu; conv k3 p1 c64; relu", 32, 1,
        "Down by a pooling, up by a transposed convolution: the output has the input's size, "
        "and the jump returns to 1."),
    "issue_example": StackPreset(
        "Mixed: strides, pooling, dilation", "conv k3 s1 p1; conv k3 s2 p1; maxpool k2; "
        "conv k3 p2 d2", 32, 1,
        "Each stride multiplies the jump; the dilated layer then grows the field by 2·2·4."),
    "gridding": StackPreset(
        "Dilated twice (holes)", "conv k3 p2 d2; conv k3 p2 d2", 16, 1,
        "Two dilated layers read only every other cell: the field has holes (gridding)."),
    "alexnet": StackPreset(
        "AlexNet's first layers", "conv k11 s4 p2 c64; relu; maxpool k3 s2", 224, 3,
        "A large, strided first kernel: 224 → 55 → 27."),
})
"""Named stacks for the app and the CLI (``--preset``), in the order they are offered."""
