"""Where a figure's numbers come from, and the engine's output for them, stage by stage."""
import numpy as np
import pytest

from convviz import ConvSpec, ConvVizError, conv2d
from convviz.sample import Numbers


def test_numbers_sample_runs_every_stage_through_the_engine():
    spec = ConvSpec(mode="separable", input_size=5, in_channels=2, out_channels=3)
    sample = Numbers(seed=4).sample(spec)
    depthwise, pointwise = spec.stages()
    assert [w.shape for w in sample.weights] == [depthwise.weight_shape, pointwise.weight_shape]
    first = conv2d(sample.x[None], sample.weights[0], groups=2)[0]
    assert (sample.outputs[0] == first).all()
    assert (sample.output == conv2d(first[None], sample.weights[1])[0]).all()
    assert sample.output.shape == spec.output_shape[1:] and not sample.x.flags.writeable
    assert Numbers(seed=4).sample(spec) is sample                        # cached


def test_numbers_check_refuses_values_that_do_not_fit():
    with pytest.raises(ConvVizError, match="kernel must be 3 x 3"):
        Numbers(kernel="1,2;3,4").check(ConvSpec(input_size=4))
    with pytest.raises(ConvVizError, match="^seed must be an int >= 0, got -1$"):
        Numbers(seed=-1)


def test_sums_that_would_leave_int64_are_computed_in_float64():
    """Issue #17 row 8: 3e9 * 4e9 summed in int64 wrapped to -6446744073709551616; torch (in
    float64) gives 1.2e19, and so does convviz now. Small integers stay int64 and exact."""
    spec = ConvSpec(input_size=3, kernel_size=2, padding=1)
    big = Numbers(input="3000000000,0,0;0,0,0;0,0,0", kernel="0,0;0,4000000000").sample(spec)
    assert big.output.dtype == np.float64 and big.output[0, 0, 0] == 1.2e19
    small = Numbers(input="3,0,0;0,0,0;0,0,0", kernel="0,0;0,4").sample(spec)
    assert small.output.dtype == np.int64 and small.output[0, 0, 0] == 12


def test_overflow_to_inf_is_shown_not_raised():
    """Row 9: a kernel of 1e308 raised OverflowError; the sums are inf, as torch's are."""
    spec = ConvSpec(input_size=3, kernel_size=2)
    sample = Numbers(input="1,2,3;4,5,6;7,8,9", kernel="1e308,1e308;1e308,1e308").sample(spec)
    assert np.isinf(sample.output).all() and (sample.output > 0).all()
