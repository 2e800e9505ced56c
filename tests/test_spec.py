"""ConvSpec: validation, derived sizes, query-string round trip."""
import dataclasses
import re

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from convviz import ConvSpec, ConvVizError
from convviz.ops.shapes import conv2d_output_shape
from convviz.ops.table import OPERATIONS


def test_fields_are_normalised_to_pairs():
    spec = ConvSpec(input_size=(5, 7), kernel_size=3, stride=(1, 2))
    assert spec.input_size == (5, 7) and spec.kernel_size == (3, 3) and spec.stride == (1, 2)
    assert spec.output_size == (3, 3)


def test_transposed_actual_padding_both_ways():
    by_p = ConvSpec(mode="transposed", input_size=3, kernel_size=3, stride=2, padding=1)
    by_pt = ConvSpec.build(mode="transposed", input_size=3, kernel_size=3, stride=2, pt=1)
    assert by_p == by_pt and by_p.actual_padding == (1, 1) and by_p.output_size == (5, 5)
    dilated = ConvSpec.build(mode="transposed", input_size=3, kernel_size=3, dilation=2, pt=1)
    assert dilated.padding == (3, 3)                      # p = d*(k-1) - p_t


def test_same_padding_splits_like_pytorch():
    spec = ConvSpec(input_size=(5, 6), kernel_size=(4, 2), padding="same")
    assert spec.pads == (1, 2, 0, 1) and spec.output_size == (5, 6)


def test_fields_left_out_take_the_modes_defaults():
    assert ConvSpec(mode="pointwise").kernel_size == (1, 1)
    assert ConvSpec(mode="conv") == ConvSpec(mode="conv", dilation=1, padding=0, stride=1)
    assert ConvSpec.from_query("mode=transposed&n=3&k=3&s=2&a=1").output_padding == (1, 1)
    with pytest.raises(ConvVizError, match="given twice"):
        ConvSpec.from_query("mode=transposed&n=3&s=2&a=1&op=1")


def test_channel_defaults_follow_the_mode():
    assert ConvSpec(mode="depthwise", in_channels=3).groups == 3
    assert ConvSpec(mode="depthwise", in_channels=3).out_channels == 3
    sep = ConvSpec(mode="separable", in_channels=3, out_channels=8)
    assert sep.groups == 3 and sep.output_shape == (1, 8, 3, 3)
    assert ConvSpec(in_channels=4, out_channels=6, groups=2).weight_shape == (6, 2, 3, 3)


@pytest.mark.parametrize("fields, words", [
    (dict(stride=0), "stride must be >= 1, got 0"),
    (dict(input_size=0), "input_size must be >= 1, got 0"),
    (dict(kernel_size=6), "kernel_size must be <= 5"),
    (dict(dilation=0), "dilation must be >= 1, got 0"),
    (dict(padding=-1), "padding must be >= 0, got -1"),
    (dict(padding="half"), "padding must be an int, a pair, 'same' or 'valid', got 'half'"),
    (dict(padding="same", stride=2), "padding='same' needs stride 1, got stride 2"),
    (dict(groups=0), "groups must be an int >= 1, got 0"),
    (dict(in_channels=3, groups=2), "in_channels must be divisible by groups=2, got 3"),
    (dict(in_channels=2, out_channels=3, groups=2), "out_channels must be divisible by groups=2"),
    (dict(output_padding=1),
     "output_padding must be 0 outside transposed and transposed1d mode, got 1"),
    (dict(mode="transposed", output_padding=1), "output_padding must be < max(stride, dilation)"),
    (dict(mode="transposed", input_size=1, kernel_size=1, padding=1), "padding must be <= 0"),
    (dict(mode="transposed", padding_mode="reflect"), "padding_mode must be 'zeros'"),
    (dict(padding=5, padding_mode="reflect"), "with padding_mode='reflect' must be <= 4"),
    (dict(mode="pointwise", kernel_size=3), "kernel_size must be 1 for pointwise, got 3"),
    (dict(mode="dilated", dilation=1), "dilation must be >= 2 for dilated, got 1"),
    (dict(mode="depthwise", in_channels=2, groups=1), "groups must equal in_channels=2"),
    (dict(mode="sideways"), "mode must be one of"),
    (dict(stride=(1, 2, 3)), "stride must be an int or a pair"),
])
def test_refusals_name_parameter_value_and_range(fields, words):
    with pytest.raises(ConvVizError, match=None) as caught:
        ConvSpec(**fields)
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_build_refuses_pt_outside_transposed_and_disagreeing_padding():
    with pytest.raises(ConvVizError, match="pt"):
        ConvSpec.build(mode="conv", pt=1)
    with pytest.raises(ConvVizError, match="disagree"):
        ConvSpec.build(mode="transposed", kernel_size=3, padding=0, pt=1)


