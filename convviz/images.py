"""Real images as the engine's input, and the feature map a configured layer makes of them.

:func:`read_image` turns a PNG, JPEG, WebP or GIF file (an animated one: its first frame)
into a :class:`Picture`: ``(C, H, W)`` float64 pixel values 0..255, Pillow's ``"L"``
conversion (one channel) or its ``"RGB"`` one (three), downscaled so that the longest side is
at most ``max_side`` (the picture's ``notes`` say what was done). A file that cannot be read
safely is refused with one line before anything large is made: more than :data:`MAX_BYTES`,
more than :data:`MAX_PIXELS` by its header (a decompression bomb), not an image, truncated
or damaged.

:mod:`convviz.featuremap` applies a layer to a picture; :mod:`convviz.figures.heatmap` shows
the result.

>>> picture = read_image(b"P2 2 1 255 0 255", name="tiny.pgm")
Traceback (most recent call last):
convviz.errors.ConvVizError: tiny.pgm is not a PNG, JPEG, WebP or GIF image
"""
from __future__ import annotations

import io
import os
import warnings
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import ConvVizError
from .ops.args import Pair, check_int

MAX_SIDE = 512
"""Default longest side of a picture: larger images are downscaled to it."""
MAX_MB, MAX_MEGAPIXELS = 10, 40
MAX_BYTES = MAX_MB * 1024 * 1024
"""Largest image file read (10 MB)."""
MAX_PIXELS = MAX_MEGAPIXELS * 1_000_000
"""Largest image read, by the size its header states (40 megapixels)."""
FORMATS = ("PNG", "JPEG", "WEBP", "GIF")
"""The formats read (Pillow's names)."""
_ORIENTATION = 0x0112
"""The EXIF tag of a photo's orientation."""
_BROKEN = (OSError, SyntaxError, ValueError, EOFError, zlib.error, IndexError)
"""What Pillow raises for a truncated or damaged file."""


@dataclass(frozen=True, eq=False)
class Picture:
    """An image as the engine's input.

    Attributes
    ----------
    pixels : ndarray, shape (C, H, W), float64, read-only
        Pillow's "L" (C = 1) or "RGB" (C = 3) values, 0..255.
    name : str
        Where it came from (a file name).
    format : str
        Pillow's name of the file's format ("PNG").
    source_size : (H, W)
        The image's size in the file.
    notes : tuple of str
        What was done to it on the way: downscaling, the first frame, transparency.
    """

    pixels: np.ndarray
    name: str
    format: str
    source_size: Pair
    notes: tuple[str, ...] = ()

    @property
    def size(self) -> Pair:
        """``(H, W)``."""
        return self.pixels.shape[1:]

    @property
    def channels(self) -> int:
        """1 (grayscale) or 3 (RGB)."""
        return self.pixels.shape[0]

    def inside(self, point: Pair | None) -> Pair:
        """``point`` ``(y, x)`` moved into the picture (None: its centre).

        >>> Picture(np.zeros((1, 4, 6)), "x", "PNG", (4, 6)).inside((9, -1))
        (3, 0)
        """
        height, width = self.size
        if point is None:
            return height // 2, width // 2
        return min(max(int(point[0]), 0), height - 1), min(max(int(point[1]), 0), width - 1)

    @property
    def mode(self) -> str:
        """Pillow's name of the conversion: ``"L"`` or ``"RGB"``."""
        return "L" if self.channels == 1 else "RGB"


def _megabytes(count: int) -> str:
    return f"{count / (1024 * 1024):.1f} MB"


