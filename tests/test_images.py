"""Reading real images: Pillow's conversions exactly, the bounded downscale, and every refusal
(too many bytes, a decompression bomb, not an image, truncated) in one line and quickly."""
from __future__ import annotations

import io
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from convviz import ConvVizError
from convviz.images import MAX_BYTES, MAX_PIXELS, fitted_size, read_image

ASSETS = Path(__file__).resolve().parent.parent / "assets"
BUNDLED = ["camera.png", "chelsea.png", "shapes.png"]


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def noise(height: int, width: int, mode: str = "RGB", seed: int = 0) -> Image.Image:
    shape = (height, width, 3) if mode == "RGB" else (height, width)
    pixels = np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)
    return Image.fromarray(pixels, mode)


def bomb(side: int = 12_000) -> bytes:
    """A PNG whose header says side x side pixels, a few KB of zeros (1 bit each)."""
    return encoded(Image.new("1", (side, side)), "PNG", optimize=True)


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_images_are_read_as_pillows_l_and_rgb_conversions(name):
    with Image.open(ASSETS / name) as image:
        gray = np.asarray(image.convert("L"), dtype=np.float64)
        rgb = np.asarray(image.convert("RGB"), dtype=np.float64).transpose(2, 0, 1)
    picture = read_image(ASSETS / name)
    assert picture.pixels.shape == (1, *gray.shape) and picture.pixels.dtype == np.float64
    assert np.array_equal(picture.pixels[0], gray) and picture.mode == "L"
    assert not picture.pixels.flags.writeable and picture.notes == ()
    colour = read_image(ASSETS / name, rgb=True)
    assert np.array_equal(colour.pixels, rgb) and colour.channels == 3
    assert max(picture.size) <= 512 and picture.name == name and picture.format == "PNG"


@pytest.mark.parametrize("fmt, options", [("PNG", {}), ("JPEG", {"quality": 90}),
                                          ("WEBP", {"lossless": True}), ("GIF", {})])
def test_every_format_reads_as_pillow_decodes_it(fmt, options):
    data = encoded(noise(40, 60), fmt, **options)
    with Image.open(io.BytesIO(data)) as image:
        want = np.asarray(image.convert("L"), dtype=np.float64)
    picture = read_image(data, name=f"x.{fmt.lower()}")
    assert picture.format == fmt and picture.size == (40, 60)
    assert np.array_equal(picture.pixels[0], want)


@pytest.mark.parametrize("fmt", ["GIF", "PNG", "WEBP"])
def test_an_animated_image_gives_its_first_frame_and_says_so(fmt):
    frames = [Image.new("RGB", (16, 12), (v, v, v)) for v in (10, 200, 90)]
    data = encoded(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100)
    picture = read_image(data)
    assert picture.notes == ("the first frame of an animated image",)
    assert np.all(picture.pixels == 10)


def test_a_large_image_is_downscaled_to_the_longest_side_and_says_so():
    picture = read_image(encoded(noise(600, 1200), "PNG"), max_side=512)
    assert picture.size == (256, 512) and picture.source_size == (600, 1200)
    assert picture.notes == ("downscaled from 600 x 1200 to 256 x 512 (longest side at most "
                             "512)",)
    assert read_image(encoded(noise(600, 1200), "PNG"), max_side=100).size == (50, 100)


def test_a_large_jpeg_is_decoded_at_a_reduced_scale_then_fitted():
    gradient = np.tile(np.linspace(0, 255, 2400), (1800, 1)).astype(np.uint8)
    picture = read_image(encoded(Image.fromarray(gradient, "L"), "JPEG"), max_side=300)
    assert picture.size == (225, 300) and picture.source_size == (1800, 2400)
    assert np.allclose(picture.pixels[0].mean(axis=0), np.linspace(0, 255, 300), atol=4)


def test_fitted_size_keeps_the_shape():
    assert fitted_size((512, 512), 512) == (512, 512)
    assert fitted_size((1, 5000), 512) == (1, 512)
    assert fitted_size((3000, 4000), 400) == (300, 400)


def test_exif_orientation_is_applied():
    image = noise(20, 40)
    exif = image.getexif()
    exif[0x0112] = 6                                   # "rotate 90 clockwise to view"
    picture = read_image(encoded(image, "JPEG", exif=exif))
    assert picture.size == (40, 20) and "turned upright" in picture.notes[0]