def test_spec_is_hashable_and_frozen():
    spec = ConvSpec()
    assert hash(spec) == hash(ConvSpec())
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.stride = 2


def test_query_of_the_issue():
    spec = ConvSpec.from_query("?mode=transposed&n=3&k=3&s=2&p=1")
    assert spec.to_query() == "mode=transposed&n=3&k=3&s=2&p=1" and spec.output_size == (5, 5)
    assert ConvSpec.from_query({"n": "5,7", "k": "3"}).input_size == (5, 7)
    assert ConvSpec.from_query("mode=transposed&k=3&pt=2").padding == (0, 0)
    assert ConvSpec.from_query("n=5&utm_source=x") == ConvSpec(input_size=5)


@pytest.mark.parametrize("query, words", [
    ("n=five", "input_size must be an int or a pair 'H,W' of ints, got 'five'"),
    ("n=1,2,3", "input_size must be an int or a pair"),
    ("mode=transposed&pt=9", "pt must be <= d*(k-1) = 2, got 9"),
    ("k=9", "kernel_size must be <= 5"),
])
def test_malformed_queries_raise_one_line(query, words):
    with pytest.raises(ConvVizError) as caught:
        ConvSpec.from_query(query)
    assert words in str(caught.value)


pairs = st.tuples(st.integers(1, 9), st.integers(1, 9))


@given(mode=st.sampled_from(["conv", "transposed", "dilated", "depthwise", "grouped"]),
       n=pairs, k=st.tuples(st.integers(1, 4), st.integers(1, 4)),
       s=st.tuples(st.integers(1, 3), st.integers(1, 3)),
       p=st.tuples(st.integers(0, 3), st.integers(0, 3)),
       d=st.tuples(st.integers(1, 3), st.integers(1, 3)),
       op=st.tuples(st.integers(0, 2), st.integers(0, 2)),
       cin=st.integers(1, 4), groups=st.integers(1, 4))
def test_query_round_trips_every_valid_spec(mode, n, k, s, p, d, op, cin, groups):
    fields = dict(mode=mode, input_size=n, kernel_size=k, stride=s, padding=p, dilation=d,
                  in_channels=cin * groups, groups=groups)
    if mode == "transposed":
        fields["output_padding"] = op
    if mode == "depthwise":
        fields["groups"] = cin * groups
    try:
        spec = ConvSpec(**fields)
    except ConvVizError:
        return
    assert ConvSpec.from_query(spec.to_query()) == spec


@given(n=st.integers(1, 12), k=st.integers(1, 5), s=st.integers(1, 4), p=st.integers(0, 4),
       d=st.integers(1, 3))
def test_conv_output_size_formula(n, k, s, p, d):
    try:
        spec = ConvSpec(input_size=n, kernel_size=k, stride=s, padding=p, dilation=d)
    except ConvVizError:
        assert n + 2 * p < d * (k - 1) + 1
        return
    assert spec.output_size[0] == (n + 2 * p - d * (k - 1) - 1) // s + 1


@given(n=st.integers(1, 12), k=st.integers(1, 5), s=st.integers(1, 4), p=st.integers(0, 4),
       d=st.integers(1, 3), a=st.integers(0, 3))
def test_transposed_output_size_formula(n, k, s, p, d, a):
    m = (n - 1) * s - 2 * p + d * (k - 1) + a + 1
    try:
        spec = ConvSpec(mode="transposed", input_size=n, kernel_size=k, stride=s, padding=p,
                        dilation=d, output_padding=a)
    except ConvVizError:
        assert a >= max(s, d) or m < 1
        return
    assert spec.output_size == (m, m) and a < max(s, d)