def _read(source: str | os.PathLike | bytes, name: str | None) -> tuple[bytes, str]:
    """The bytes of ``source`` (a path or bytes) and its name, refused past MAX_BYTES."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data, name = bytes(source), name or "the image"
    else:
        path = Path(source)
        name = name or path.name
        try:
            if path.stat().st_size > MAX_BYTES:
                raise ConvVizError(f"{name} must be at most {_megabytes(MAX_BYTES)}, got "
                                   f"{_megabytes(path.stat().st_size)}")
            data = path.read_bytes()
        except OSError as error:
            raise ConvVizError(f"cannot read {path}: {error.strerror}") from None
    if len(data) > MAX_BYTES:
        raise ConvVizError(f"{name} must be at most {_megabytes(MAX_BYTES)}, got "
                           f"{_megabytes(len(data))}")
    return data, name


def read_image(source: str | os.PathLike | bytes, *, rgb: bool = False,
               max_side: int = MAX_SIDE, name: str | None = None) -> Picture:
    """The picture in an image file: grayscale (Pillow's "L") or ``rgb``, at most
    ``max_side`` pixels on its longest side.

    Parameters
    ----------
    source : path or bytes
        A PNG, JPEG, WebP or GIF file (of an animated one, the first frame).
    rgb : bool
        Three channels (Pillow's "RGB") instead of one.
    max_side : int
        Larger images are downscaled (Lanczos) to this longest side, keeping their shape.
    name : str, optional
        What messages call the image (default: the file's name).

    Returns
    -------
    Picture, pixels of shape (1, H, W) or (3, H, W), float64 0..255
    """
    max_side = check_int(max_side, "max_side", 1)
    data, name = _read(source, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=FORMATS) as image:
                _check_size(image, name)
                source_size, fmt = (image.height, image.width), image.format
                notes = ["the first frame of an animated image"] if getattr(
                    image, "is_animated", False) else []
                converted = _decoded(image, "RGB" if rgb else "L", max_side, notes)
        except ConvVizError:                                # ours: already one line
            raise
        except (UnidentifiedImageError, Image.DecompressionBombError, *_BROKEN) as error:
            raise _refusal(error, name) from None
    pixels = np.asarray(converted, dtype=np.float64)
    pixels = pixels[None] if pixels.ndim == 2 else pixels.transpose(2, 0, 1)   # (C, H, W)
    pixels.setflags(write=False)
    return Picture(pixels, name, fmt, source_size, tuple(notes))


def _refusal(error: Exception, name: str) -> ConvVizError:
    """What Pillow's ``error`` about the image ``name`` means, in one line."""
    if isinstance(error, UnidentifiedImageError):
        return ConvVizError(f"{name} is not a PNG, JPEG, WebP or GIF image")
    if isinstance(error, Image.DecompressionBombError):
        return ConvVizError(f"{name} must have at most {MAX_PIXELS:,} pixels, got more than "
                            f"{2 * Image.MAX_IMAGE_PIXELS:,} (a decompression bomb?)")
    reason = str(error).splitlines()[0] if str(error) else type(error).__name__
    return ConvVizError(f"{name} is truncated or damaged: Pillow cannot decode it ({reason})")


def _check_size(image: Image.Image, name: str) -> None:
    """Refuse, from the header alone, an image of more than MAX_PIXELS."""
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ConvVizError(f"{name} must have at most {MAX_PIXELS:,} pixels "
                           f"({MAX_PIXELS / 1e6:g} megapixels), got {width} x {height} = "
                           f"{width * height:,} (a decompression bomb?)")


def fitted_size(size: Pair, max_side: int) -> Pair:
    """``(H, W)`` scaled so that the longest side is ``max_side`` (unchanged if it is already
    at most that), keeping the shape.

    >>> fitted_size((3000, 4000), 512), fitted_size((100, 50), 512)
    ((384, 512), (100, 50))
    """
    scale = max_side / max(size)
    if scale >= 1:
        return tuple(size)
    return tuple(max(1, round(side * scale)) for side in size)


def _decoded(image: Image.Image, mode: str, max_side: int, notes: list[str]) -> Image.Image:
    """``image`` decoded, upright, flattened onto white, converted to ``mode`` and fitted
    within ``max_side``; ``notes`` get what was done."""
    full = (image.height, image.width)
    if max(full) > max_side:
        image.draft(image.mode, fitted_size(full, max_side)[::-1])   # JPEG: 1/2 .. 1/8 scale
    image.load()
    orientation = image.getexif().get(_ORIENTATION, 1)
    if orientation != 1:
        image = ImageOps.exif_transpose(image)
        full = full[::-1] if orientation in (5, 6, 7, 8) else full     # turned a quarter
        notes.append("turned upright as its EXIF orientation says")
    if image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info:
        white = Image.new("RGBA", image.size, "white")
        image = Image.alpha_composite(white, image.convert("RGBA"))
        notes.append("transparent pixels shown on white")
    if image.mode.startswith("I"):                     # 16-bit grayscale: scale to 0..255
        scaled = np.clip(np.asarray(image, dtype=np.float64) / 257, 0, 255).round()
        image = Image.fromarray(scaled.astype(np.uint8), "L")
        notes.append("16-bit values scaled to 0..255")
    image = image.convert(mode)
    target = fitted_size(full, max_side)
    if target != full:
        notes.append(f"downscaled from {full[0]} x {full[1]} to {target[0]} x {target[1]} "
                     f"(longest side at most {max_side})")
    if target != (image.height, image.width):
        image = image.resize(target[::-1], Image.Resampling.LANCZOS, reducing_gap=3.0)
    return image
