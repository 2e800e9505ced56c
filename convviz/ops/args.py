"""Argument helpers every layer uses: int-or-pair arguments and the one shape of range check.

Like ``torch.nn.modules.utils`` (``_single``, ``_pair``): arguments come in as an int or a
sequence and are turned into tuples where they enter; internal code only sees tuples. Every
refusal is a one-line :class:`~convviz.errors.ConvVizError` that names the parameter, the value
it got and the valid range.

>>> pair(3, "stride"), pair((1, 2), "stride"), single([4], "stride")
((3, 3), (1, 2), 4)
>>> check_int(0, "stride", 1)
Traceback (most recent call last):
convviz.errors.ConvVizError: stride must be an int >= 1, got 0
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import ConvVizError
from ..text import show

Pair = tuple[int, int]
MAX_DIGITS = 18
"""Longest int a link or a command line may write: every such int fits in int64."""


def _whole(value) -> bool:
    """True for an int (not a bool) or an integral float such as ``2.0``."""
    if isinstance(value, (bool, np.bool_)):
        return False
    try:
        return value == int(value)
    except (TypeError, ValueError, OverflowError):
        return False


def tuple_of(value: int | Sequence[int], length: int, name: str) -> tuple[int, ...]:
    """``value`` as a ``length``-tuple of ints; an int, or (as in PyTorch) a one-element
    sequence, stands for every axis."""
    items = (value,) if isinstance(value, (int, np.integer)) else value
    try:
        items = tuple(items) * length if len(items) == 1 else tuple(items)
        if len(items) != length or not all(_whole(v) for v in items):
            raise TypeError
        return tuple(int(v) for v in items)
    except (TypeError, ValueError):
        what = "an int" if length == 1 else f"an int or a {length}-tuple of ints"
        raise ConvVizError(f"{name} must be {what}, got {value!r}") from None


def pair(value: int | Sequence[int], name: str) -> Pair:
    """``value`` as an ``(H, W)`` pair of ints (PyTorch's ``_pair``).

    >>> pair([2], "stride")
    (2, 2)
    """
    try:
        return tuple_of(value, 2, name)
    except ConvVizError:
        raise ConvVizError(f"{name} must be an int or a pair of ints (H, W), got {value!r}") \
            from None


def single(value: int | Sequence[int], name: str) -> int:
    """``value`` as one int (PyTorch's ``_single``): an int or a one-element sequence."""
    return tuple_of(value, 1, name)[0]


def at_least(values: tuple[int, ...], low: int, name: str) -> tuple[int, ...]:
    """``values`` unchanged, or a ConvVizError when an entry is below ``low``.

    >>> at_least((2, 0), 1, "stride")
    Traceback (most recent call last):
    convviz.errors.ConvVizError: stride must be >= 1, got (2, 0)
    """
    if min(values) < low:
        raise ConvVizError(f"{name} must be >= {low}, got {show(values)}")
    return values


def _span(low: int | None, high: int | None) -> str:
    """``'in 0..9'``, ``'>= 1'``, ``'<= 9'`` or ``''``: a range as the messages write it."""
    if low is not None and high is not None:
        return f" in {low}..{high}"
    return f" >= {low}" if low is not None else f" <= {high}" if high is not None else ""


def check_int(value, name: str, low: int | None = None, high: int | None = None) -> int:
    """``value`` as an int in ``low..high`` (either bound may be open), or a ConvVizError
    ``"<name> must be an int in <low>..<high>, got <value>"``: the one range message.

    >>> check_int(3, "frame", 0, 2)
    Traceback (most recent call last):
    convviz.errors.ConvVizError: frame must be an int in 0..2, got 3
    """
    ok = isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
    if ok and (low is None or value >= low) and (high is None or value <= high):
        return int(value)
    raise ConvVizError(f"{name} must be an int{_span(low, high)}, got {value!r}")


def check_choice(value, name: str, choices: Sequence[str]) -> str:
    """``value`` when it is one of ``choices``, else a ConvVizError listing them.

    >>> check_choice("x", "style", ("classic", "numbers"))
    Traceback (most recent call last):
    convviz.errors.ConvVizError: style must be one of classic, numbers, got 'x'
    """
    if value not in choices:
        raise ConvVizError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def parse_ints(text: str, name: str, length: int = 2) -> int | tuple[int, ...]:
    """Text as written in a link or on the command line: ``'5'`` -> 5, ``'5,7'`` -> (5, 7).

    Only ASCII digits with an optional sign count as an int (not ``'²'``).

    >>> parse_ints("5,7", "n"), parse_ints("-1", "p")
    ((5, 7), -1)
    """
    parts = text.split(",") if isinstance(text, str) else []
    shape = "an int" if length == 1 else "an int or a pair 'H,W' of ints"
    if not 1 <= len(parts) <= length or not all(_is_int_text(p) for p in parts):
        raise ConvVizError(f"{name} must be {shape}{_digits(parts)}, got {_quoted(text)}")
    values = tuple(int(p) for p in parts)
    return values[0] if len(values) == 1 else values


def parse_int(text: str, name: str, low: int | None = None, high: int | None = None) -> int:
    """One int written in a link or on the command line, in ``low..high``, refused with
    :func:`check_int`'s message naming the text as given.

    >>> parse_int("²", "seed", 0)
    Traceback (most recent call last):
    convviz.errors.ConvVizError: seed must be an int >= 0, got '²'
    """
    if isinstance(text, str) and _is_int_text(text):
        value = int(text)
        if (low is None or value >= low) and (high is None or value <= high):
            return value
    digits = _digits([text]) if isinstance(text, str) else ""
    raise ConvVizError(f"{name} must be an int{_span(low, high)}{digits}, got {_quoted(text)}")


def _digits(parts: list[str]) -> str:
    """``' of at most 18 digits'`` when one of ``parts`` is a longer int, else ``''``."""
    bodies = [p.strip().removeprefix("-").removeprefix("+") for p in parts]
    long = any(b.isascii() and b.isdigit() and len(b) > MAX_DIGITS for b in bodies)
    return f" of at most {MAX_DIGITS} digits" if long else ""


def _quoted(text) -> str:
    """``repr(text)``, cut to fit a one-line message (a link may hold anything)."""
    shown = repr(text)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _is_int_text(text: str) -> bool:
    """True for ``'12'``, ``'-3'``, ``' 4 '``: ASCII digits, an optional sign, at most 18."""
    body = text.strip().removeprefix("-").removeprefix("+")
    return body.isascii() and body.isdigit() and len(body) <= MAX_DIGITS
