"""How convviz writes numbers: the minus sign, values, factors, pairs and sizes."""
import numpy as np
import pytest

from convviz.text import MINUS, factor, format_number, show, size_text


@pytest.mark.parametrize("value, text", [
    (17, "17"), (np.int64(-3), "\u22123"), (17.0, "17"), (-0.0, "0"), (0.0625, "0.0625"),
    (1 / 3, "0.333"), (-12.345, "\u221212.3"), (123.45, "123"), (-1234.5, "\u22121234"),
    (-0.0001, "\u22120.0001"),
])
def test_format_number_is_compact(value, text):
    assert format_number(value) == text


def test_factors_pairs_and_sizes():
    assert factor(-2) == f"({MINUS}2)" and factor(2.5) == "2.5"
    assert show((3, 3)) == "3" and show((3, 4)) == "(3, 4)"
    assert size_text((5, 7)) == "5 × 7"


def test_inf_nan_and_huge_numbers_are_written_not_raised():
    """Issue #17 row 9: ``format_number(inf)`` raised OverflowError, nan ValueError."""
    assert [format_number(v) for v in (np.inf, -np.inf, np.nan, 1e308, 1.2e19, 2 ** 70)] == [
        "∞", f"{MINUS}∞", "nan", "1e+308", "12000000000000000000", str(2 ** 70)]


def test_exact_numbers_read_back_the_same_and_never_hold_a_plus():
    from convviz.text import exact_number

    for value in (0.1, -1234567.891, 1e19, 1e-300, 2.5e300, 7, 2 ** 62, -0.0):
        text = exact_number(value)
        assert float(text) == value and "+" not in text
