"""How convviz writes numbers: the minus sign, values in figures and sums, sizes and pairs.

Every formula, caption, figure and message writes numbers through here, so they agree.

>>> format_number(-3), show((2, 2)), show((2, 3)), size_text((4, 5))
('−3', '2', '(2, 3)', '4 × 5')
"""
from __future__ import annotations

import math

import numpy as np

MINUS = "\u2212"
"""The minus sign of formulas, numbers and captions (not the hyphen)."""


def format_number(value) -> str:
    """A number as a figure or an equation writes it: whole numbers as ints (exactly, below
    1e21), others with three significant digits (no decimals from 100 on), ``∞``, ``−∞``
    (max pooling's padding, an overflow) and ``nan`` as such, and a real minus sign.

    >>> format_number(17.0), format_number(-3), format_number(0.0625), format_number(123.45)
    ('17', '−3', '0.0625', '123')
    >>> format_number(1.2e19), format_number(-1e308), format_number(float("-inf"))
    ('12000000000000000000', '−1e+308', '−∞')
    """
    if isinstance(value, (int, np.integer)):
        text = str(int(value))
    elif not math.isfinite(value := float(value)):
        return "nan" if math.isnan(value) else ("∞" if value > 0 else MINUS + "∞")
    elif value == round(value) and abs(value) < 1e21:
        text = str(int(value))
    else:
        text = f"{value:.0f}" if 100 <= abs(value) < 1e21 else f"{value:.3g}"
    return "0" if text == "-0" else text.replace("-", MINUS)


def exact_number(value) -> str:
    """A number as a link or a command line writes it, so that it reads back the same:
    ints as ints, floats in the shortest form that round-trips (ASCII minus, and no ``+``,
    which a link reads as a space).

    >>> exact_number(3.0), exact_number(-1234567.891), exact_number(1e19), exact_number(7)
    ('3', '-1234567.891', '1e19', '7')
    """
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    value = float(value)
    if math.isfinite(value) and value == round(value) and abs(value) < 2 ** 63:
        return str(int(value))
    return repr(value).replace("e+", "e")


def factor(value) -> str:
    """A number as a factor of a product: negative ones in parentheses.

    >>> factor(-2), factor(3)
    ('(−2)', '3')
    """
    text = format_number(value)
    return f"({text})" if text.startswith(MINUS) else text


def show(pair: tuple[int, ...]) -> str:
    """A pair as a user wrote it: ``2`` for ``(2, 2)``, else ``(2, 3)``."""
    return str(pair[0]) if all(v == pair[0] for v in pair) else str(tuple(pair))


def size_text(pair: tuple[int, ...]) -> str:
    """``'H × W'`` of a pair, as the app and the figures write sizes."""
    return " × ".join(str(v) for v in pair)
