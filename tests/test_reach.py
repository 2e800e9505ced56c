"""Which input cells the kernel reaches: the arithmetic against the loop that defines it."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from convviz import ConvSpec, ConvVizError
from convviz.ops import reach


def brute_force(spec: ConvSpec) -> tuple[tuple[int, ...], ...]:
    """Every tap of every output cell, marked: the definition."""
    result = []
    for n, k, s, d, before, out in zip(spec.input_size, spec.kernel_size, spec.stride,
                                       spec.dilation, spec.pads[::2], spec.output_size):
        read = {o * s + t * d - before for o in range(out) for t in range(k)}
        result.append(tuple(i for i in range(n) if i not in read))
    return tuple(result)


@given(n=st.integers(1, 40), k=st.integers(1, 7), s=st.integers(1, 9), d=st.integers(1, 6),
       p=st.integers(0, 6))
def test_unread_cells_equal_the_definition(n, k, s, d, p):
    try:
        spec = ConvSpec(input_size=n, kernel_size=(k, 1), stride=(s, 1), dilation=(d, 1),
                        padding=(p, 0))
    except ConvVizError:
        return
    assert spec.unread() == brute_force(spec)


def test_a_huge_kernel_or_padding_costs_no_more_than_a_small_one():
    """Issue #17 row 3: the old loop ran over every output cell and tap (over 40 s and 4 GB
    for n = 10**9); here it would take 3 * 10**11 steps, and each cell is settled at once."""
    spec = ConvSpec(input_size=1000, kernel_size=10 ** 9, padding=5 * 10 ** 8, stride=3)
    assert spec.output_size == (334, 334) and spec.unread() == ((), ())
    wide = ConvSpec(input_size=60, kernel_size=600, padding=1000, stride=7, dilation=3)
    assert wide.unread() == brute_force(wide)


def test_inputs_too_large_to_list_are_refused_in_one_line():
    with pytest.raises(ConvVizError, match="listed for inputs up to 65536 cells a side"):
        ConvSpec(input_size=10 ** 9, kernel_size=1).unread()
    assert reach.MAX_LISTED == 65536
