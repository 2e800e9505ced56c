"""The numbers a figure shows: presets, parsed kernels and inputs, seeded random values."""
import numpy as np
import pytest

from convviz import ConvSpec, ConvVizError, conv2d
from convviz.sample import Numbers
from convviz.values import (
    INPUT_RANGE,
    KERNEL_PRESETS,
    KERNEL_RANGE,
    input_values,
    kernel_weight,
    parse_kernel,
    parse_values,
    random_values,
    values_for,
)


def test_presets_are_read_only_3x3_integer_kernels():
    assert set(KERNEL_PRESETS) == {"identity", "box_blur", "gaussian", "sharpen", "sobel_x",
                                   "sobel_y", "laplacian"}
    for name, kernel in KERNEL_PRESETS.items():
        assert kernel.shape == (3, 3) and kernel.dtype == np.int64, name
        with pytest.raises(ValueError):
            kernel[0, 0] = 7
    assert KERNEL_PRESETS["gaussian"].sum() == 16 and KERNEL_PRESETS["box_blur"].sum() == 9
    assert KERNEL_PRESETS["laplacian"].sum() == 0 and KERNEL_PRESETS["sharpen"].sum() == 1


def test_presets_do_what_their_names_say():
    spec = ConvSpec(input_size=5, padding=1)
    ramp = np.tile(np.arange(5), (5, 1))[None]                # grows to the right
    conv = {name: conv2d(ramp[None], kernel_weight(spec, name), padding=1)[0, 0, 1:-1, 1:-1]
            for name in KERNEL_PRESETS}
    assert (conv["identity"] == ramp[0, 1:-1, 1:-1]).all()
    assert (conv["sobel_x"] == 8).all() and (conv["sobel_y"] == 0).all()
    assert (conv["laplacian"] == 0).all() and (conv["gaussian"] == 16 * ramp[0, 1:-1, 1:-1]).all()
    assert (kernel_weight(spec, "sobel_y")[0, 0] == KERNEL_PRESETS["sobel_x"].T).all()


@pytest.mark.parametrize("name", ["box blur", "Box-Blur", " box_blur "])
def test_preset_names_are_forgiving(name):
    weight = kernel_weight(ConvSpec(input_size=4), name)
    assert weight.shape == (1, 1, 3, 3) and (weight == 1).all()


def test_preset_with_another_kernel_size_names_kernel_size_and_preset():
    with pytest.raises(ConvVizError, match=r"^kernel_size must be 3 .*'sobel_x', got 5 x 5$"):
        kernel_weight(ConvSpec(input_size=6, kernel_size=5), "sobel_x")


def test_unknown_preset_lists_the_presets():
    with pytest.raises(ConvVizError, match="kernel must be one of identity, .*got 'sobel'"):
        kernel_weight(ConvSpec(input_size=4), "sobel")


def test_parse_kernel_reads_the_cli_syntax():
    kernel = parse_kernel("1,0,-1;2,0,-2;1,0,-1")
    assert kernel.dtype == np.int64
    assert kernel.tolist() == [[1, 0, -1], [2, 0, -2], [1, 0, -1]]
    assert parse_kernel(" 1 0 \u22121\n 2 0 -2 ;").tolist() == [[1, 0, -1], [2, 0, -2]]
    floats = parse_kernel("0.25, 0.5; 1e-1, 2.0")
    assert floats.dtype == np.float64 and floats.tolist() == [[0.25, 0.5], [0.1, 2.0]]
    assert parse_kernel("2.0,3").dtype == np.int64            # whole numbers stay ints


@pytest.mark.parametrize("text, message", [
    ("1,0;2", r"kernel rows must have equal lengths, but row 1 has 2 values and row 2 has 1"),
    ("1,x;2,3", r"kernel must hold numbers only, got 'x' in row 1"),
    ("", r"kernel must have at least one row"),
    (" ; ", r"kernel must have at least one row"),
    ("1,nan", r"kernel must be one of"),
    ("1,1e999", r"kernel must hold finite numbers"),
])
def test_bad_kernel_text_is_one_line(text, message):
    with pytest.raises(ConvVizError, match=message) as info:
        kernel_weight(ConvSpec(input_size=4, kernel_size=(1, 2)), text)
    assert "\n" not in str(info.value)


def test_parse_values_names_input():
    assert parse_values("1,2,3;4,5,6").shape == (2, 3)
    with pytest.raises(ConvVizError, match="^input rows must have equal lengths"):
        parse_values("1,2;3")
    with pytest.raises(ConvVizError, match="^input must be text"):
        parse_values([[1, 2]])


