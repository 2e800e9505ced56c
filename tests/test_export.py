"""Exports decoded for real: GIF frames, timing and looping; MP4 frames and sizes; PNG."""
import numpy as np
import pytest
from PIL import Image, ImageSequence

from convviz import ConvVizError, style
from convviz.export import encode, save, write_bytes
from convviz.gallery import PRESETS
from convviz.render import cell_pixel, frame_count, frames, indexed_frames

CURRENT_OUTPUT = style.blend(style.OUTPUT, style.KERNEL, style.KERNEL_ALPHA)


def decode_gif(path):
    with Image.open(path) as im:
        info = im.info.get("loop")
        images = [(np.asarray(f.convert("RGB")), f.info.get("duration")) for f in
                  ImageSequence.Iterator(im)]
    return info, images


@pytest.mark.parametrize("name", ["padding_strides", "padding_strides_odd_transposed"])
def test_gif_frames_timing_loop_and_highlight(tmp_path, name):
    spec = PRESETS[name].spec
    palette, indices = indexed_frames(spec)
    path = save(indices, tmp_path / f"{name}.gif", palette=palette)
    loop, images = decode_gif(path)
    assert loop == 0 and len(images) == frame_count(spec)
    expected = list(frames(spec))
    for f, (image, duration) in enumerate(images):
        assert duration == 1000 and image.shape == expected[f].shape
        assert np.array_equal(image, expected[f])             # lossless: same palette
        row, col = divmod(f, spec.output_size[1])
        assert tuple(image[cell_pixel(spec, "output", row, col)]) == CURRENT_OUTPUT


def test_gif_from_rgb_frames_and_custom_duration(tmp_path):
    rgb = [np.full((8, 10, 3), (i * 40, 255 - i * 40, 7), np.uint8) for i in range(4)]
    loop, images = decode_gif(save(iter(rgb), tmp_path / "rgb.gif", duration_ms=250))
    assert loop == 0 and [d for _, d in images] == [250] * 4
    for (image, _), original in zip(images, rgb):
        assert np.abs(image.astype(int) - original).max() <= 8


def test_mp4_decodes_with_even_size_and_all_frames(tmp_path):
    spec = PRESETS["no_padding_no_strides"].spec          # 244 x 259: odd height
    palette, indices = indexed_frames(spec)
    path = save(indices, tmp_path / "fig.mp4", palette=palette, duration_ms=500)
    decoded = list(_mp4_frames(path))
    assert len(decoded) == 4
    h, w = decoded[0].shape[:2]
    assert h % 2 == 0 and w % 2 == 0 and (h, w) == (260, 244)
    first = next(frames(spec))
    assert np.abs(decoded[0][:259].astype(int) - first).mean() < 6       # lossy, but close


def _mp4_frames(path):
    import imageio_ffmpeg

    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    w, h = meta["size"]
    for raw in reader:
        yield np.frombuffer(raw, np.uint8).reshape(h, w, 3)


def test_png_is_the_first_frame(tmp_path):
    spec = PRESETS["dilation"].spec
    palette, indices = indexed_frames(spec)
    path = save(indices, tmp_path / "fig.png", palette=palette)
    assert np.array_equal(np.asarray(Image.open(path).convert("RGB")), next(frames(spec)))
    assert encode([next(frames(spec))], "png")[:4] == b"\x89PNG"


def test_streaming_takes_a_generator_once(tmp_path):
    consumed = []

    def gen():
        for i in range(50):
            consumed.append(i)
            yield np.full((6, 6), i % 3, np.uint8)
    palette = np.array([[0, 0, 0], [255, 0, 0], [0, 255, 0]], np.uint8)
    _, images = decode_gif(save(gen(), tmp_path / "g.gif", palette=palette))
    assert len(images) == 50 and consumed == list(range(50))


@pytest.mark.parametrize("name, words", [
    ("fig.webp", "file suffix must be one of .gif, .mp4, .png, got '.webp'"),
    ("fig", "got 'none'"),
])
def test_unknown_suffix(tmp_path, name, words):
    with pytest.raises(ConvVizError, match=words):
        save([np.zeros((2, 2, 3), np.uint8)], tmp_path / name)


def test_missing_folder_and_failed_writes_leave_no_file(tmp_path):
    with pytest.raises(ConvVizError, match="output folder must exist"):
        save([np.zeros((2, 2, 3), np.uint8)], tmp_path / "nope" / "fig.gif")

    def broken():
        yield np.zeros((4, 4, 3), np.uint8)
        raise ConvVizError("stop")
    with pytest.raises(ConvVizError, match="stop"):
        save(broken(), tmp_path / "fig.gif")
    with pytest.raises(ConvVizError, match="at least one frame"):
        save(iter([]), tmp_path / "empty.gif")
    assert list(tmp_path.iterdir()) == []


def test_write_bytes_and_bad_duration(tmp_path):
    assert write_bytes(b"abc", tmp_path / "x.svg").read_bytes() == b"abc"
    with pytest.raises(ConvVizError, match="duration_ms must be an int >= 10, got 0"):
        encode([np.zeros((2, 2, 3), np.uint8)], "gif", duration_ms=0)