def test_spec_and_engine_share_their_checks():
    spec = ConvSpec(input_size=(6, 9), kernel_size=(3, 2), stride=(2, 3), padding=(1, 0))
    assert spec.output_shape == conv2d_output_shape(spec.input_shape, spec.weight_shape,
                                                    spec.stride, spec.padding)


def test_unread_rows_and_columns_of_a_strided_conv():
    assert ConvSpec(input_size=6, kernel_size=3, stride=2).unread() == ((5,), (5,))
    assert ConvSpec(input_size=5, kernel_size=3, stride=2).unread() == ((), ())
    assert ConvSpec(input_size=7, kernel_size=3, stride=2, dilation=2).unread() == (
        (1, 3, 5), (1, 3, 5))


def test_torch_line():
    assert ConvSpec(stride=2, padding=1).torch_line() == \
        "nn.Conv2d(1, 1, kernel_size=3, stride=2, padding=1)"
    assert ConvSpec(mode="transposed", input_size=3, kernel_size=(3, 2), stride=2,
                    output_padding=1).torch_line() == \
        "nn.ConvTranspose2d(1, 1, kernel_size=(3, 2), stride=2, output_padding=1)"


def test_stages_of_separable_are_depthwise_then_pointwise():
    separable = ConvSpec(mode="separable", input_size=6, stride=2, padding=1, in_channels=4,
                         out_channels=8)
    first, second = separable.stages()
    assert first.weight_shape == (4, 1, 3, 3) and first.output_shape == (1, 4, 3, 3)
    assert second.weight_shape == (8, 4, 1, 1) and second.input_shape == first.output_shape
    grouped = ConvSpec(mode="grouped", in_channels=4, out_channels=4, groups=2)
    assert grouped.stages() == (grouped,)


# ---- pooling and 1-D specs ------------------------------------------------------------------
NEW_MODES = ("maxpool", "avgpool", "maxpool1d", "avgpool1d", "conv1d", "transposed1d")


@st.composite
def new_specs(draw) -> dict:
    """ConvSpec fields of a pooling or 1-D mode, about half of them valid."""
    mode = draw(st.sampled_from(NEW_MODES))
    op = OPERATIONS[mode]
    size = st.integers(1, 9) if op.dims == 1 else st.one_of(st.integers(1, 9), pairs)
    fields = dict(mode=mode, input_size=draw(size), kernel_size=draw(st.integers(1, 4)),
                  padding=draw(st.integers(0, 2)))
    if draw(st.booleans()) or op.weights:
        fields["stride"] = draw(st.integers(1, 3))
    for name, values in (("dilation", st.integers(1, 3)), ("ceil_mode", st.booleans()),
                         ("count_include_pad", st.booleans()),
                         ("divisor_override", st.sampled_from([None, 2, -3])),
                         ("output_padding", st.integers(0, 2)), ("causal", st.booleans()),
                         ("in_channels", st.integers(1, 3))):
        if op.takes(name) and draw(st.booleans()):
            fields[name] = draw(values)
    return fields


def torch_layer(torch, fields: dict):
    """The torch.nn module the fields describe, built from them (not from ConvSpec)."""
    fields, nn = dict(fields), torch.nn
    mode, c = fields.pop("mode"), fields.pop("in_channels", 1)
    fields.pop("input_size")
    causal = fields.pop("causal", False)
    if mode in ("conv1d", "transposed1d"):
        k = fields.pop("kernel_size")
        cls = nn.Conv1d if mode == "conv1d" else nn.ConvTranspose1d
        if causal:
            p = fields.pop("padding")
            return nn.Sequential(nn.ConstantPad1d((p, 0), 0.0), cls(c, 1, k, **fields))
        return cls(c, 1, k, **fields)                 # out_channels: ConvSpec's default, 1
    cls = getattr(nn, {"maxpool": "MaxPool2d", "avgpool": "AvgPool2d", "maxpool1d": "MaxPool1d",
                       "avgpool1d": "AvgPool1d"}[mode])
    return cls(**fields)


