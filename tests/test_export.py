"""Exports decoded for real: GIF frames, timing and looping; MP4 frames and sizes; PNG."""
import numpy as np
import pytest
from PIL import Image, ImageSequence

from convviz import ConvVizError
from convviz.export import check_duration, encode, format_of, save, write_bytes
from convviz.figures import ClassicFigure, style
from convviz.gallery import PRESETS

CURRENT_OUTPUT = style.blend(style.OUTPUT, style.KERNEL, style.KERNEL_ALPHA)
GREYS = np.array([[i * 60, 255 - i * 60, 7] for i in range(4)], np.uint8)


def indexed_frames(spec):
    fig = ClassicFigure(spec)
    return fig.palette, fig.frames()


def frames(spec):
    fig = ClassicFigure(spec)
    return (fig.palette[f] for f in fig.frames())


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
    assert loop == 0 and len(images) == ClassicFigure.count(spec)
    expected = list(frames(spec))
    for f, (image, duration) in enumerate(images):
        assert duration == 1000 and image.shape == expected[f].shape
        assert np.array_equal(image, expected[f])             # lossless: same palette
        row, col = divmod(f, spec.output_size[1])
        pixel = ClassicFigure(spec).cell_pixel("output", row, col)
        assert tuple(image[pixel]) == CURRENT_OUTPUT


def test_gif_of_a_custom_palette_and_duration(tmp_path):
    indices = [np.full((8, 10), i, np.uint8) for i in range(4)]
    loop, images = decode_gif(save(iter(indices), tmp_path / "p.gif", duration_ms=250,
                                   palette=GREYS))
    assert loop == 0 and [d for _, d in images] == [250] * 4
    for (image, _), index in zip(images, indices):
        assert (image == GREYS[index]).all()


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
    assert encode([next(indexed_frames(spec)[1])], "png", palette=GREYS)[:4] == b"\x89PNG"


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
        save([np.zeros((2, 2), np.uint8)], tmp_path / name, palette=GREYS)
    with pytest.raises(ConvVizError, match=words.replace(".gif, .mp4, .png", ".svg")):
        format_of(tmp_path / name, ("svg",))


def test_missing_folder_and_failed_writes_leave_no_file(tmp_path):
    with pytest.raises(ConvVizError, match="output folder must exist"):
        save([np.zeros((2, 2), np.uint8)], tmp_path / "nope" / "fig.gif", palette=GREYS)

    def broken():
        yield np.zeros((4, 4), np.uint8)
        raise ConvVizError("stop")
    with pytest.raises(ConvVizError, match="stop"):
        save(broken(), tmp_path / "fig.gif", palette=GREYS)
    with pytest.raises(ConvVizError, match="at least one frame"):
        save(iter([]), tmp_path / "empty.gif", palette=GREYS)
    assert list(tmp_path.iterdir()) == []


def test_write_bytes_and_bad_duration_or_palette(tmp_path):
    assert write_bytes(b"abc", tmp_path / "x.svg").read_bytes() == b"abc"
    for bad in (0, 9, 60_001, 655_360, True, 20.0):
        with pytest.raises(ConvVizError, match="^duration_ms must be an int in 10..60000, got"):
            encode([np.zeros((2, 2), np.uint8)], "gif", duration_ms=bad, palette=GREYS)
    assert check_duration(10) == 10 and check_duration(60_000) == 60_000
    with pytest.raises(ConvVizError, match=r"^palette must have shape \(P, 3\) with P in"):
        encode([np.zeros((2, 2), np.uint8)], "gif", palette=np.zeros((300, 3), np.uint8))
