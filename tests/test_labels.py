"""Labels of the multi-channel figures: every channel, group and stage is named in the
figure, in its palette, beside (not on) the cells."""
import pytest

from convviz import ConvSpec
from convviz.figures import ChannelsFigure
from convviz.figures.columns import LABEL_PX
from convviz.gallery import PRESETS


@pytest.mark.parametrize("name, words", [
    ("separable", {"c0", "c1", "c2", "o0", "o3", "group 0", "group 2",
                   "depthwise 3×3 (one kernel per channel)",
                   "pointwise 1×1 (its input: the depthwise outputs)"}),
    ("grouped", {"c0", "c3", "o0", "o3", "group 0", "group 1", "grouped 3×3, 2 groups"}),
    ("conv2d_3d", {"c0", "c1", "c2", "o0", "o1", "3×3 convolution, 3 → 2 channels"}),
])
def test_every_channel_group_and_stage_is_named(name, words):
    spec = PRESETS[name].spec
    fig = ChannelsFigure(spec)
    labels, _ = labels_of(fig)
    assert words <= {label.text for label in labels}


def labels_of(fig):
    """The labels a figure places (recomputed through the public functions)."""
    from convviz.figures.channels import drawing
    d = drawing(fig.spec, None)
    return d.labels


def test_labels_are_ink_on_white_beside_the_sheets():
    fig = ChannelsFigure(PRESETS["conv2d_3d"].spec)
    image = fig.rgb(0)
    labels, _ = labels_of(fig)
    for label in labels:
        if label.anchor != "rm":
            continue
        box = image[int(label.y) - LABEL_PX // 2:int(label.y) + LABEL_PX // 2,
                    int(label.x) - 2 * LABEL_PX:int(label.x)]
        colours = {tuple(c) for c in box.reshape(-1, 3)}
        assert (255, 255, 255) in colours and len(colours) > 3     # dark glyphs on white
        assert all(c in {tuple(p) for p in fig.palette} for c in colours)


def test_dense_stacks_name_their_first_and_last_channel():
    spec = ConvSpec(mode="separable", in_channels=8, out_channels=8, input_size=8, padding=1)
    labels, _ = labels_of(ChannelsFigure(spec))
    texts = [label.text for label in labels]
    assert texts[-6:-2] == ["c0", "c7", "o0", "o7"]          # the pointwise stacks, 8 deep


def test_frames_keep_the_labels():
    fig = ChannelsFigure(PRESETS["depthwise"].spec)
    first, last = fig.rgb(0), fig.rgb(fig.frame_count - 1)
    bottom = slice(fig.size[0] - 40, fig.size[0])
    assert (first[bottom] == last[bottom]).all() and (first[bottom] < 128).any()

