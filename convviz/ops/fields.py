"""How a :class:`~convviz.ops.spec.ConvSpec` holds each field, and how a link writes it.

Sizes are ``(H, W)`` pairs. A 1-D operation (its row's ``dims`` is 1) takes each size as one
length and holds it as a one-row plane ``(1, n)`` (padding ``(0, p)``), so that cells,
geometry and figures treat a sequence as a one-row image; :func:`engine_value` gives the
engine its length back. Switches (``ceil_mode``, ``count_include_pad``, ``causal``) are bools,
written ``1``/``0`` in links; ``divisor_override`` is None or a nonzero int.

>>> from convviz.ops.table import OPERATIONS
>>> normalise(OPERATIONS["conv1d"], "input_size", 8), normalise(OPERATIONS["conv"], "stride", 2)
((1, 8), (2, 2))
>>> engine_value(OPERATIONS["conv1d"], "padding", (0, 2)), link_text(OPERATIONS["conv1d"], (1, 8))
(2, '8')
"""
from __future__ import annotations

from ..errors import ConvVizError
from ..text import show
from .args import check_int, pair, tuple_of
from .pool_shapes import check_divisor
from .table import FIELDS, MODES, OPERATIONS, PAIRS, Operation

FLAGS = ("ceil_mode", "count_include_pad", "causal")
"""Fields that hold a bool."""
COUNTS = ("in_channels", "out_channels", "groups")
"""Fields that hold an int >= 1."""
ARGUMENTS = ("kernel_size", "stride", "padding", "output_padding", "groups", "dilation",
             "padding_mode", "ceil_mode", "count_include_pad", "divisor_override")
"""Keyword arguments of the engine's functions, in the order PyTorch's modules list them
(``kernel_size`` for pooling only: a convolution's weight carries it)."""
FILLER = {"input_size": 1, "kernel_size": 1, "stride": 1, "dilation": 1, "padding": 0,
          "output_padding": 0}
"""The height a 1-D spec's one-row plane gives each size."""


def is_pair(name: str, value: object) -> bool:
    """True when field ``name`` holds a pair with this value (not padding 'same'/'valid')."""
    return name in PAIRS or (name == "padding" and not isinstance(value, str))


def length(value, name: str) -> int:
    """A 1-D size: an int, a one-element sequence, or its one-row plane ``(1, n)``."""
    if isinstance(value, (tuple, list)) and len(value) == 2 and value[0] == FILLER.get(name, 0):
        value = value[1]
    try:
        return tuple_of(value, 1, name)[0]
    except ConvVizError:
        raise ConvVizError(f"{name} must be an int (one length) in a 1-D mode, got {value!r}") \
            from None


def switch(value, name: str) -> bool:
    """A switch: True, False (or 1, 0)."""
    if value in (0, 1) and not isinstance(value, float):
        return bool(value)
    raise ConvVizError(f"{name} must be True or False (1 or 0), got {value!r}")


def normalise(op: Operation, name: str, value: object) -> object:
    """``value`` of field ``name`` as a ConvSpec of row ``op`` holds it (see the module doc)."""
    if is_pair(name, value):
        return (FILLER[name], length(value, name)) if op.dims == 1 else pair(value, name)
    if name in COUNTS:
        return check_int(value, name, 1)
    if name in FLAGS:
        return switch(value, name)
    if name == "divisor_override":
        return check_divisor(value)
    return value


def engine_value(op: Operation, name: str, value: object) -> object:
    """A held value as the row's engine function takes it: a 1-D size as its length."""
    return value[1] if op.dims == 1 and is_pair(name, value) else value


def engine_arguments(op: Operation, spec) -> dict[str, object]:
    """The keyword arguments of ``op``'s engine function from ``spec``'s held values."""
    names = [n for n in ARGUMENTS if op.takes(n) and (n != "kernel_size" or not op.weights)]
    return {name: engine_value(op, name, getattr(spec, name)) for name in names}


def padding_for_pt(op: Operation, pt, fields: dict) -> int | tuple[int, ...]:
    """PyTorch's padding ``d*(k-1) - pt`` of a transposed spec given the seed note's actual
    padding ``pt`` (and the other ``fields`` given, or the row's defaults)."""
    if not op.transposed:
        raise ConvVizError("pt (actual padding) is for the transposed modes only")

    def axes(value, name):
        return (length(value, name),) if op.dims == 1 else pair(value, name)
    pt = axes(pt, "pt")
    k = axes(fields.get("kernel_size") or op.default("kernel_size", fields), "kernel_size")
    d = axes(fields.get("dilation") or op.default("dilation", fields), "dilation")
    padding = tuple(di * (ki - 1) - p for ki, di, p in zip(k, d, pt))
    if fields.get("padding") is not None and axes(fields["padding"], "padding") != padding:
        raise ConvVizError(f"padding {fields['padding']!r} and pt {show(pt)} disagree: "
                           f"pt = d*(k-1) - padding gives padding {show(padding)}")
    if min(padding) < 0:
        raise ConvVizError(f"pt must be <= d*(k-1) = "
                           f"{show(tuple(di * (ki - 1) for ki, di in zip(k, d)))}, got {show(pt)}")
    return padding if op.dims == 2 else padding[0]


def link_text(op: Operation, value: object) -> str:
    """A held value as a link writes it: ``5``, ``5,7``, a 1-D length, ``1``/``0``."""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, tuple):
        value = value[1] if op.dims == 1 else value
        return show(value).strip("()").replace(" ", "") if isinstance(value, tuple) else str(value)
    return str(value)


def shown(value: object) -> str:
    """A value as a message or a PyTorch line writes it: ``2``, ``(1, 2)``, ``'zeros'``."""
    if isinstance(value, str):
        return repr(value)
    return show(value) if isinstance(value, tuple) else str(value)


def check_row(op: Operation, spec) -> None:
    """Refuse what row ``op`` rules out of ``spec``'s (held) fields: fields it does not take
    (they keep their defaults), fixed values, lower bounds."""
    for name, default in FIELDS.items():
        value = getattr(spec, name)
        if not op.takes(name) and value != normalise(op, name, default):
            takers = [m for m in MODES if OPERATIONS[m].takes(name)]
            where = (f"outside {' and '.join(takers)} mode" if len(takers) <= 2
                     else f"in {op.name} mode")
            raise ConvVizError(f"{name} must be {shown(default)} {where}, got {shown(value)}")
    for name, want in op.fixed.items():
        value = getattr(spec, name)
        if isinstance(want, str) and value != getattr(spec, want):
            raise ConvVizError(f"{name} must equal {want}={getattr(spec, want)} for "
                               f"{op.name}, got {shown(value)}")
        if not isinstance(want, str) and value != normalise(op, name, want):
            raise ConvVizError(f"{name} must be {want} for {op.name}, got {shown(value)}")
    for name, low in op.minimum.items():
        if min(getattr(spec, name)) < low:
            raise ConvVizError(f"{name} must be >= {low} for {op.name}, "
                               f"got {shown(getattr(spec, name))}")


def parse_flag(text: str, name: str) -> bool:
    """A switch as a link writes it: ``1``/``0`` (``true``/``false`` too)."""
    words = {"1": True, "true": True, "0": False, "false": False}
    if isinstance(text, str) and text.strip().lower() in words:
        return words[text.strip().lower()]
    raise ConvVizError(f"{name} must be 1 or 0, got {text!r}")