def test_kernel_and_input_shapes_are_checked_against_the_spec():
    spec = ConvSpec(input_size=(4, 5), kernel_size=3)
    with pytest.raises(ConvVizError, match=r"kernel must be 3 x 3 for kernel_size 3 x 3 .*"
                                           r"got shape \(2, 2\)"):
        kernel_weight(spec, "1,2;3,4")
    with pytest.raises(ConvVizError, match=r"input must be 4 x 5 for input_size 4 x 5 .*"
                                           r"got shape \(4, 4\)"):
        input_values(spec, np.zeros((4, 4)))
    with pytest.raises(ConvVizError, match=r"input must hold finite numbers.*\[0, 1\]"):
        input_values(spec, [[0, None, 0, 0, 0]] * 4)


def test_2d_values_go_to_every_channel():
    spec = ConvSpec(input_size=4, in_channels=2, out_channels=3)
    assert kernel_weight(spec, "identity").shape == (3, 2, 3, 3)
    x = input_values(spec, np.arange(16).reshape(4, 4))
    assert x.shape == (2, 4, 4) and (x[0] == x[1]).all()
    full = np.ones((3, 2, 3, 3))
    assert kernel_weight(spec, full).shape == (3, 2, 3, 3)


def test_random_values_are_seeded_small_integers_of_the_spec_shapes():
    spec = ConvSpec(mode="transposed", input_size=(3, 4), kernel_size=2, stride=2,
                    in_channels=2, out_channels=3)
    x, w = random_values(spec, seed=5)
    assert x.shape == (2, 3, 4) and w.shape == spec.weight_shape == (2, 3, 2, 2)
    assert x.dtype == w.dtype == np.int64
    assert INPUT_RANGE[0] <= x.min() and x.max() <= INPUT_RANGE[1]
    assert KERNEL_RANGE[0] <= w.min() and w.max() <= KERNEL_RANGE[1]
    again = random_values(spec, seed=5)
    assert (again[0] == x).all() and (again[1] == w).all()
    other = random_values(spec, seed=6)
    assert not ((other[0] == x).all() and (other[1] == w).all())


def test_random_input_does_not_depend_on_the_kernel_size():
    x3, _ = random_values(ConvSpec(input_size=6, kernel_size=3), seed=1)
    x5, _ = random_values(ConvSpec(input_size=6, kernel_size=5), seed=1)
    assert (x3 == x5).all()


@pytest.mark.parametrize("seed", [-1, 1.5, True, "3"])
def test_bad_seed(seed):
    with pytest.raises(ConvVizError, match=r"^seed must be an int >= 0, got"):
        random_values(ConvSpec(), seed=seed)


def test_values_for_replaces_only_what_is_given():
    spec = ConvSpec(input_size=4)
    x, w = random_values(spec, seed=2)
    x2, w2 = values_for(spec, seed=2, kernel="laplacian")
    assert (x2 == x).all() and (w2[0, 0] == KERNEL_PRESETS["laplacian"]).all()
    x3, w3 = values_for(spec, seed=2, input="1,2,3,4;" * 4)
    assert (w3 == w).all() and x3[0, 3].tolist() == [1, 2, 3, 4]


# ---- values beyond int64 and float64 (issue #17, rows 7-9) --------------------------------
def test_a_whole_number_beyond_int64_stays_exact_instead_of_wrapping():
    """Row 7: ``1e19`` became -9223372036854775808 (a cast to int64 wrapped around)."""
    x = parse_values("1e19,1;1,1")
    assert x.dtype == np.float64 and x[0, 0] == 1e19 and x[1, 1] == 1
    assert parse_values("9223372036854775807,0").dtype == np.int64          # 2**63 - 1: int64
    big = parse_values("9223372036854775807,0")[0, 0]
    assert int(big) == 2 ** 63 - 1                                          # exactly


def test_ints_that_no_64_bit_number_holds_exactly_are_refused():
    with pytest.raises(ConvVizError, match="must be exact as 64-bit numbers.*got 99999999999"):
        parse_values("99999999999999999999,1")
    with pytest.raises(ConvVizError, match="got 9007199254740993"):
        parse_values("9007199254740993,0.5")              # 2**53 + 1 beside a fraction
    assert parse_values("18446744073709551616").dtype == np.float64       # 2**64: exact float


@pytest.mark.parametrize("text", ["1e400,1", "nan,1", "-inf,0", "1,inf"])
def test_values_beyond_float64_or_not_numbers_are_refused(text):
    with pytest.raises(ConvVizError, match="must hold finite numbers"):
        parse_kernel(text)


def test_checking_values_does_not_build_their_copies():
    """A kernel for 10**10 channel pairs is checked from its shape, never copied out."""
    spec = ConvSpec(input_size=4, kernel_size=2, in_channels=100_000, out_channels=100_000)
    Numbers(kernel="1,0;0,1").check(spec)
    with pytest.raises(ConvVizError, match="would need .* GiB"):
        Numbers(kernel="1,0;0,1").sample(spec)
