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