@given(fields=new_specs())
def test_pooling_and_1d_specs_are_refused_exactly_when_torch_refuses(torch, fields):
    size, dims = fields["input_size"], OPERATIONS[fields["mode"]].dims
    size = (size,) * dims if isinstance(size, int) else size
    x = torch.zeros(1, fields.get("in_channels", 1), *size)
    try:
        with torch.no_grad():
            expected = tuple(torch_layer(torch, fields)(x).shape)
        if min(expected[2:]) < 1:
            raise RuntimeError("empty output")
    except (RuntimeError, ValueError, TypeError):
        with pytest.raises(ConvVizError):
            ConvSpec(**fields)
        return event("refused")
    spec = ConvSpec(**fields)
    assert spec.output_shape == expected and spec.input_shape == tuple(x.shape)
    event("computed")


@given(fields=new_specs())
def test_the_torch_line_builds_the_layer_and_the_link_round_trips(torch, fields):
    try:
        spec = ConvSpec(**fields)
    except ConvVizError:
        return
    assert ConvSpec.from_query(spec.to_query()) == spec
    layer = eval(spec.torch_line(), {"nn": torch.nn})             # the line the app shows
    with torch.no_grad():
        assert tuple(layer(torch.zeros(spec.input_shape)).shape) == spec.output_shape


def test_1d_sizes_are_lengths_held_as_one_row_planes():
    spec = ConvSpec(mode="conv1d", input_size=8, kernel_size=3, stride=2, padding=1)
    assert (spec.input_size, spec.kernel_size, spec.padding) == ((1, 8), (1, 3), (0, 1))
    assert spec.input_shape == (1, 1, 8) and spec.weight_shape == (1, 1, 3)
    assert spec.output_shape == (1, 1, 4) and spec.output_size == (1, 4)
    assert spec.arguments() == {"stride": 2, "padding": 1, "groups": 1, "dilation": 1,
                                "padding_mode": "zeros"}
    assert dataclasses.replace(spec, stride=1) == ConvSpec(mode="conv1d", input_size=8,
                                                           kernel_size=3, padding=1)
    assert spec.to_query() == "mode=conv1d&n=8&k=3&s=2&p=1"


def test_pooling_defaults_its_stride_to_the_window_and_has_no_weight():
    spec = ConvSpec(mode="maxpool", input_size=6, kernel_size=3)
    assert spec.stride == (3, 3) and spec.weight_shape is None and spec.output_size == (2, 2)
    assert "kernel_size" in spec.arguments() and "groups" not in spec.arguments()
    assert ConvSpec(mode="avgpool", input_size=5, in_channels=4).output_shape == (1, 4, 1, 1)


@pytest.mark.parametrize("fields, words", [
    (dict(mode="maxpool", kernel_size=2, padding=2), "padding must be <= kernel_size // 2 = 1"),
    (dict(mode="conv1d", input_size=(5, 7)), "input_size must be an int (one length)"),
    (dict(mode="avgpool", divisor_override=0), "divisor_override must be a nonzero int"),
    (dict(mode="avgpool1d", divisor_override=2), "divisor_override must be None outside "
                                                 "avgpool mode, got 2"),
    (dict(mode="conv", ceil_mode=True), "ceil_mode must be False in conv mode, got True"),
    (dict(mode="maxpool", ceil_mode=2), "ceil_mode must be True or False (1 or 0), got 2"),
    (dict(mode="avgpool", count_include_pad=False, out_channels=2),
     "out_channels must equal in_channels=1 for avgpool, got 2"),
    (dict(mode="conv1d", padding="same", causal=True), "padding must be an int and "
                                                      "padding_mode 'zeros'"),
    (dict(mode="transposed", causal=True), "causal must be False outside conv1d mode"),
])
def test_pooling_and_1d_refusals_name_parameter_value_and_range(fields, words):
    with pytest.raises(ConvVizError) as caught:
        ConvSpec(**fields)
    assert words in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize("query, words", [
    ("mode=avgpool&ceil=yes", "ceil_mode must be 1 or 0, got 'yes'"),
    ("mode=avgpool&div=x", "divisor_override must be an int, got 'x'"),
    ("mode=transposed1d&k=3&pt=1&p=0", "disagree"),
])
def test_malformed_pooling_and_1d_queries_raise_one_line(query, words):
    with pytest.raises(ConvVizError, match=re.escape(words)):
        ConvSpec.from_query(query)
