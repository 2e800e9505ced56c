"""ConvSpec: one validated value that describes a convolution configuration.

A ConvSpec is what ``nn.Conv2d`` / ``nn.ConvTranspose2d`` take, plus the input size and a
mode that says how to show it. It is frozen and hashable, checked when made (by the same
code that checks :mod:`convviz.engine` calls), and round-trips through a URL query string.

>>> spec = ConvSpec(input_size=5, kernel_size=3, stride=2, padding=1)
>>> spec.output_size
(3, 3)
>>> ConvSpec.from_query("mode=transposed&n=3&k=3&s=2&p=1").output_size
(5, 5)
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl

from .engine import (
    Pair,
    _at_least,
    _pair,
    _show,
    conv2d_output_shape,
    conv_transpose2d_output_shape,
    resolve_padding,
)
from .errors import ConvVizError

MODES = ("conv", "transposed", "dilated", "depthwise", "grouped", "pointwise", "separable")
"""How a configuration is shown. All but ``transposed`` are direct convolutions:
``dilated`` and ``grouped`` only bring their control forward, ``depthwise`` has
groups = in_channels, ``pointwise`` a 1 x 1 kernel, and ``separable`` is a depthwise
k x k convolution (in_channels -> in_channels) followed by a pointwise one (-> out_channels)."""

_QUERY_KEYS = {"mode": "mode", "n": "input_size", "k": "kernel_size", "s": "stride",
               "p": "padding", "d": "dilation", "op": "output_padding",
               "cin": "in_channels", "cout": "out_channels", "groups": "groups",
               "pm": "padding_mode"}
_PAIRS = ("input_size", "kernel_size", "stride", "dilation", "output_padding")


def _count(value: int, name: str) -> int:
    """``value`` as an int >= 1, or a ConvVizError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConvVizError(f"{name} must be an int >= 1, got {value!r}")
    return value


def _parse_pair(text: str, name: str) -> int | Pair:
    """``'5'`` -> 5 and ``'5,7'`` -> (5, 7), as written in a query string or on the CLI."""
    try:
        parts = [int(part) for part in text.split(",")]
    except ValueError:
        raise ConvVizError(f"{name} must be an int or a pair 'H,W' of ints, got {text!r}") \
            from None
    if len(parts) not in (1, 2):
        raise ConvVizError(f"{name} must be an int or a pair 'H,W' of ints, got {text!r}")
    return parts[0] if len(parts) == 1 else (parts[0], parts[1])


