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
from urllib.parse import parse_qsl

from ..errors import ConvVizError
from ..text import show
from . import conventions
from .args import Pair, at_least, check_choice, check_int, pair, parse_ints
from .shapes import unread
from .table import FIELDS, MODES, OPERATIONS, PAIRS, Operation

QUERY_KEYS = {"mode": "mode", "n": "input_size", "k": "kernel_size", "s": "stride",
              "p": "padding", "d": "dilation", "op": "output_padding",
              "cin": "in_channels", "cout": "out_channels", "groups": "groups",
              "pm": "padding_mode", "conv": "convention"}
"""Link key -> ConvSpec field. ``a`` (the formula's name) reads as ``op`` too, and ``pt``
(a transposed convolution's actual padding) as the ``padding`` it gives."""
_ALIASES = {"a": "op"}
_CHANNEL_DEFAULTS = ("out_channels", "groups")
_ARGUMENTS = ("stride", "padding", "output_padding", "groups", "dilation", "padding_mode")
"""Keyword arguments of the engine's functions, in the order PyTorch's modules list them."""
_TORCH_DEFAULTS = {"stride": (1, 1), "padding": (0, 0), "output_padding": (0, 0), "groups": 1,
                   "dilation": (1, 1), "padding_mode": "zeros"}


@dataclass(frozen=True)
class ConvSpec:
    """A configuration: mode, sizes (ints or ``(H, W)`` pairs) and channels.

    ``padding`` is PyTorch's (an int, a pair, or ``'same'`` / ``'valid'`` for direct ones);
    :meth:`build` also takes a transposed convolution's *actual padding* ``pt = d*(k-1) -
    padding``, the padding conv_arithmetic draws. A field left as None takes the mode's
    default (:meth:`Operation.default`), e.g. ``groups`` is ``in_channels`` for depthwise.
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

    def __post_init__(self) -> None:
        op = OPERATIONS[check_choice(self.mode, "mode", MODES)]
        resolved: dict[str, object] = {}
        for name in FIELDS:
            value = getattr(self, name)
            value = op.default(name, resolved) if value is None else value
            if name in PAIRS or (name == "padding" and not isinstance(value, str)):
                value = pair(value, name)
            elif name in ("in_channels", "out_channels", "groups"):
                value = check_int(value, name, 1)
            resolved[name] = value
            object.__setattr__(self, name, value)
        conventions.check(self)
        at_least(self.input_size, 1, "input_size")
        at_least(self.kernel_size, 1, "kernel_size")
        self._check_row(op)
        if self.in_channels % self.groups:
            raise ConvVizError(f"in_channels must be divisible by groups={self.groups}, "
                               f"got {self.in_channels}")
        if self.out_channels % self.groups and not op.stages:   # staged: the first's groups
            raise ConvVizError(f"out_channels must be divisible by groups={self.groups}, "
                               f"got {self.out_channels}")
        self.output_shape  # noqa: B018 -- the shape checks raise here for a bad spec

    def _check_row(self, op: Operation) -> None:
        """Refuse what the mode's row rules out: fields it does not take, fixed values, bounds."""
        for name, default in FIELDS.items():
            value = getattr(self, name)
            if not op.takes(name) and value != _normal(name, default):
                takers = [m for m in MODES if OPERATIONS[m].takes(name)]
                where = f"outside {takers[0]} mode" if len(takers) == 1 else f"in {op.name} mode"
                raise ConvVizError(f"{name} must be {_shown(default)} {where}, "
                                   f"got {_shown(value)}")
        for name, want in op.fixed.items():
            value = getattr(self, name)
            if isinstance(want, str) and value != getattr(self, want):
                raise ConvVizError(f"{name} must equal {want}={getattr(self, want)} for "
                                   f"{op.name}, got {_shown(value)}")
            if not isinstance(want, str) and value != _normal(name, want):
                raise ConvVizError(f"{name} must be {want} for {op.name}, got {_shown(value)}")
        for name, low in op.minimum.items():
            if min(getattr(self, name)) < low:
                raise ConvVizError(f"{name} must be >= {low} for {op.name}, "
                                   f"got {_shown(getattr(self, name))}")

    @classmethod
    def build(cls, *, pt: int | Pair | None = None, **fields) -> ConvSpec:
        """A ConvSpec from its fields, where a transposed one may give ``pt`` for ``padding``.

        >>> ConvSpec.build(mode="transposed", input_size=3, kernel_size=3, stride=2, pt=1).padding
        (1, 1)
        """
        if pt is not None:
            op = OPERATIONS[check_choice(fields.get("mode", "conv"), "mode", MODES)]
            if not op.transposed:
                raise ConvVizError("pt (actual padding) is for mode transposed only")
            pt = pair(pt, "pt")
            k = pair(fields.get("kernel_size") or op.default("kernel_size", fields), "kernel_size")
            d = pair(fields.get("dilation") or op.default("dilation", fields), "dilation")
            padding = tuple(di * (ki - 1) - p for ki, di, p in zip(k, d, pt))
            if fields.get("padding") is not None and pair(fields["padding"], "padding") != padding:
                raise ConvVizError(f"padding {fields['padding']!r} and pt {show(pt)} disagree: "
                                   f"pt = d*(k-1) - padding gives padding {show(padding)}")
            if min(padding) < 0:
                raise ConvVizError(f"pt must be <= d*(k-1) = "
                                   f"{show(tuple(di * (ki - 1) for ki, di in zip(k, d)))}, "
                                   f"got {show(pt)}")
            fields["padding"] = padding
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
        ``{'stride': (2, 2), 'padding': (1, 1), ...}`` for ``engine.conv2d`` (see pre_pad)."""
        args = {name: getattr(self, name) for name in _ARGUMENTS if self.operation.takes(name)}
        if not self.transposed:
            args["padding"] = conventions.torch_padding(self.padding, self.pads, self.convention)
        return args

    @property
    def pre_pad(self) -> tuple[int, int, int, int] | None:
        """``(left, right, top, bottom)`` to ``engine.pad`` the input with first, or None."""
        return None if self.transposed else conventions.pre_pad(self.padding, self.pads,
                                                                self.convention)

    @property
    def input_shape(self) -> tuple[int, int, int, int]:
        """``(1, C_in, H, W)``: the shape of one input."""
        return (1, self.in_channels, *self.input_size)

    @property
    def weight_shape(self) -> tuple[int, int, int, int]:
        """``(C_out, C_in/groups, kH, kW)``, or ``(C_in, C_out/groups, kH, kW)`` transposed;
        for a staged mode, its first stage's (separable: the depthwise ``(C_in, 1, kH, kW)``)."""
        if self.operation.stages:
            return self.stages()[0].weight_shape
        if self.transposed:
            return (self.in_channels, self.out_channels // self.groups, *self.kernel_size)
        return (self.out_channels, self.in_channels // self.groups, *self.kernel_size)

    @property
    def output_shape(self) -> tuple[int, int, int, int]:
        """``(1, C_out, H_out, W_out)``, computed (and checked) by the op's shape function."""
        if self.operation.stages:
            return self.stages()[-1].output_shape
        return self.operation.output_shape(
            conventions.padded_shape(self.input_shape, self.pre_pad), self.weight_shape,
            **self.arguments())

    @property
    def output_size(self) -> Pair:
        """``(H_out, W_out)``."""
        return self.output_shape[2:]

    @property
    def pads(self) -> tuple[int, int, int, int]:
        """Padding per side ``(top, bottom, left, right)``, by the convention's rules."""
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
        if self.operation.stages:
            return f"nn.Sequential({', '.join(s.torch_line(bias=bias) for s in self.stages())})"
        args = [str(self.in_channels), str(self.out_channels),
                f"kernel_size={show(self.kernel_size)}"]
        for name, value in self.arguments().items():
            if value != _TORCH_DEFAULTS[name]:
                args.append(f"{name}={_shown(value)}")
        if not bias:
            args.append("bias=False")
        line = f"nn.{self.operation.torch}({', '.join(args)})"
        return f"nn.Sequential(nn.ZeroPad2d({self.pre_pad}), {line})" if self.pre_pad else line

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
                default = op.default(name, resolved) if name in _CHANNEL_DEFAULTS \
                    else FIELDS[name]
                if value == _normal(name, default):
                    continue
            if isinstance(value, tuple):
                value = show(value).strip("()").replace(" ", "")
            parts.append(f"{key}={value}")
        return "&".join(parts)

    @classmethod
    def from_query(cls, query: str | Mapping[str, str]) -> ConvSpec:
        """The spec a query string (``'?mode=conv&n=5,7'``) or its mapping describes.

        Keys are ``mode n k s p d op cin cout groups pm conv`` (``a`` for ``op``) and ``pt``
        (transposed); pairs are written ``H,W``. Other keys are ignored; a bad value raises
        ConvVizError.
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
            else:
                single = name in ("in_channels", "out_channels", "groups")
                fields[name] = parse_ints(text, name, 1 if single else 2)
        return cls.build(**fields)


def _normal(name: str, value: object) -> object:
    """A field's value as ConvSpec holds it (ints as pairs where the field is a pair)."""
    if name in PAIRS or (name == "padding" and not isinstance(value, str)):
        return pair(value, name)
    return value


def _shown(value: object) -> str:
    """A field's value as a message or a PyTorch line writes it: ``2``, ``(1, 2)``, ``'zeros'``."""
    if isinstance(value, str):
        return repr(value)
    return show(value) if isinstance(value, tuple) else str(value)
