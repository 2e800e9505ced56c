"""The PyTorch module that computes a configuration, as one line of code.

``nn.Conv2d(1, 1, kernel_size=3, stride=2, padding=1)``, ``nn.MaxPool2d(2)``: the row's
``torch`` module with the spec's arguments where they differ from PyTorch's defaults (a pooling
module's stride defaults to its kernel size). Padding that PyTorch's ``padding`` cannot say (a
causal 1-D convolution's, all before the sequence; another framework's uneven ``'same'``) pads
first: ``nn.Sequential(nn.ZeroPad1d((p, 0)), nn.Conv1d(...))``; a max pooling's with −∞
(``nn.ConstantPad2d``), and an average over the input cells only (TensorFlow's "same") divides
the window sums by those of ones, which no module does: the line is then a ``lambda``.

>>> from convviz.ops.spec import ConvSpec
>>> torch_line(ConvSpec(mode="maxpool", input_size=4, kernel_size=2))
'nn.MaxPool2d(2)'
>>> torch_line(ConvSpec(mode="avgpool", input_size=5, kernel_size=3, stride=2, ceil_mode=True))
'nn.AvgPool2d(3, stride=2, ceil_mode=True)'
>>> torch_line(ConvSpec(mode="conv1d", input_size=8, padding=2, causal=True))
'nn.Sequential(nn.ZeroPad1d((2, 0)), nn.Conv1d(1, 1, kernel_size=3))'
"""
from __future__ import annotations

from .fields import engine_value, shown
from .pool_conventions import real_cells

TORCH_DEFAULTS = {"stride": 1, "padding": 0, "output_padding": 0, "groups": 1, "dilation": 1,
                  "padding_mode": "zeros", "ceil_mode": False, "count_include_pad": True,
                  "divisor_override": None}
"""PyTorch's default of each module argument (either axis of a pair)."""


def _is_default(value: object, default: object) -> bool:
    return value == default or (isinstance(value, tuple) and all(v == default for v in value))


def torch_line(spec, bias: bool = True) -> str:
    """The PyTorch module line of ``spec`` (a :class:`~convviz.ops.spec.ConvSpec`); a module
    with weights says ``bias=False`` where ``bias`` is False (as convviz's figures compute).

    >>> from convviz.ops.spec import ConvSpec
    >>> torch_line(ConvSpec(input_size=3), bias=False)
    'nn.Conv2d(1, 1, kernel_size=3, bias=False)'
    """
    op = spec.operation
    if op.stages:
        return f"nn.Sequential({', '.join(torch_line(s, bias) for s in spec.stages())})"
    kernel = shown(engine_value(op, "kernel_size", spec.kernel_size))
    args = ([str(spec.in_channels), str(spec.out_channels), f"kernel_size={kernel}"]
            if op.weights else [kernel])
    arguments = spec.arguments()
    defaults = dict(TORCH_DEFAULTS, stride=arguments.get("kernel_size", 1))   # pooling's
    for name, value in arguments.items():
        if name != "kernel_size" and not _is_default(value, defaults[name]):
            args.append(f"{name}={shown(value)}")
    if op.weights and not bias:
        args.append("bias=False")
    line = f"nn.{op.torch}({', '.join(args)})"
    if not spec.pre_pad:
        return line
    if op.reduce == "max":            # pads PyTorch's padding cannot say, as F.pad takes them
        return f"nn.Sequential(nn.ConstantPad2d({spec.pre_pad}, float(\"-inf\")), {line})"
    if real_cells(spec):
        sums = "nn.functional.avg_pool2d(nn.functional.pad({}, " f"{spec.pre_pad}), " \
            f"{', '.join(args)})"     # window sums over the count of input cells in each
        return f"lambda x: ({sums.format('x')}\n    / {sums.format('torch.ones_like(x)')})"
    return f"nn.Sequential(nn.ZeroPad{spec.dims}d({spec.pre_pad}), {line})"