@dataclass(frozen=True)
class ConvSpec:
    """A convolution configuration: mode, sizes (ints or ``(H, W)`` pairs) and channels.

    ``padding`` is PyTorch's ``padding`` (an int, a pair, or ``'same'`` / ``'valid'`` for
    direct convolutions). For a transposed convolution, :meth:`build` also takes the seed
    note's *actual padding* ``pt = d*(k-1) - padding``; both are exposed.
    ``groups`` defaults to ``in_channels`` for ``depthwise`` and ``separable``, else 1;
    ``out_channels`` defaults to ``in_channels`` for ``depthwise``, else 1.
    """

    mode: str = "conv"
    input_size: int | Pair = 5
    kernel_size: int | Pair = 3
    stride: int | Pair = 1
    padding: int | Pair | str = 0
    dilation: int | Pair = 1
    output_padding: int | Pair = 0
    in_channels: int = 1
    out_channels: int | None = None
    groups: int | None = None
    padding_mode: str = "zeros"

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ConvVizError(f"mode must be one of {', '.join(MODES)}, got {self.mode!r}")
        for name in _PAIRS:
            object.__setattr__(self, name, _pair(getattr(self, name), name))
        if not isinstance(self.padding, str):
            object.__setattr__(self, "padding", _pair(self.padding, "padding"))
        _at_least(self.input_size, 1, "input_size")
        _at_least(self.kernel_size, 1, "kernel_size")
        cin = _count(self.in_channels, "in_channels")
        defaults = self._channel_defaults(self.mode, cin)
        for name in ("out_channels", "groups"):
            value = defaults[name] if getattr(self, name) is None else getattr(self, name)
            object.__setattr__(self, name, _count(value, name))
        cout, groups = self.out_channels, self.groups
        self._check_mode()
        if cin % groups:
            raise ConvVizError(f"in_channels must be divisible by groups={groups}, got {cin}")
        if cout % groups and self.mode != "separable":  # separable: groups is its first stage's
            raise ConvVizError(f"out_channels must be divisible by groups={groups}, got {cout}")
        self.output_shape  # noqa: B018 -- the engine's checks raise here for a bad spec

    @staticmethod
    def _channel_defaults(mode: str, in_channels: int) -> dict[str, int]:
        """``out_channels`` and ``groups`` where a spec leaves them out."""
        return {"out_channels": in_channels if mode == "depthwise" else 1,
                "groups": in_channels if mode in ("depthwise", "separable") else 1}

    def _check_mode(self) -> None:
        """Refuse what this mode cannot show (the rest is PyTorch's rules)."""
        if self.mode == "transposed" and self.padding_mode != "zeros":
            raise ConvVizError(f"padding_mode must be 'zeros' for a transposed convolution, "
                               f"got {self.padding_mode!r}")
        if self.mode != "transposed" and self.output_padding != (0, 0):
            raise ConvVizError(f"output_padding must be 0 outside transposed mode, "
                               f"got {_show(self.output_padding)}")
        if self.mode in ("depthwise", "separable") and self.groups != self.in_channels:
            raise ConvVizError(f"groups must equal in_channels={self.in_channels} for "
                               f"{self.mode}, got {self.groups}")
        if self.mode == "pointwise" and self.kernel_size != (1, 1):
            raise ConvVizError(f"kernel_size must be 1 for pointwise, "
                               f"got {_show(self.kernel_size)}")

    @classmethod
    def build(cls, *, pt: int | Pair | None = None, **fields) -> ConvSpec:
        """A ConvSpec from its fields, where a transposed one may give ``pt`` for ``padding``.

        >>> ConvSpec.build(mode="transposed", input_size=3, kernel_size=3, stride=2, pt=1).padding
        (1, 1)
        """
        if pt is not None:
            if fields.get("mode") != "transposed":
                raise ConvVizError("pt (actual padding) is for mode transposed only")
            pt = _pair(pt, "pt")
            k = _pair(fields.get("kernel_size", cls.kernel_size), "kernel_size")
            d = _pair(fields.get("dilation", cls.dilation), "dilation")
            padding = tuple(di * (ki - 1) - p for ki, di, p in zip(k, d, pt))
            if "padding" in fields and _pair(fields["padding"], "padding") != padding:
                raise ConvVizError(f"padding {fields['padding']!r} and pt {_show(pt)} disagree: "
                                   f"pt = d*(k-1) - padding gives padding {_show(padding)}")
            if min(padding) < 0:
                raise ConvVizError(f"pt must be <= d*(k-1) = "
                                   f"{_show(tuple(di * (ki - 1) for ki, di in zip(k, d)))}, "
                                   f"got {_show(pt)}")
            fields["padding"] = padding
        return cls(**fields)

    # ---- derived values -------------------------------------------------------------------
    @property
    def transposed(self) -> bool:
        """True for a transposed convolution."""
        return self.mode == "transposed"

    @property
    def input_shape(self) -> tuple[int, int, int, int]:
        """``(1, C_in, H, W)``: the shape of one input."""
        return (1, self.in_channels, *self.input_size)

    @property
    def weight_shape(self) -> tuple[int, int, int, int]:
        """``(C_out, C_in/groups, kH, kW)``, or ``(C_in, C_out/groups, kH, kW)`` transposed.

        For ``separable`` it is the depthwise stage's ``(C_in, 1, kH, kW)``.
        """
        if self.transposed:
            return (self.in_channels, self.out_channels // self.groups, *self.kernel_size)
        if self.mode == "separable":
            return (self.in_channels, 1, *self.kernel_size)
        return (self.out_channels, self.in_channels // self.groups, *self.kernel_size)

    @property
    def output_shape(self) -> tuple[int, int, int, int]:
        """``(1, C_out, H_out, W_out)``, computed (and checked) by the engine's rules."""
        if self.transposed:
            return conv_transpose2d_output_shape(self.input_shape, self.weight_shape,
                                                 self.stride, self.padding,
                                                 self.output_padding, self.groups, self.dilation)
        shape = conv2d_output_shape(self.input_shape, self.weight_shape, self.stride,
                                    self.padding, self.dilation, self.groups,
                                    padding_mode=self.padding_mode)
        return (1, self.out_channels, *shape[2:])

    @property
    def output_size(self) -> Pair:
        """``(H_out, W_out)``."""
        return self.output_shape[2:]

    @property
    def pads(self) -> tuple[int, int, int, int]:
        """Padding per side ``(top, bottom, left, right)``, 'same' resolved as PyTorch does."""
        return resolve_padding(self.padding, self.kernel_size, self.dilation, self.stride)

    @property
    def actual_padding(self) -> Pair:
        """The seed note's ``p_t = d*(k-1) - p`` of a transposed convolution (may be < 0)."""
        if not self.transposed:
            raise ConvVizError("actual padding (pt) is defined for transposed mode only")
        return tuple(d * (k - 1) - p for k, d, p in
                     zip(self.kernel_size, self.dilation, self.padding))

    @property
    def square(self) -> bool:
        """True when every size and the padding are the same along H and W."""
        pads = self.pads
        return (all(getattr(self, name)[0] == getattr(self, name)[1] for name in _PAIRS)
                and pads[0] + pads[1] == pads[2] + pads[3])

    def unread(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Input rows and columns a direct convolution never reads (strides, dilation).

        >>> ConvSpec(input_size=6, kernel_size=3, stride=2).unread()
        ((5,), (5,))
        """
        if self.transposed:
            return ((), ())
        result = []
        for n, k, s, d, before, out in zip(self.input_size, self.kernel_size, self.stride,
                                           self.dilation, self.pads[::2], self.output_size):
            read = {o * s + t * d - before for o in range(out) for t in range(k)}
            result.append(tuple(i for i in range(n) if i not in read))
        return tuple(result)

    # ---- text forms -----------------------------------------------------------------------
    def torch_line(self) -> str:
        """The PyTorch module that computes this spec, e.g.
        ``nn.Conv2d(1, 1, kernel_size=3, stride=2, padding=1)``.

        >>> ConvSpec(mode="transposed", input_size=3, stride=2, padding=1).torch_line()
        'nn.ConvTranspose2d(1, 1, kernel_size=3, stride=2, padding=1)'
        """
        if self.mode == "separable":
            first = dataclasses.replace(self, mode="depthwise", out_channels=self.in_channels)
            pointwise = f"nn.Conv2d({self.in_channels}, {self.out_channels}, kernel_size=1)"
            return f"nn.Sequential({first.torch_line()}, {pointwise})"
        defaults = {"stride": (1, 1), "padding": (0, 0), "output_padding": (0, 0),
                    "groups": 1, "dilation": (1, 1), "padding_mode": "zeros"}
        args = [str(self.in_channels), str(self.out_channels),
                f"kernel_size={_show(self.kernel_size)}"]
        for name, default in defaults.items():
            value = getattr(self, name)
            if value != default:
                shown = repr(value) if isinstance(value, str) else _show(value) \
                    if isinstance(value, tuple) else str(value)
                args.append(f"{name}={shown}")
        return f"nn.{'ConvTranspose2d' if self.transposed else 'Conv2d'}({', '.join(args)})"

    def to_query(self) -> str:
        """The URL query string of this spec; defaults after ``p`` are left out.

        >>> ConvSpec(mode="transposed", input_size=3, stride=2, padding=1).to_query()
        'mode=transposed&n=3&k=3&s=2&p=1'
        """
        parts = []
        defaults = {"dilation": (1, 1), "output_padding": (0, 0), "in_channels": 1,
                    "padding_mode": "zeros", **self._channel_defaults(self.mode, self.in_channels)}
        for key, name in _QUERY_KEYS.items():
            value = getattr(self, name)
            if name in defaults and value == defaults[name]:
                continue
            if isinstance(value, tuple):
                value = _show(value).strip("()").replace(" ", "")
            parts.append(f"{key}={value}")
        return "&".join(parts)

    @classmethod
    def from_query(cls, query: str | Mapping[str, str]) -> ConvSpec:
        """The spec a query string (``'?mode=conv&n=5,7'``) or its mapping describes.

        Keys are ``mode n k s p d op cin cout groups pm`` and ``pt`` (transposed); pairs are
        written ``H,W``. Other keys are ignored; a bad value raises ConvVizError.
        """
        if isinstance(query, str):
            query = dict(parse_qsl(query.lstrip("?"), keep_blank_values=True))
        fields: dict = {}
        for key, text in query.items():
            text = text[-1] if isinstance(text, list) else str(text)
            if key in ("mode", "pm"):
                fields[_QUERY_KEYS[key]] = text
            elif key == "p" and text in ("same", "valid"):
                fields["padding"] = text
            elif key in ("cin", "cout", "groups"):
                fields[_QUERY_KEYS[key]] = _parse_pair(text, _QUERY_KEYS[key])
            elif key == "pt":
                fields["pt"] = _parse_pair(text, "pt")
            elif key in _QUERY_KEYS:
                fields[_QUERY_KEYS[key]] = _parse_pair(text, _QUERY_KEYS[key])
        return cls.build(**fields)
