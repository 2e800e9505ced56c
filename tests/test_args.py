"""Argument helpers: int-or-pair arguments and the one range message."""
import numpy as np
import pytest

from convviz.errors import ConvVizError
from convviz.ops.args import (
    at_least,
    check_choice,
    check_int,
    pair,
    parse_int,
    parse_ints,
    single,
    tuple_of,
)


@pytest.mark.parametrize("value, expected", [
    (3, (3, 3)), ((1, 2), (1, 2)), ([2], (2, 2)), (np.int64(4), (4, 4)), ((2.0, 3), (2, 3)),
])
def test_pair_reads_ints_and_sequences_as_torch_does(value, expected):
    assert pair(value, "stride") == expected


@pytest.mark.parametrize("value", [True, (1, 2, 3), "2", (1.5, 2), None, (True, 1)])
def test_pair_refuses_what_torch_refuses(value):
    with pytest.raises(ConvVizError, match=r"^stride must be an int or a pair of ints \(H, W\)"):
        pair(value, "stride")


def test_single_and_tuples_of_any_length():
    assert single([4], "kernel_size") == 4 and single(5, "kernel_size") == 5
    assert tuple_of(2, 3, "stride") == (2, 2, 2)
    with pytest.raises(ConvVizError, match="^kernel_size must be an int, got"):
        single((1, 2), "kernel_size")


@pytest.mark.parametrize("call, message", [
    (lambda: check_int(0, "stride", 1), "stride must be an int >= 1, got 0"),
    (lambda: check_int(9, "frame", 0, 8), "frame must be an int in 0..8, got 9"),
    (lambda: check_int(True, "groups", 1), "groups must be an int >= 1, got True"),
    (lambda: check_int(2.0, "seed", 0), "seed must be an int >= 0, got 2.0"),
    (lambda: check_int(7, "k", None, 5), "k must be an int <= 5, got 7"),
    (lambda: at_least((2, 0), 1, "stride"), "stride must be >= 1, got (2, 0)"),
    (lambda: check_choice("x", "style", ("classic",)), "style must be one of classic, got 'x'"),
    (lambda: parse_int("²", "seed", 0), "seed must be an int >= 0, got '²'"),
    (lambda: parse_int("1e3", "seed", 0), "seed must be an int >= 0, got '1e3'"),
    (lambda: parse_ints("1,2,3", "input_size"),
     "input_size must be an int or a pair 'H,W' of ints, got '1,2,3'"),
    (lambda: parse_ints("9" * 19, "n"),
     f"n must be an int or a pair 'H,W' of ints of at most 18 digits, got '{'9' * 19}'"),
])
def test_every_refusal_is_one_line_naming_parameter_value_and_range(call, message):
    with pytest.raises(ConvVizError) as caught:
        call()
    assert str(caught.value) == message


def test_parse_reads_what_links_and_flags_write():
    assert parse_ints("5,7", "n") == (5, 7) and parse_ints(" 5", "n") == 5
    assert parse_int("-3", "p") == -3 and check_int(np.int32(3), "k", 1, 3) == 3
