"""The operation table: one row per mode, everything convviz knows about it in one place.

A row says which engine function computes the mode and which checks its shapes, which
:class:`~convviz.ops.spec.ConvSpec` fields it takes (the others keep their defaults), its own
defaults and fixed values, its stages (separable runs two convolutions), its PyTorch module,
whether it has weights, how its figure is drawn, and the gallery figure the app starts from
when a user switches to it. :class:`~convviz.ops.spec.ConvSpec`, the formula, the counts, the
figures' registry, the CLI and the app read the table instead of branching on the mode.

To add an operation, add its engine function (and loop twin in ``reference``), its shape
check in ``shapes``, and a row here (``docs/architecture.md``).

>>> OPERATIONS["depthwise"].label, OPERATIONS["transposed"].torch, OPERATIONS["maxpool"].reduce
('Depthwise convolution', 'ConvTranspose2d', 'max')
>>> MODES[:3]
('conv', 'transposed', 'dilated')
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from . import engine, engine1d, pool_shapes, pooling, shapes

FIELDS = MappingProxyType({
    "input_size": 5, "kernel_size": 3, "stride": 1, "padding": 0, "dilation": 1,
    "output_padding": 0, "in_channels": 1, "out_channels": 1, "groups": 1,
    "padding_mode": "zeros", "convention": "pytorch", "ceil_mode": False,
    "count_include_pad": True, "divisor_override": None, "causal": False})
"""Every ConvSpec field after ``mode`` and its default where an operation sets none."""
PAIRS = ("input_size", "kernel_size", "stride", "dilation", "output_padding")
"""Fields that hold an ``(H, W)`` pair (``padding`` too, unless it is 'same' or 'valid')."""

_CONV = ("input_size", "kernel_size", "stride", "padding", "dilation", "in_channels",
         "out_channels", "groups", "padding_mode", "convention")
_SIZES = ("input_size", "kernel_size", "stride", "padding", "dilation")
_TRANSPOSED = ("input_size", "kernel_size", "stride", "padding", "dilation", "output_padding",
               "in_channels", "out_channels", "groups", "convention")
_MAX_POOL = ("input_size", "kernel_size", "stride", "padding", "dilation", "ceil_mode",
             "in_channels", "out_channels")
_AVG_POOL = ("input_size", "kernel_size", "stride", "padding", "ceil_mode", "count_include_pad",
             "in_channels", "out_channels", "divisor_override")


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
    dims : int
        Spatial axes of its engine function: 2, or 1 for ``(N, C, L)`` sequences. A 1-D spec
        holds its sizes as ``(1, n)`` pairs, a one-row plane, so cells and figures work alike.
    reduce : str
        What each window step computes: ``"sum"`` (weighted by the kernel), ``"max"`` or
        ``"mean"`` (pooling, no weights).
    layout : str or None
        The figure layout that draws it (:func:`convviz.figures.layout_of`) where the channel
        rule does not decide it: ``"pool"``, ``"strip"`` (1-D).
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
    dims: int = 2
    reduce: str = "sum"
    layout: str | None = None

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
          "output value."),
    Operation("transposed", "Transposed convolution", "ConvTranspose2d",
              engine.conv_transpose2d, shapes.conv_transpose2d_output_shape,
              params=_TRANSPOSED, transposed=True, formula="transposed",
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
_POOL = dict(weights=False, formula="pool",  # each channel pooled alike: C_out = C_in
             defaults={"stride": "kernel_size", "out_channels": "in_channels"},
             fixed={"out_channels": "in_channels"})
_STRIP = dict(dims=1, layout="strip")
_ROWS += (
    Operation("maxpool", "Max pooling", "MaxPool2d", pooling.max_pool2d,
              pool_shapes.max_pool2d_output_shape, params=_MAX_POOL + ("convention",),
              reduce="max",
              controls=_MAX_POOL[:6], layout="pool", preset="max_pooling", **_POOL,
              summary="Each output is the largest value in its window; padding is −∞, so it "
                      "never wins. The stride defaults to the window's size."),
    Operation("avgpool", "Average pooling", "AvgPool2d", pooling.avg_pool2d,
              pool_shapes.avg_pool2d_output_shape, params=_AVG_POOL + ("convention",),
              reduce="mean",
              controls=_AVG_POOL[:6] + _AVG_POOL[-1:], layout="pool", preset="avg_pooling",
              **_POOL,
              summary="Each output is the mean of its window: its sum over the cells it covers "
                      "(padding counted unless count_include_pad is off), or over the divisor."),
    Operation("conv1d", "1-D convolution", "Conv1d", engine1d.conv1d, shapes.conv1d_output_shape,
              params=_CONV[:-1] + ("causal",), controls=_SIZES + ("causal",), preset="conv1d",
              **_STRIP, summary="A kernel of k weights slides along a sequence; causal padding "
                                "pads the start only, so no output sees a later input."),
    Operation("transposed1d", "1-D transposed convolution", "ConvTranspose1d",
              engine1d.conv_transpose1d, shapes.conv_transpose1d_output_shape,
              params=_TRANSPOSED[:-1], controls=_SIZES + ("output_padding",), transposed=True,
              formula="transposed", **_STRIP,
              summary="Each input value stamps the kernel onto the output sequence; drawn as a "
                      "convolution over the sequence with zeros inserted."),
    Operation("maxpool1d", "1-D max pooling", "MaxPool1d", pooling.max_pool1d,
              pool_shapes.max_pool1d_output_shape, params=_MAX_POOL, reduce="max",
              controls=_MAX_POOL[:6], **_STRIP, **_POOL,
              summary="The largest value of each window along a sequence."),
    Operation("avgpool1d", "1-D average pooling", "AvgPool1d", pooling.avg_pool1d,
              pool_shapes.avg_pool1d_output_shape, params=_AVG_POOL[:-1], reduce="mean",
              controls=_AVG_POOL[:6], **_STRIP, **_POOL,
              summary="The mean of each window along a sequence."),
)
OPERATIONS: Mapping[str, Operation] = MappingProxyType({row.name: row for row in _ROWS})
"""Every operation by its mode name, in the order front ends list them."""
MODES: tuple[str, ...] = tuple(OPERATIONS)
"""The mode names, in the table's order."""
