"""The operation table: every mode's row, and ConvSpec reading it instead of branching."""
import pytest

from convviz.errors import ConvVizError
from convviz.gallery import PRESETS
from convviz.ops import engine
from convviz.ops.spec import ConvSpec
from convviz.ops.table import FIELDS, MODES, OPERATIONS


def test_every_row_is_complete_and_consistent():
    assert MODES == tuple(OPERATIONS) and len(set(MODES)) == len(MODES)
    for name, op in OPERATIONS.items():
        assert op.name == name and op.label and op.summary and op.torch
        assert set(op.params) <= set(FIELDS)
        assert set(op.defaults) | set(op.fixed) | set(op.minimum) <= set(op.params)
        assert all(stage in OPERATIONS for stage in op.stages)
        assert op.preset is None or op.preset in PRESETS
        assert ConvSpec(mode=name).mode == name                 # its defaults make a valid spec


def test_rows_pick_the_engine_function():
    assert OPERATIONS["conv"].function is engine.conv2d
    assert OPERATIONS["transposed"].function is engine.conv_transpose2d


@pytest.mark.parametrize("mode, field, value", [
    (mode, field, value) for mode, op in OPERATIONS.items() for field, value in
    (("output_padding", 1), ("padding_mode", "reflect")) if not op.takes(field)])
def test_a_field_the_mode_does_not_take_must_keep_its_default(mode, field, value):
    with pytest.raises(ConvVizError, match=f"^{field} must be"):
        ConvSpec(mode=mode, stride=2, in_channels=2, out_channels=2, **{field: value})


def test_fixed_values_and_copied_defaults():
    assert ConvSpec(mode="depthwise", in_channels=4).groups == 4
    assert ConvSpec(mode="depthwise", in_channels=4).out_channels == 4
    assert ConvSpec(mode="separable", in_channels=3).groups == 3
    with pytest.raises(ConvVizError, match="^groups must equal in_channels=4 for separable"):
        ConvSpec(mode="separable", in_channels=4, groups=2)
