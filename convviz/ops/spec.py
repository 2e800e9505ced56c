"""ConvSpec: one validated value that describes a configuration, read off the operation table.

A ConvSpec is what ``nn.Conv2d`` / ``nn.ConvTranspose2d`` take, plus the input size and the
mode (a row of :data:`~convviz.ops.table.OPERATIONS`). It is frozen and hashable, checked
when made (by the same code that checks engine calls, :mod:`convviz.ops.shapes`), and
round-trips through a URL query string. Fields left out take the mode's defaults.

>>> ConvSpec(input_size=5, kernel_size=3, stride=2, padding=1).output_size
(3, 3)
>>> ConvSpec.from_query("mode=transposed&n=3&k=3&s=2&p=1").output_size
(5, 5)
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import parse_qsl

from ..errors import ConvVizError
from . import conventions, pool_conventions
from .args import Pair, at_least, check_choice, pair, parse_int, parse_ints
from .fields import (
    FLAGS,
    check_row,
    engine_arguments,
    link_text,
    normalise,
    padding_for_pt,
    parse_flag,
    shown,
)
from .modules import torch_line
from .shapes import pad_output_shape, refuse_empty, unread
from .table import FIELDS, MODES, OPERATIONS, PAIRS, Operation

QUERY_KEYS = {"mode": "mode", "n": "input_size", "k": "kernel_size", "s": "stride",
              "p": "padding", "d": "dilation", "op": "output_padding",
              "cin": "in_channels", "cout": "out_channels", "groups": "groups",
              "pm": "padding_mode", "conv": "convention", "ceil": "ceil_mode",
              "cip": "count_include_pad", "div": "divisor_override", "causal": "causal"}
"""Link key -> ConvSpec field. ``a`` (the formula's name) reads as ``op`` too, and ``pt``
(a transposed convolution's actual padding) as the ``padding`` it gives."""
_ALIASES = {"a": "op"}
_CHANNEL_DEFAULTS = ("out_channels", "groups", "count_include_pad")   # the mode's


@dataclass(frozen=True)
class ConvSpec:
    """A configuration: mode, sizes (ints or ``(H, W)`` pairs) and channels.

    ``padding`` is PyTorch's (an int, a pair, or ``'same'`` / ``'valid'`` for direct ones);
    :meth:`build` also takes a transposed convolution's *actual padding* ``pt = d*(k-1) -
    padding``, the padding conv_arithmetic draws. A field left as None takes the mode's
    default (:meth:`Operation.default`), e.g. ``groups`` is ``in_channels`` for depthwise.

    A 1-D mode (``conv1d``, ``maxpool1d``, ...) takes each size as one length and holds it as
    the one-row plane ``(1, n)`` (:mod:`convviz.ops.fields`); ``causal`` pads its start only.
    """

    mode: str = "conv"
    input_size: int | Pair | None = None
    kernel_size: int | Pair | None = None
    stride: int | Pair | None = None
    padding: int | Pair | str | None = None
    dilation: int | Pair | None = None
    output_padding: int | Pair | None = None
    in_channels: int | None = None
    out_channels: int | None = None
    groups: int | None = None
    padding_mode: str | None = None
    convention: str | None = None
    ceil_mode: bool | None = None
    count_include_pad: bool | None = None
    divisor_override: int | None = None
    causal: bool | None = None

    def __post_init__(self) -> None:
        op = OPERATIONS[check_choice(self.mode, "mode", MODES)]
        resolved: dict[str, object] = {}
        for name in FIELDS:
            value = getattr(self, name)
            value = pool_conventions.default(op, name, resolved) if value is None else value
            value = normalise(op, name, value)
            resolved[name] = value
            object.__setattr__(self, name, value)
        conventions.check(self)
        pool_conventions.check(self)
        at_least(self.input_size, 1, "input_size")
        at_least(self.kernel_size, 1, "kernel_size")
        check_row(op, self)
        if self.in_channels % self.groups:
            raise ConvVizError(f"in_channels must be divisible by groups={self.groups}, "
                               f"got {self.in_channels}")
        if self.out_channels % self.groups and not op.stages:   # staged: the first's groups
            raise ConvVizError(f"out_channels must be divisible by groups={self.groups}, "
                               f"got {self.out_channels}")
        if self.causal and (isinstance(self.padding, str) or self.padding_mode != "zeros"):
            raise ConvVizError(f"causal padding is p zeros before the input: padding must be "
                               f"an int and padding_mode 'zeros', got {_shown(self.padding)} "
                               f"and {self.padding_mode!r}")
        refuse_empty(self)          # the shape checks raise here too, for a bad spec

    @classmethod
    def build(cls, *, pt: int | Pair | None = None, **fields) -> ConvSpec:
        """A ConvSpec from its fields, where a transposed one may give ``pt`` for ``padding``.

        >>> ConvSpec.build(mode="transposed", input_size=3, kernel_size=3, stride=2, pt=1).padding
        (1, 1)
        """
        if pt is not None:
            op = OPERATIONS[check_choice(fields.get("mode", "conv"), "mode", MODES)]
            fields["padding"] = padding_for_pt(op, pt, fields)
        return cls(**fields)

    # ---- derived values -------------------------------------------------------------------
    @property
    def operation(self) -> Operation:
        """This spec's row of the operation table."""
        return OPERATIONS[self.mode]

    @property
    def transposed(self) -> bool:
        """True for a transposed convolution."""
        return self.operation.transposed

    def stages(self) -> tuple[ConvSpec, ...]:
        """The operations this spec runs, in order: ``(self,)``, or for a staged mode
        (separable) one spec per stage, each on the last one's output, the last with this
        spec's ``out_channels``.

        >>> [s.mode for s in ConvSpec(mode="separable", in_channels=3, out_channels=4).stages()]
        ['depthwise', 'pointwise']
        """
        names = self.operation.stages
        if not names:
            return (self,)
        specs = [dataclasses.replace(self, mode=names[0], out_channels=None, groups=None)]
        for name in names[1:]:
            last = specs[-1]
            specs.append(ConvSpec(mode=name, input_size=last.output_size,
                                  in_channels=last.out_channels, out_channels=self.out_channels,
                                  convention=self.convention))
        return tuple(specs)

    def arguments(self) -> dict[str, object]:
        """The keyword arguments of this spec's engine function (and shape check), e.g.
        ``{'stride': (2, 2), 'padding': (1, 1), ...}`` for ``engine.conv2d`` (see
        :func:`~convviz.ops.fields.engine_arguments` and :attr:`pre_pad`)."""
        op, found = self.operation, engine_arguments(self.operation, self)
        if op.takes("convention") and not op.weights:
            found |= pool_conventions.arguments(self)
        elif op.takes("convention") and not self.transposed:
            found["padding"] = conventions.torch_padding(self.padding, self.pads, self.convention)
        if self.causal:
            found["padding"] = 0
        return found

    @property
    def pre_pad(self) -> tuple[int, ...] | None:
        """``(left, right, top, bottom)`` (1-D: ``(left, right)``) to ``engine.pad`` the input
        with first, or None: a convention's uneven 'same', a causal spec's padding."""
        if self.causal:
            return (self.causal_pad, 0)
        if pool_conventions.pads_first(self):
            return conventions.torch_pad(self.pads)
        return None if self.transposed else conventions.pre_pad(self.padding, self.pads,
                                                                self.convention)

    @property
    def dims(self) -> int:
        """Spatial axes: 2, or 1 for a sequence (``(N, C, L)`` arrays)."""
        return self.operation.dims

    @property
    def causal_pad(self) -> int:
        """Zeros a causal spec puts before its input (then no padding), else 0."""
        return self.padding[1] if self.causal else 0

    @property
    def input_shape(self) -> tuple[int, ...]:
        """``(1, C_in, H, W)``, or ``(1, C_in, L)`` in 1-D: the shape of one input."""
        return (1, self.in_channels, *self.input_size[-self.dims:])

    @property
    def weight_shape(self) -> tuple[int, ...] | None:
        """``(C_out, C_in/groups, kH, kW)``, or ``(C_in, C_out/groups, kH, kW)`` transposed
        (``(..., k)`` in 1-D); a staged mode's first stage's; None for pooling (no weights)."""
        op, kernel = self.operation, self.kernel_size[-self.dims:]
        if op.stages:
            return self.stages()[0].weight_shape
        if not op.weights:
            return None
        if self.transposed:
            return (self.in_channels, self.out_channels // self.groups, *kernel)
        return (self.out_channels, self.in_channels // self.groups, *kernel)

    @cached_property
    def output_shape(self) -> tuple[int, ...]:
        """``(1, C_out, H_out, W_out)`` (``(1, C_out, L_out)`` in 1-D), computed (and checked)
        by the op's shape function; once per spec (a page run asks about thirty times)."""
        op = self.operation
        if op.stages:
            return self.stages()[-1].output_shape
        shape = pad_output_shape(self.input_shape, self.pre_pad) if self.pre_pad else \
            self.input_shape
        weight = () if self.weight_shape is None else (self.weight_shape,)
        return op.output_shape(shape, *weight, **self.arguments())

    @property
    def output_size(self) -> Pair:
        """``(H_out, W_out)``; ``(1, L_out)`` in 1-D (the one-row plane)."""
        return (1,) * (2 - self.dims) + self.output_shape[2:]

    @property
    def pads(self) -> tuple[int, int, int, int]:
        """Padding per side ``(top, bottom, left, right)``, by the convention's rules; causal
        padding is on the left only."""
        if self.causal:
            return (0, 0, self.causal_pad, 0)
        return conventions.resolve(self.padding, self.input_size, self.kernel_size, self.stride,
                                   self.dilation, self.convention)

    @property
    def actual_padding(self) -> Pair:
        """The actual padding ``p_t = d*(k-1) - p`` of a transposed convolution (may be < 0)."""
        if not self.transposed:
            raise ConvVizError("actual padding (pt) is defined for transposed mode only")
        return tuple(d * (k - 1) - p for k, d, p in
                     zip(self.kernel_size, self.dilation, self.padding))

    @property
    def square(self) -> bool:
        """True when every size and the padding are the same along H and W."""
        pads = self.pads
        return (all(getattr(self, name)[0] == getattr(self, name)[1] for name in PAIRS)
                and pads[0] + pads[1] == pads[2] + pads[3])

    def unread(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Input rows and columns a direct convolution never reads (strides, dilation).

        >>> ConvSpec(input_size=6, kernel_size=3, stride=2).unread()
        ((5,), (5,))
        """
        if self.transposed:
            return ((), ())
        return tuple(unread(*axis) for axis in zip(self.input_size, self.kernel_size, self.stride,
                                                   self.dilation, self.pads[::2], self.output_size))

    # ---- text forms -----------------------------------------------------------------------
    def torch_line(self, *, bias: bool = True) -> str:
        """The PyTorch module that computes this spec, without its bias where ``bias`` is
        False (as convviz's figures compute ``y``).

        >>> ConvSpec(mode="transposed", input_size=3, stride=2, padding=1).torch_line()
        'nn.ConvTranspose2d(1, 1, kernel_size=3, stride=2, padding=1)'
        """
        return torch_line(self, bias)

    def to_query(self) -> str:
        """The URL query string of this spec. ``mode n k s p`` are always written; the rest
        where they differ from the defaults (channels: the mode's, so ``cout`` of a depthwise
        spec is implied).

        >>> ConvSpec(mode="transposed", input_size=3, stride=2, padding=1).to_query()
        'mode=transposed&n=3&k=3&s=2&p=1'
        """
        op, parts, resolved = self.operation, [], {}
        for key, name in QUERY_KEYS.items():
            value = getattr(self, name)
            resolved[name] = value
            if key not in ("mode", "n", "k", "s", "p"):      # always written
                default = pool_conventions.default(op, name, resolved) if name in \
                    _CHANNEL_DEFAULTS else FIELDS[name]
                if value == _normal(name, default):
                    continue
            parts.append(f"{key}={link_text(op, value)}")
        return "&".join(parts)

    @classmethod
    def from_query(cls, query: str | Mapping[str, str]) -> ConvSpec:
        """The spec a query string (``'?mode=conv&n=5,7'``) or its mapping describes.

        Keys are ``mode n k s p d op cin cout groups pm conv`` (``a`` for ``op``), ``pt``
        (transposed), ``ceil cip causal`` (``1``/``0``) and ``div``; pairs are written ``H,W``,
        1-D sizes as one length. Other keys are ignored; a bad value raises ConvVizError.
        """
        if isinstance(query, str):
            query = dict(parse_qsl(query.lstrip("?"), keep_blank_values=True))
        fields: dict = {}
        for key, text in query.items():
            text = text[-1] if isinstance(text, list) else str(text)
            key = _ALIASES.get(key, key)
            name = QUERY_KEYS.get(key, "pt" if key == "pt" else None)
            if name is None:
                continue
            if name in fields:
                raise ConvVizError(f"{name} is given twice in the link (op and a): give one")
            if name in ("mode", "padding_mode", "convention") or (name == "padding" and
                                                    text in ("same", "valid")):
                fields[name] = text
            elif name in FLAGS:
                fields[name] = parse_flag(text, name)
            elif name == "divisor_override":
                fields[name] = parse_int(text, name)
            else:
                single = name in ("in_channels", "out_channels", "groups")
                fields[name] = parse_ints(text, name, 1 if single else 2)
        return cls.build(**fields)


def _normal(name: str, value: object) -> object:
    """A field's value as ConvSpec holds it (ints as pairs where the field is a pair)."""
    if name in PAIRS or (name == "padding" and not isinstance(value, str)):
        return pair(value, name)
    return value


_shown = shown
