"""The named figures: the seed note's tables and the conv_arithmetic reference GIFs.

Each :class:`Preset` has the conv_arithmetic file name, the seed note's caption and its spec.
A transposed preset is given as the seed note writes it: the transposed convolution's
input size n and the actual padding p_t.

>>> PRESETS["padding_strides_transposed"].spec.output_size
(5, 5)
"""
from __future__ import annotations

from dataclasses import dataclass

from .ops.spec import ConvSpec


@dataclass(frozen=True)
class Preset:
    """A named configuration: ``name`` (the GIF's file stem), ``caption``, ``spec``,
    ``in_seed`` (True when the seed note shows it) and ``classic`` (True for the 15
    conv_arithmetic reference figures)."""

    name: str
    caption: str
    spec: ConvSpec
    in_seed: bool = True
    classic: bool = True


def _conv(name: str, caption: str, n: int, k: int, s: int, p: int, d: int = 1,
          in_seed: bool = True) -> Preset:
    mode = "dilated" if d > 1 else "conv"
    spec = ConvSpec(mode=mode, input_size=n, kernel_size=k, stride=s, padding=p, dilation=d)
    return Preset(name, caption, spec, in_seed)


def _transposed(name: str, caption: str, n: int, k: int, s: int, pt: int, a: int = 0,
                in_seed: bool = True) -> Preset:
    spec = ConvSpec.build(mode="transposed", input_size=n, kernel_size=k, stride=s, pt=pt,
                          output_padding=a)
    return Preset(name, caption, spec, in_seed)


_ALL = (
    _conv("no_padding_no_strides", "No padding, no strides", 4, 3, 1, 0),
    _conv("arbitrary_padding_no_strides", "Arbitrary padding, no strides", 5, 4, 1, 2),
    _conv("same_padding_no_strides", "Half padding, no strides", 5, 3, 1, 1),
    _conv("full_padding_no_strides", "Full padding, no strides", 5, 3, 1, 2),
    _conv("no_padding_strides", "No padding, strides", 5, 3, 2, 0),
    _conv("padding_strides", "Padding, strides", 5, 3, 2, 1),
    _conv("padding_strides_odd", "Padding, strides (odd)", 6, 3, 2, 1, in_seed=False),
    _transposed("no_padding_no_strides_transposed", "No padding, no strides, transposed",
                2, 3, 1, 2),
    _transposed("arbitrary_padding_no_strides_transposed",
                "Arbitrary padding, no strides, transposed", 6, 4, 1, 1),
    _transposed("same_padding_no_strides_transposed", "Half padding, no strides, transposed",
                5, 3, 1, 1),
    _transposed("full_padding_no_strides_transposed", "Full padding, no strides, transposed",
                7, 3, 1, 0),
    _transposed("no_padding_strides_transposed", "No padding, strides, transposed", 2, 3, 2, 2),
    _transposed("padding_strides_transposed", "Padding, strides, transposed", 3, 3, 2, 1),
    _transposed("padding_strides_odd_transposed", "Padding, strides, transposed (odd)",
                3, 3, 2, 1, a=1, in_seed=False),
    _conv("dilation", "Dilation", 7, 3, 1, 0, d=2),
    # multi-channel figures (convviz.channels); the seed note shows the first two
    Preset("conv2d_3d", "Standard convolution",
           ConvSpec(input_size=5, kernel_size=3, in_channels=3, out_channels=2), True, False),
    Preset("depthwise", "Depthwise convolution",
           ConvSpec(mode="depthwise", input_size=5, kernel_size=3, in_channels=3), True, False),
    Preset("grouped", "Grouped convolution",
           ConvSpec(mode="grouped", input_size=5, kernel_size=3, in_channels=4, out_channels=4,
                    groups=2), False, False),
    Preset("pointwise", "Pointwise convolution",
           ConvSpec(mode="pointwise", input_size=5, kernel_size=1, in_channels=3,
                    out_channels=2), False, False),
    Preset("separable", "Depthwise-separable convolution",
           ConvSpec(mode="separable", input_size=5, kernel_size=3, in_channels=3,
                    out_channels=4), False, False),
    # pooling and 1-D figures (figures.pool, figures.strip)
    Preset("max_pooling", "Max pooling",
           ConvSpec(mode="maxpool", input_size=4, kernel_size=2), False, False),
    Preset("avg_pooling", "Average pooling, padded and strided",
           ConvSpec(mode="avgpool", input_size=5, kernel_size=3, stride=2, padding=1),
           False, False),
    Preset("conv1d", "1-D convolution",
           ConvSpec(mode="conv1d", input_size=8, kernel_size=3), False, False),
    Preset("causal_conv1d", "Causal 1-D convolution",
           ConvSpec(mode="conv1d", input_size=8, kernel_size=3, padding=2, causal=True),
           False, False),
)
PRESETS: dict[str, Preset] = {preset.name: preset for preset in _ALL}
"""Every named figure by its file stem: the 15 classic ones (conv_arithmetic names, the seed
note's order), then the multi-channel ones, then pooling and 1-D ones."""


def name_of(spec: ConvSpec) -> str | None:
    """The name of the gallery figure that is exactly ``spec``, else None.

    >>> name_of(ConvSpec(input_size=5, stride=2, padding=1)), name_of(ConvSpec(input_size=9))
    ('padding_strides', None)
    """
    return next((name for name, preset in PRESETS.items() if preset.spec == spec), None)
