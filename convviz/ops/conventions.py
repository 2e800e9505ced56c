"""Framework conventions: how PyTorch, TensorFlow/Keras, JAX and ONNX turn a padding into
cells on each side, and what each lays out where.

The same numbers do not give the same layer everywhere. ``padding="same"`` makes the output
``⌈n/s⌉`` cells long and pads ``total = max((⌈n/s⌉ − 1)·s + d·(k−1) + 1 − n, 0)`` cells; when
``total`` is odd, TensorFlow, Keras, JAX and ONNX's ``SAME_UPPER`` put the extra cell at the
end (bottom/right), ONNX's ``SAME_LOWER`` at the beginning (top/left). PyTorch refuses
``"same"`` for strided convolutions, and ONNX Runtime refuses ``SAME_*`` with dilation > 1.
Numbers (``padding=1``) mean the same on every side in every framework, and ``"valid"`` is no
padding. This module is the one place that knows these rules; :class:`~convviz.ops.spec.ConvSpec`
resolves its ``pads`` here.

>>> resolve("same", (6, 6), (3, 3), (2, 2), (1, 1), "tensorflow")
(0, 1, 0, 1)
>>> resolve("same", (6, 6), (3, 3), (2, 2), (1, 1), "onnx-lower")
(1, 0, 1, 0)
>>> resolve("same", (6, 6), (3, 3), (2, 2), (1, 1), "pytorch")  # doctest: +ELLIPSIS
Traceback (most recent call last):
convviz.errors.ConvVizError: padding='same' needs stride 1, got stride 2: PyTorch refuses ...
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from ..errors import ConvVizError
from ..text import show
from .args import Pair, at_least, check_choice, pair

Pads = tuple[int, int, int, int]
"""Padding per side: ``(top, bottom, left, right)``."""


@dataclass(frozen=True)
class Convention:
    """How one framework reads a convolution's padding and lays out its tensors.

    Attributes
    ----------
    name : str
        As links and the CLI write it (``"onnx-lower"``).
    label : str
        For people (``"ONNX (SAME_LOWER)"``).
    framework : str
        The library (``"ONNX"``).
    extra_first : bool
        ``"same"``'s odd cell goes first (top/left), not last (bottom/right).
    same_strided, same_dilated : bool
        Whether ``"same"`` is accepted with stride > 1, with dilation > 1.
    refusal : str
        Why ``"same"`` is refused where it is (stride or dilation).
    data, weights, transposed_weights : str
        Tensor layouts: the input/output (``"NCHW"``), a convolution's weights (``"OIHW"``)
        and a transposed convolution's (``"IOHW"``: C_in first).
    same_name : str
        How its code writes ``"same"`` (``'padding="same"'``, ``'auto_pad="SAME_LOWER"'``).
    strided_dilated : bool
        Whether a convolution may have stride > 1 and dilation > 1 at once.
    small_output_padding : str
        Who refuses a transposed convolution's ``output_padding >= stride`` (PyTorch takes
        up to ``max(stride, dilation) - 1``); empty where nobody does.
    """

    name: str
    label: str
    framework: str
    extra_first: bool = False
    same_strided: bool = True
    same_dilated: bool = True
    refusal: str = ""
    data: str = "NCHW"
    weights: str = "OIHW"
    transposed_weights: str = "IOHW"
    same_name: str = 'padding="SAME"'
    strided_dilated: bool = True
    small_output_padding: str = ""


_ORT_OUTPUT_PADDING = ("ONNX Runtime refuses an output size that its convolution would not map "
                       "back to the input size")
_ROWS = (
    Convention("pytorch", "PyTorch", "PyTorch", same_strided=False,
               refusal="PyTorch refuses 'same' for strided convolutions (choose the "
                       "tensorflow, jax or onnx convention, or give the padding as numbers)",
               same_name="padding=\"same\""),
    Convention("tensorflow", "TensorFlow / Keras", "TensorFlow", data="NHWC", weights="HWIO",
               transposed_weights="HWOI", same_name="padding=\"same\"", strided_dilated=False,
               small_output_padding="Keras refuses output_padding >= strides"),
    Convention("jax", "JAX", "JAX"),
    Convention("onnx-upper", "ONNX (SAME_UPPER)", "ONNX", same_dilated=False,
               refusal="ONNX Runtime refuses auto_pad SAME_UPPER with dilation > 1 (give the "
                       "padding as numbers: explicit pads work)",
               same_name="auto_pad=\"SAME_UPPER\"", small_output_padding=_ORT_OUTPUT_PADDING),
    Convention("onnx-lower", "ONNX (SAME_LOWER)", "ONNX", extra_first=True, same_dilated=False,
               refusal="ONNX Runtime refuses auto_pad SAME_LOWER with dilation > 1 (give the "
                       "padding as numbers: explicit pads work)",
               same_name="auto_pad=\"SAME_LOWER\"", small_output_padding=_ORT_OUTPUT_PADDING),
)
CONVENTIONS: Mapping[str, Convention] = MappingProxyType({row.name: row for row in _ROWS})
"""Every convention by its name, PyTorch first (the engine's own)."""
NAMES: tuple[str, ...] = tuple(CONVENTIONS)
"""The convention names, as ``conv=`` and ``--convention`` take them."""
DEFAULT = "pytorch"


def convention(name: str) -> Convention:
    """The convention called ``name``, or a ConvVizError listing them."""
    return CONVENTIONS[check_choice(name, "convention", NAMES)]


def same_output(n: int, s: int) -> int:
    """The output length ``⌈n/s⌉`` of ``"same"`` padding (any kernel, any dilation).

    >>> same_output(5, 2), same_output(6, 2)
    (3, 3)
    """
    return -(-n // s)


def same_total(n: int, k: int, s: int, d: int) -> int:
    """Cells ``"same"`` pads along one axis, both sides together:
    ``max((⌈n/s⌉ − 1)·s + d·(k−1) + 1 − n, 0)``.

    >>> same_total(5, 4, 2, 1), same_total(6, 3, 2, 1), same_total(3, 1, 4, 1)
    (3, 1, 0)
    """
    return max((same_output(n, s) - 1) * s + d * (k - 1) + 1 - n, 0)


def same_need(n: int, k: int, s: int, d: int) -> int:
    """``(⌈n/s⌉ − 1)·s + d·(k−1) + 1 − n``: what ``"same"`` pads before clamping at 0 (negative
    where the windows reach less far than the input: ``k`` smaller than ``s``)."""
    return (same_output(n, s) - 1) * s + d * (k - 1) + 1 - n


def same_sides(n: int, k: int, s: int, d: int, extra_first: bool = False) -> Pair:
    """``(before, after)`` of ``"same"`` along one axis: the odd cell after, or before when
    ``extra_first`` (ONNX's SAME_LOWER).

    >>> same_sides(5, 4, 2, 1), same_sides(6, 3, 2, 1, extra_first=True)
    ((1, 2), (1, 0))
    """
    total = same_total(n, k, s, d)
    small = total // 2
    return (total - small, small) if extra_first else (small, total - small)


def runtime_crops(name: str, padding: int | Sequence[int] | str, input_size: Pair,
                  kernel_size: Pair, stride: Pair, dilation: Pair, pool: bool = False) -> bool:
    """Whether ONNX Runtime (1.32) parts from the ONNX standard here. It does not clamp a
    negative ``"same"`` padding ``need = (⌈n/s⌉ − 1)·s + d·(k−1) + 1 − n``: from ``need <= −3``
    under SAME_UPPER (k = 1, s = 4, n a multiple of 4) and ``need <= −4`` under SAME_LOWER
    its first window starts past cell 0, while the ONNX reference implementation, TensorFlow
    and JAX pad nothing and start at cell 0, as convviz does. Its ``AveragePool`` (``pool``)
    does the same from ``need <= −2`` (SAME_UPPER) and ``need <= −3`` (SAME_LOWER), and its
    ``MaxPool`` refuses any ``need < 0`` (:mod:`~convviz.ops.pool_conventions` refuses it too).

    >>> runtime_crops("onnx-upper", "same", (4, 4), (1, 1), (4, 4), (1, 1))
    True
    >>> runtime_crops("onnx-lower", "same", (4, 4), (1, 1), (4, 4), (1, 1))
    False
    """
    if not name.startswith("onnx") or padding != "same":
        return False
    worst = (-3 if name == "onnx-upper" else -4) + pool
    return any(same_need(n, k, s, d) <= worst
               for n, k, s, d in zip(input_size, kernel_size, stride, dilation))


def resolve(padding: int | Sequence[int] | str, input_size: Pair, kernel_size: Pair,
            stride: Pair, dilation: Pair, name: str = DEFAULT) -> Pads:
    """Padding per side ``(top, bottom, left, right)`` as the framework ``name`` applies it
    to an ``(H, W)`` input, or the ConvVizError it raises (naming the framework and why).

    ``padding`` is an int, an ``(H, W)`` pair (the same on both sides of an axis), ``"valid"``
    (none) or ``"same"`` (see the module doc).

    >>> resolve("same", (5, 5), (4, 4), (2, 2), (1, 1), "tensorflow")
    (1, 2, 1, 2)
    >>> resolve(1, (5, 5), (3, 3), (2, 2), (1, 1), "onnx-lower")
    (1, 1, 1, 1)
    """
    rules = convention(name)
    if not isinstance(padding, str):
        ph, pw = at_least(pair(padding, "padding"), 0, "padding")
        return (ph, ph, pw, pw)
    if padding == "valid":
        return (0, 0, 0, 0)
    if padding != "same":
        raise ConvVizError(f"padding must be an int, a pair, 'same' or 'valid', got {padding!r}")
    if not rules.same_strided and max(stride) > 1:
        raise ConvVizError(f"padding='same' needs stride 1, got stride {show(stride)}: "
                           f"{rules.refusal}")
    if not rules.same_dilated and max(dilation) > 1:
        raise ConvVizError(f"padding='same' needs dilation 1, got dilation {show(dilation)}: "
                           f"{rules.refusal}")
    sides = [same_sides(*axis, rules.extra_first)
             for axis in zip(input_size, kernel_size, stride, dilation)]
    return (*sides[0], *sides[1])


def check(spec) -> None:
    """Refuse a :class:`~convviz.ops.spec.ConvSpec` (its fields resolved) whose convention's
    framework refuses the layer: padding other than zeros (only PyTorch has ``padding_mode``),
    a convolution strided and dilated at once (TensorFlow and Keras refuse it), or a transposed
    one whose ``output_padding`` is not below its stride (Keras and ONNX Runtime refuse it)."""
    rules = convention(spec.convention)
    if spec.padding_mode != "zeros" and rules.name != DEFAULT:
        raise ConvVizError(f"padding_mode must be 'zeros' under the {rules.name} convention "
                           f"({rules.framework} pads with zeros only), got {spec.padding_mode!r}")
    stride, dilation = spec.stride, spec.dilation
    if not rules.strided_dilated and max(stride) > 1 and max(dilation) > 1:
        raise ConvVizError(f"stride {show(stride)} and dilation {show(dilation)} cannot both be "
                           f"> 1 under the {rules.name} convention: {rules.label} refuses "
                           f"strides > 1 with dilation_rate > 1 (the jax convention takes both)")
    if spec.transposed and rules.small_output_padding and any(
            a >= s for a, s in zip(spec.output_padding, stride)):
        raise ConvVizError(f"output_padding must be < stride {show(stride)} under the "
                           f"{rules.name} convention, got {show(spec.output_padding)}: "
                           f"{rules.small_output_padding} (PyTorch takes < max(stride, "
                           f"dilation))")


def pre_pad(padding: int | Sequence[int] | str, pads: Pads, name: str) -> Pads | None:
    """``(left, right, top, bottom)`` to pad with first (``F.pad``), where PyTorch's
    ``padding`` cannot give the convention's ``pads``: ``"same"`` outside PyTorch, uneven
    along an axis; else None.

    >>> pre_pad("same", (0, 1, 0, 1), "tensorflow"), pre_pad("same", (1, 1, 0, 0), "jax")
    ((0, 1, 0, 1), None)
    """
    top, bottom, left, right = pads
    if name == DEFAULT or padding != "same" or (top == bottom and left == right):
        return None
    return torch_pad(pads)


def torch_padding(padding: int | Sequence[int] | str, pads: Pads,
                  name: str) -> int | Sequence[int] | str:
    """The ``padding`` PyTorch's ``conv2d`` takes to give ``pads`` under convention ``name``:
    ``padding`` itself, the even pads of ``"same"`` as numbers, or 0 where the input needs a
    :func:`pre_pad` first.

    >>> torch_padding("same", (1, 1, 2, 2), "tensorflow"), torch_padding("same", (0, 1, 0, 1),
    ...                                                                   "onnx-upper")
    ((1, 2), (0, 0))
    """
    if name == DEFAULT or padding != "same":
        return padding
    return (0, 0) if pre_pad(padding, pads, name) else (pads[0], pads[2])


def padded_shape(shape: tuple[int, int, int, int], pad: Pads | None) -> tuple[int, ...]:
    """``(N, C, H, W)`` after ``engine.pad`` with ``pad`` ``(left, right, top, bottom)``.

    >>> padded_shape((1, 1, 6, 6), (0, 1, 0, 1))
    (1, 1, 7, 7)
    """
    left, right, top, bottom = pad or (0, 0, 0, 0)
    n, c, h, w = shape
    return (n, c, h + top + bottom, w + left + right)


def torch_pad(pads: Pads) -> Pads:
    """``(top, bottom, left, right)`` in the order of ``torch.nn.functional.pad`` and
    ``nn.ZeroPad2d``: ``(left, right, top, bottom)``, last axis first.

    >>> torch_pad((0, 1, 2, 3))
    (2, 3, 0, 1)
    """
    top, bottom, left, right = pads
    return (left, right, top, bottom)


def onnx_pads(pads: Pads) -> tuple[int, int, int, int]:
    """ONNX's ``pads`` attribute: every axis's start, then every axis's end,
    ``[top, left, bottom, right]``.

    >>> onnx_pads((0, 1, 2, 3))
    (0, 2, 1, 3)
    """
    top, bottom, left, right = pads
    return (top, left, bottom, right)


def onnx_padding(padding, pads: Pads, name: str) -> list[str]:
    """An ONNX node's padding attribute for ``padding`` (``"same"``, ``"valid"`` or numbers,
    resolved to ``pads``) under convention ``name``: ``auto_pad``, explicit ``pads``, or none.

    >>> onnx_padding("same", (0, 1, 0, 1), "onnx-lower")
    ['auto_pad="SAME_LOWER"']
    >>> onnx_padding(1, (1, 1, 1, 1), "onnx-upper")
    ['pads=[1, 1, 1, 1]']
    """
    if padding == "same":
        return [convention(name).same_name]
    if padding == "valid":
        return ['auto_pad="VALID"']
    return [f"pads={list(onnx_pads(pads))}"] if any(pads) else []
