"""Where a figure's numbers come from, and the engine's output for them, stage by stage."""
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
