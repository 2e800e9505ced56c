"""How convviz writes numbers: the minus sign, values in figures and sums, sizes and pairs.

Every formula, caption, figure and message writes numbers through here, so they agree.

>>> format_number(-3), show((2, 2)), show((2, 3)), size_text((4, 5))
('−3', '2', '(2, 3)', '4 × 5')
"""
from __future__ import annotations

import numpy as np

MINUS = "\u2212"
"""The minus sign of formulas, numbers and captions (not the hyphen)."""


def format_number(value) -> str:
    """A number as a figure or an equation writes it: whole numbers as ints, others with
    three significant digits (no decimals from 100 on), and a real minus sign.

    >>> format_number(17.0), format_number(-3), format_number(0.0625), format_number(123.45)
    ('17', '−3', '0.0625', '123')
    >>> format_number(float("-inf"))
    '−∞'

    """
    if isinstance(value, (int, np.integer)):
        text = str(int(value))
    elif not np.isfinite(value):                        # max pooling's padding, NaN
        return "nan" if np.isnan(value) else ("∞" if value > 0 else MINUS + "∞")
    elif float(value) == round(float(value)) and abs(value) < 1e15:
        text = str(int(round(float(value))))
    else:
        text = f"{float(value):.0f}" if abs(value) >= 100 else f"{float(value):.3g}"
    return "0" if text == "-0" else text.replace("-", MINUS)


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
