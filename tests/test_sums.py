"""Multi-channel captions: every line's terms add up to the engine's value, channel by channel,
and long sums never hide their non-zero products."""
import re

import numpy as np
import pytest

from convviz import ConvSpec, Numbers, conv2d, conv_transpose2d
from convviz.figures.sums import MAX_LINES, channel_captions, stage_numbers, sum_text
from convviz.gallery import PRESETS
from convviz.geometry import layout
from convviz.text import MINUS

SPECS = {
    "standard": PRESETS["conv2d_3d"].spec,
    "depthwise": PRESETS["depthwise"].spec,
    "grouped": PRESETS["grouped"].spec,
    "pointwise": PRESETS["pointwise"].spec,
    "separable": PRESETS["separable"].spec,
    "multiplier": ConvSpec(mode="depthwise", input_size=4, in_channels=2, out_channels=4),
    "transposed": ConvSpec(mode="transposed", input_size=3, stride=2, padding=1, in_channels=2,
                           out_channels=6, groups=2),
    "many_outputs": ConvSpec(input_size=4, in_channels=2, out_channels=7, padding=1),
}


def _value(text: str) -> float:
    return float(text.replace(MINUS, "-").strip("()"))


def _terms(body: str) -> float:
    """The sum of ``a·b + c + (−d) …`` as written."""
    total = 0.0
    for term in body.split(" + "):
        factors = [_value(f) for f in term.split("·")]
        total += np.prod(factors)
    return total


@pytest.mark.parametrize("name", SPECS)
def test_every_line_adds_up_to_the_engines_value(name):
    spec = SPECS[name]
    numbers = Numbers(seed=3)
    captions = channel_captions(spec, numbers)
    data = stage_numbers(spec, numbers)
    at = 0
    for conv, _, _, y in data:
        for step in layout(conv):
            lines = captions[at].lines
            assert len(lines) == min(len(y), MAX_LINES) + (len(y) > MAX_LINES)
            for o, line in enumerate(lines[:MAX_LINES]):
                head, _, rest = line.partition(" = ")
                assert head == f"y[o={o}, {step.out[0]}, {step.out[1]}]"
                body, total = rest.split("   (")[0].rsplit(" = ", 1)
                body = body.split(" = ")[-1]                  # after Σc x[c]⋆w[o,c] =
                assert _value(total) == y[o, step.out[0], step.out[1]]
                assert _terms(body) == pytest.approx(_value(total))
            at += 1
    assert at == len(captions)


def test_the_outputs_are_the_engines():
    spec = SPECS["transposed"]
    sample = Numbers(seed=1).sample(spec)
    expected = conv_transpose2d(sample.x[None], sample.weight, None, spec.stride, spec.padding,
                                spec.output_padding, spec.groups, spec.dilation)[0]
    assert (stage_numbers(spec, Numbers(seed=1))[0][3] == expected).all()
    standard = SPECS["standard"]
    sample = Numbers().sample(standard)
    assert (stage_numbers(standard, Numbers())[0][3] ==
            conv2d(sample.x[None], sample.weight)[0]).all()


def test_a_grouped_line_names_its_groups_channels():
    lines = channel_captions(SPECS["grouped"], Numbers())[0].lines
    assert lines[0].endswith("(c = 0, 1)") and lines[3].endswith("(c = 2, 3)")
    assert re.match(r"y\[o=2, 0, 0\] = Σc x\[c\]⋆w\[2,c\] = \S+ \+ \S+ = \S+", lines[2])


def test_depthwise_lines_name_their_one_channel_and_separable_its_stages():
    assert channel_captions(SPECS["multiplier"], Numbers())[0].lines[3].startswith(
        "y[o=3, 0, 0] = x[c=1]⋆w[3] = ")
    stages = {c.stage for c in channel_captions(SPECS["separable"], Numbers())}
    assert stages == {"depthwise 3×3", "pointwise 1×1"}


def test_many_output_channels_end_with_their_values():
    caption = channel_captions(SPECS["many_outputs"], Numbers())[0]
    assert caption.lines[-1].startswith("y[o=4…6, 0, 0] = ")
    assert len(caption.lines[-1].split(" = ")[1].split(", ")) == 3


def test_long_sums_leave_out_zero_products_not_the_ones_that_count():
    values = [0] * 12 + [4, 0, 5, 0]
    text = sum_text(values, [2] * 16)
    assert text == "4·2 + 5·2   (16 products; 14 with a 0 left out)"
    assert sum_text([1, 2], [3, 4]) == "1·3 + 2·4"
    many = sum_text(list(range(1, 17)), [1] * 16)
    assert many.count("·") == 6 and " + … + " in many and many.endswith("(16 products)")
