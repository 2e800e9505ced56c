"""The operation table: one row per mode, everything convviz knows about it in one place.

A row says which engine function computes the mode and which checks its shapes, which
:class:`~convviz.ops.spec.ConvSpec` fields it takes (the others keep their defaults), its own
defaults and fixed values, its stages (separable runs two convolutions), its PyTorch module,
whether it has weights, how its figure is drawn, and the gallery figure the app starts from
when a user switches to it. :class:`~convviz.ops.spec.ConvSpec`, the formula, the counts, the
figures' registry, the CLI and the app read the table instead of branching on the mode.

To add an operation, add its engine function (and loop twin in ``reference``), its shape
check in ``shapes``, and a row here (``docs/architecture.md``).

>>> OPERATIONS["depthwise"].label, OPERATIONS["transposed"].torch
('Depthwise convolution', 'ConvTranspose2d')
>>> MODES[:3]
('conv', 'transposed', 'dilated')
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from . import engine, shapes

FIELDS = MappingProxyType({
    "input_size": 5, "kernel_size": 3, "stride": 1, "padding": 0, "dilation": 1,
    "output_padding": 0, "in_channels": 1, "out_channels": 1, "groups": 1,
    "padding_mode": "zeros", "convention": "pytorch"})
"""Every ConvSpec field after ``mode`` and its default where an operation sets none."""
PAIRS = ("input_size", "kernel_size", "stride", "dilation", "output_padding")
"""Fields that hold an ``(H, W)`` pair (``padding`` too, unless it is 'same' or 'valid')."""

_CONV = ("input_size", "kernel_size", "stride", "padding", "dilation", "in_channels",
         "out_channels", "groups", "padding_mode", "convention")
_SIZES = ("input_size", "kernel_size", "stride", "padding", "dilation")
_TRANSPOSED = ("input_size", "kernel_size", "stride", "padding", "dilation", "output_padding",
               "in_channels", "out_channels", "groups", "convention")


@dataclass(frozen=True)
class Operation:
    """One row of the operation table.

    Attributes
    ----------
    name : str
        The mode, as links and the CLI write it (``"conv"``).
    label : str
        Its name for people (``"Convolution"``).
    torch : str
        The ``torch.nn`` module that computes it (``"Conv2d"``).
    function, output_shape : callables
        The engine function (``torch.nn.functional``'s signature) and the shape check it
        uses; both take the spec's :meth:`~convviz.ops.spec.ConvSpec.arguments`.
    params : tuple of str
        ConvSpec fields it takes; any other field must keep its default.
    controls : tuple of str
        The fields a front end offers for it, in order (a subset of ``params``: the rest
        keep the mode's defaults there, e.g. ``groups`` outside grouped mode).
    defaults : mapping
        Its own defaults; a string value names the field whose value it copies
        (depthwise: ``out_channels`` defaults to ``in_channels``).
    fixed : mapping
        Fields that must hold a value (pointwise: ``kernel_size`` 1), or equal the field named.
    minimum : mapping
        Lower bounds beyond the usual (dilated: ``dilation`` >= 2).
    stages : tuple of str
        Modes it runs one after another, each on the last one's output (separable); empty
        for a single operation.
    transposed, weights : bool
        A transposed convolution (the output-size relation runs the other way); has weights.
    formula : str
        Its output-size relation, a key of :data:`convviz.ops.formula.FORMULAS`.
    channels : bool
        Drawn as a multi-channel figure even with one channel in and out.
    preset : str or None
        The gallery figure whose channels and kernel a switch to this mode starts from.
    summary : str
        One line for people: what it does.
    """

    name: str
    label: str
    torch: str
    function: Callable
    output_shape: Callable
    params: tuple[str, ...] = _CONV
    controls: tuple[str, ...] = ()
    defaults: Mapping[str, int | str] = field(default_factory=dict)
    fixed: Mapping[str, int | str] = field(default_factory=dict)
    minimum: Mapping[str, int] = field(default_factory=dict)
    stages: tuple[str, ...] = ()
    transposed: bool = False
    weights: bool = True
    formula: str = "conv"
    channels: bool = False
    preset: str | None = None
    summary: str = ""

    def __post_init__(self) -> None:
        if not self.controls:                   # the sizes and channels it takes
            shown = tuple(f for f in self.params
                          if f not in ("groups", "padding_mode", "convention"))
            object.__setattr__(self, "controls", shown)

    def default(self, name: str, spec_fields: Mapping[str, object]) -> object:
        """The default of field ``name`` for this operation, given the fields set so far."""
        value = self.defaults.get(name, FIELDS[name])
        return spec_fields[value] if isinstance(value, str) and value in FIELDS else value

    def takes(self, name: str) -> bool:
        """True when ``name`` is one of this operation's parameters."""
        return name in self.params


def _conv(name: str, label: str, summary: str, **row) -> Operation:
    return Operation(name, label, "Conv2d", engine.conv2d, shapes.conv2d_output_shape,
                     summary=summary, **row)


_ROWS = (
    _conv("conv", "Convolution", "A kernel slides over the padded input; each step is one "
          "output value.", preset="padding_strides"),
    Operation("transposed", "Transposed convolution", "ConvTranspose2d",
              engine.conv_transpose2d, shapes.conv_transpose2d_output_shape,
              params=_TRANSPOSED, transposed=True, formula="transposed",
              preset="padding_strides_transposed",
              summary="The gradient of a convolution: each input value stamps the kernel onto "
                      "the output; drawn as a convolution over the input with zeros inserted."),
    _conv("dilated", "Dilated convolution", "The kernel's taps are d cells apart.",
          defaults={"dilation": 2}, minimum={"dilation": 2}, preset="dilation"),
    _conv("depthwise", "Depthwise convolution", "Each input channel has its own kernel and "
          "output map (groups = in_channels).",
          defaults={"out_channels": "in_channels", "groups": "in_channels"},
          fixed={"groups": "in_channels"}, channels=True, preset="depthwise"),
    _conv("grouped", "Grouped convolution", "The channels split into groups, each convolved "
          "on its own.", controls=_SIZES + ("in_channels", "out_channels", "groups"),
          channels=True, preset="grouped"),
    _conv("pointwise", "Pointwise (1 × 1) convolution", "A 1 × 1 kernel mixes the channels "
          "at each position.", defaults={"kernel_size": 1}, fixed={"kernel_size": 1},
          controls=("input_size", "stride", "in_channels", "out_channels"),   # 1 x 1: no
          channels=True, preset="pointwise"),                # span to pad or dilate
    _conv("separable", "Depthwise-separable convolution", "A depthwise k × k convolution, "
          "then a pointwise 1 × 1 one.",
          defaults={"groups": "in_channels"}, fixed={"groups": "in_channels"},
          stages=("depthwise", "pointwise"), channels=True, preset="separable"),
)
OPERATIONS: Mapping[str, Operation] = MappingProxyType({row.name: row for row in _ROWS})
"""Every operation by its mode name, in the order front ends list them."""
MODES: tuple[str, ...] = tuple(OPERATIONS)
"""The mode names, in the table's order."""
