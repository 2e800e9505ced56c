"""Views: one entry point that picks the renderer and the output format."""
import pytest

from convviz import ConvSpec, ConvVizError
from convviz.views import View, animation, encode, frame_count, save, still


def test_animation_streams_indexed_frames():
    view = View(ConvSpec(input_size=4, kernel_size=3))
    anim = animation(view)
    assert anim.count == frame_count(view) == 4
    frames = list(anim.frames)
    assert len(frames) == 4 and frames[0].ndim == 2 and anim.palette.shape[1] == 3


def test_encode_and_save_pick_the_format(tmp_path):
    view = View(ConvSpec(input_size=4, kernel_size=3))
    assert encode(view, "gif")[:6] == b"GIF89a"
    assert save(view, tmp_path / "a.svg", frame=1).read_bytes()[:5] == b"<?xml"
    assert still(view, 3, "png")[:4] == b"\x89PNG"
    with pytest.raises(ConvVizError, match="file suffix must be one of"):
        save(view, tmp_path / "a.jpg")
    with pytest.raises(ConvVizError, match="still format must be one of png, svg, pdf"):
        still(view, 0, "gif")
