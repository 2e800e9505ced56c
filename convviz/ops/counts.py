"""How big a convolution is: parameters, multiply-adds, and standard vs depthwise-separable.

Counts follow PyTorch: the parameters of ``nn.Conv2d`` / ``nn.ConvTranspose2d`` (weights of
``spec.weight_shape`` plus one bias per output channel), and the multiply-adds (MACs) that
``torch.utils.flop_counter`` counts (half its FLOPs): every kernel tap of every output
element, padding included, for a direct convolution; every input element times its
``(C_out/groups) * kH * kW`` products for a transposed one. A ``separable`` spec runs two
convolutions (:meth:`~convviz.ops.spec.ConvSpec.stages`), and its counts are their sums.

>>> spec = ConvSpec(input_size=5, kernel_size=3, in_channels=3, out_channels=4)
>>> c = count(spec)
>>> c.weights, c.biases, c.parameters, c.outputs, c.macs, c.macs_per_output
(108, 4, 112, 36, 972, 27.0)
>>> cmp = compare(spec)
>>> cmp.standard.weights, cmp.separable.weights, round(cmp.weight_ratio, 4)
(108, 39, 0.3611)
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from ..errors import ConvVizError
from .spec import ConvSpec


@dataclass(frozen=True)
class Counts:
    """Sizes of a configuration.

    Attributes
    ----------
    weights : int
        Kernel weights, the product of ``weight_shape`` (summed over stages).
    biases : int
        Bias terms, one per output channel of each stage (0 without bias).
    macs : int
        Multiply-adds of one forward pass on one input (N = 1).
    outputs : int
        Elements of the output, ``C_out * H_out * W_out``.
    """

    weights: int
    biases: int
    macs: int
    outputs: int

    @property
    def parameters(self) -> int:
        """Weights plus biases: what ``sum(p.numel() for p in module.parameters())`` gives."""
        return self.weights + self.biases

    @property
    def macs_per_output(self) -> float:
        """Multiply-adds per output element, ``macs / outputs``: ``(C_in/groups) * kH * kW``
        for a direct convolution; an average for transposed and separable specs."""
        return self.macs / self.outputs

    def __add__(self, other: Counts) -> Counts:
        """The counts of running ``self`` then ``other``: sizes add, the output is other's."""
        return Counts(self.weights + other.weights, self.biases + other.biases,
                      self.macs + other.macs, other.outputs)


def _stage_count(spec: ConvSpec, bias: bool) -> Counts:
    """Counts of one convolution (not separable), or of pooling: no weights, no biases, no
    multiply-adds (PyTorch's flop counter counts none for it either)."""
    _, c_out, *out = spec.output_shape
    if spec.weight_shape is None:
        return Counts(0, 0, 0, c_out * math.prod(out))
    weights = math.prod(spec.weight_shape)
    if spec.transposed:   # each input element meets every weight of its group's C_out/G maps
        macs = math.prod(spec.input_size) * weights
    else:                 # each output element meets every weight of its own kernel
        macs = math.prod(out) * weights
    return Counts(weights, c_out if bias else 0, macs, c_out * math.prod(out))


def count(spec: ConvSpec, *, bias: bool = True) -> Counts:
    """Parameters, multiply-adds and output size of ``spec`` (summed over its stages).

    Parameters
    ----------
    spec : ConvSpec
    bias : bool, keyword only
        Whether each convolution has a bias (PyTorch's default ``bias=True``).

    Returns
    -------
    Counts
        ``weights = C_out * (C_in/groups) * kH * kW``;
        ``macs = H_out * W_out * weights`` (direct) or ``H * W * weights`` (transposed).

    >>> count(ConvSpec(mode="depthwise", input_size=5, kernel_size=3, in_channels=3))
    Counts(weights=27, biases=3, macs=243, outputs=27)
    """
    first, *rest = (_stage_count(stage, bias) for stage in spec.stages())
    for later in rest:
        first = first + later
    return first


@dataclass(frozen=True)
class Comparison:
    """A standard convolution beside the depthwise-separable one with the same sizes.

    Attributes
    ----------
    standard, separable : Counts
        ``k^2 * C_in * C_out`` against ``k^2 * C_in + C_in * C_out`` weights.
    """

    standard: Counts
    separable: Counts

    @property
    def weight_ratio(self) -> float:
        """Separable over standard weights: ``1/C_out + 1/(kH*kW)``."""
        return self.separable.weights / self.standard.weights

    @property
    def mac_ratio(self) -> float:
        """Separable over standard multiply-adds (the same ``1/C_out + 1/(kH*kW)``)."""
        return self.separable.macs / self.standard.macs


def compare(spec: ConvSpec, *, bias: bool = True) -> Comparison:
    """Counts of a standard convolution (groups = 1) and a depthwise-separable one with the
    sizes, channels, stride, padding and dilation of ``spec``.

    >>> cmp = compare(ConvSpec(mode="depthwise", input_size=8, kernel_size=3, in_channels=8))
    >>> cmp.standard.macs, cmp.separable.macs, round(cmp.mac_ratio, 3)
    (20736, 4896, 0.236)
    """
    if spec.transposed or not spec.operation.weights or spec.dims != 2:
        raise ConvVizError(f"mode must be a 2-D direct convolution to compare with depthwise-"
                           f"separable, got {spec.mode!r}")
    standard = dataclasses.replace(spec, mode="conv", groups=1)
    separable = dataclasses.replace(spec, mode="separable", groups=spec.in_channels)
    return Comparison(count(standard, bias=bias), count(separable, bias=bias))


@dataclass(frozen=True)
class Counterpart:
    """The layer a page compares ``spec``'s with, by the same sizes and channels.

    Attributes
    ----------
    label : str
        What the other layer is, for people.
    own, other : Counts
        This layer's counts and the other's.
    """

    label: str
    own: Counts
    other: Counts

    @property
    def weight_ratio(self) -> float:
        """This layer's weights over the other's."""
        return self.own.weights / self.other.weights

    @property
    def mac_ratio(self) -> float:
        """This layer's multiply-adds over the other's."""
        return self.own.macs / self.other.macs


def counterpart(spec: ConvSpec, *, bias: bool = True) -> Counterpart | None:
    """What to compare ``spec``'s layer with, or None where no comparison says anything.

    A standard multi-channel convolution with a kernel over 1 × 1 is compared with the
    depthwise-separable one of its sizes; a depthwise, grouped or separable one with the
    standard (groups = 1) one. A one-channel, 1 × 1 (pointwise) or transposed layer has none:
    a separable version would save nothing or does not exist.

    >>> c = counterpart(ConvSpec(mode="depthwise", input_size=8, kernel_size=3, in_channels=8))
    >>> c.label, c.own.weights, c.other.weights
    ('a standard convolution (groups = 1) of these sizes', 72, 576)
    >>> counterpart(ConvSpec(mode="pointwise", in_channels=3, out_channels=2)) is None
    True
    """
    if spec.transposed or not spec.operation.weights or spec.dims != 2 or \
            spec.kernel_size == (1, 1):
        return None
    if spec.operation.stages or spec.groups > 1:
        standard = dataclasses.replace(spec, mode="conv", groups=1)
        return Counterpart("a standard convolution (groups = 1) of these sizes",
                           count(spec, bias=bias), count(standard, bias=bias))
    if spec.in_channels * spec.out_channels == 1:
        return None
    return Counterpart("a depthwise-separable convolution (depthwise, then pointwise 1 × 1) "
                       "of these sizes", count(spec, bias=bias), compare(spec, bias=bias).separable)