def test_transparent_pixels_are_shown_on_white():
    pixels = np.zeros((4, 4, 4), np.uint8)
    pixels[:2] = (0, 0, 0, 255)                        # opaque black rows, then transparent
    picture = read_image(encoded(Image.fromarray(pixels, "RGBA"), "PNG"))
    assert np.all(picture.pixels[0, :2] == 0) and np.all(picture.pixels[0, 2:] == 255)
    assert picture.notes == ("transparent pixels shown on white",)


def test_sixteen_bit_grayscale_is_scaled_to_0_255():
    pixels = np.array([[0, 257 * 100, 65535]], np.uint16)
    picture = read_image(encoded(Image.fromarray(pixels), "PNG"))
    assert picture.pixels[0].tolist() == [[0.0, 100.0, 255.0]]
    assert picture.notes == ("16-bit values scaled to 0..255",)


def test_a_palette_image_is_converted_as_pillow_converts_it():
    image = noise(30, 30).quantize(16)
    picture = read_image(encoded(image, "PNG"))
    assert np.array_equal(picture.pixels[0], np.asarray(image.convert("L"), float))


@pytest.mark.parametrize("data, words", [
    (b"", "is not a PNG, JPEG, WebP or GIF image"),
    (b"hello, this is text with a .png name", "is not a PNG, JPEG, WebP or GIF image"),
    (encoded(noise(8, 8), "BMP"), "is not a PNG, JPEG, WebP or GIF image"),
    (encoded(noise(300, 300), "JPEG")[:4000], "is truncated or damaged"),
    (encoded(noise(300, 300), "PNG")[:40_000], "is truncated or damaged"),
    (encoded(noise(30, 30), "PNG")[:-20] + b"garbage" * 3, "is truncated or damaged"),
])
def test_what_cannot_be_read_is_refused_in_one_line(data, words):
    with pytest.raises(ConvVizError, match=words) as refusal:
        read_image(data, name="upload.png")
    assert "\n" not in str(refusal.value) and str(refusal.value).startswith("upload.png ")


def test_too_many_bytes_are_refused_before_decoding(tmp_path):
    with pytest.raises(ConvVizError, match=r"must be at most 10.0 MB, got 10.0 MB"):
        read_image(b"\0" * (MAX_BYTES + 1))
    path = tmp_path / "big.png"
    path.write_bytes(b"\0" * (MAX_BYTES + 1))
    with pytest.raises(ConvVizError, match=r"big.png must be at most 10.0 MB"):
        read_image(path)


@pytest.mark.parametrize("side", [12_000, 20_000])
def test_a_decompression_bomb_is_refused_from_its_header_within_a_second(side):
    data = bomb(side)
    assert len(data) < 60_000
    start = time.perf_counter()
    with pytest.raises(ConvVizError) as refusal:
        read_image(data, name="bomb.png")
    assert time.perf_counter() - start < 1.0
    assert str(refusal.value).startswith(f"bomb.png must have at most {MAX_PIXELS:,} pixels")
    if side == 12_000:                                     # the size is read off the header
        assert str(refusal.value) == ("bomb.png must have at most 40,000,000 pixels (40 "
                                      "megapixels), got 12000 x 12000 = 144,000,000 (a "
                                      "decompression bomb?)")


def test_a_bomb_does_not_grow_the_process_memory(tmp_path):
    """In a fresh process: peak memory after refusing a 12 000 x 12 000 PNG stays near the
    baseline (decoding it would take 144 MB as "L", more as RGB)."""
    path = tmp_path / "bomb.png"
    path.write_bytes(bomb())
    script = ("import resource, sys\nfrom convviz.images import read_image\n"
              "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
              "try:\n    read_image(sys.argv[1], rgb=True)\nexcept Exception as e:\n"
              "    print(type(e).__name__)\n"
              "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base)\n")
    result = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True,
                            text=True, cwd=Path(__file__).resolve().parent.parent, check=True)
    name, grown_kb = result.stdout.split()
    assert name == "ConvVizError" and int(grown_kb) < 30_000


def test_max_side_is_checked():
    with pytest.raises(ConvVizError, match="max_side must be an int >= 1, got 0"):
        read_image(ASSETS / "camera.png", max_side=0)


def test_a_missing_file_is_one_line(tmp_path):
    with pytest.raises(ConvVizError, match="cannot read .*missing.png: No such file"):
        read_image(tmp_path / "missing.png")
