"""Write frames to GIF, MP4 or PNG, streaming: memory does not grow with the frame count.

A frame is uint8 ``(H, W, 3)`` RGB, or ``(H, W)`` palette indices when ``palette`` is
given (the fast path: no colour quantisation). The format comes from the file suffix.

>>> import numpy as np
>>> data = encode([np.zeros((4, 6, 3), np.uint8)] * 3, "gif")
>>> data[:6], len(data) > 0
(b'GIF89a', True)
"""
from __future__ import annotations

import io
import os
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import GifImagePlugin, Image

from . import style
from .errors import ConvVizError

FORMATS = ("gif", "mp4", "png")


def _format_of(path: Path) -> str:
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ConvVizError(f"file suffix must be one of {', '.join('.' + f for f in FORMATS)}, "
                           f"got {path.suffix or 'none'!r} ({path.name})")
    return fmt


def _check_duration(duration_ms: int) -> int:
    if isinstance(duration_ms, bool) or not isinstance(duration_ms, int) or duration_ms < 10:
        raise ConvVizError(f"duration_ms must be an int >= 10, got {duration_ms!r}")
    return duration_ms


def _paletted(frame: np.ndarray, palette: np.ndarray) -> Image.Image:
    """A 'P' image of an index frame (H, W) with ``palette`` (P, 3)."""
    image = Image.fromarray(np.ascontiguousarray(frame), "P")
    image.putpalette(palette.astype(np.uint8).tobytes())
    return image


def _changed_box(a: np.ndarray, b: np.ndarray) -> tuple[int, int, int, int]:
    """``(y0, y1, x0, x1)`` bounding the pixels where (H, W) uint8 frames differ (at least
    one pixel), compared eight pixels at a time and rounded out to whole groups of eight."""
    h, w = a.shape
    w8 = w - w % 8
    groups = a[:, :w8].view(np.uint64) != b[:, :w8].view(np.uint64)     # (H, W // 8)
    tail = a[:, w8:] != b[:, w8:]                                         # (H, W % 8)
    rows = np.nonzero(groups.any(axis=1) | tail.any(axis=1))[0]
    if not len(rows):
        return 0, 1, 0, 1
    cols = np.nonzero(np.repeat(groups.any(axis=0), 8))[0]
    cols = np.concatenate([cols, w8 + np.nonzero(tail.any(axis=0))[0]])
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


_MAX_MISSED_PX, _MAX_ERROR = 16, 12
"""An RGB rectangle where a colour the palette lacks by more than ``_MAX_ERROR`` (in a
channel) covers more than ``_MAX_MISSED_PX`` pixels (a fill, not an anti-aliasing shade)
gets a palette of its own."""


def _codes(rgb: np.ndarray) -> np.ndarray:
    """Colours (..., 3) uint8 as 24-bit ints (...,)."""
    rgb = rgb.astype(np.uint32)
    return (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]


def _colours_of(codes: np.ndarray) -> np.ndarray:
    """24-bit ints (...,) as colours (..., 3) uint8."""
    return np.stack([codes >> 16, (codes >> 8) & 255, codes & 255], -1).astype(np.uint8)


def _nearest(codes: np.ndarray, colours: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For distinct colours ``codes`` (M,): the nearest of ``colours`` (P, 3) and the largest
    channel error to it, each (M,)."""
    diff = _colours_of(codes)[:, None, :].astype(np.int32) - colours[None].astype(np.int32)
    nearest = np.argmin((diff * diff).sum(axis=2), axis=1)
    return nearest, np.abs(diff[np.arange(len(codes)), nearest]).max(axis=1)


class _Colours:
    """A palette of up to 256 colours and the exact-or-nearest index of any RGB pixel."""

    def __init__(self, codes: np.ndarray) -> None:
        """The palette of pixels ``codes`` (any shape): all their colours where they are
        256 or fewer, else the commonest 256. ``self.indices`` are theirs."""
        found, inverse, counts = np.unique(codes.ravel(), return_inverse=True,
                                           return_counts=True)
        if len(found) > 256:
            keep = np.argsort(counts, kind="stable")[::-1][:256]
            remap = np.full(len(found), -1)
            remap[keep] = np.arange(256)
            lost = remap < 0
            remap[lost] = _nearest(found[lost], _colours_of(found[keep]))[0]
            found, inverse = found[keep], remap[inverse]
        order = np.argsort(found)                              # palette sorted by code
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        self.sorted_codes, self.colours = found[order], _colours_of(found[order])
        self.indices = rank[inverse].reshape(codes.shape).astype(np.uint8)

    def index(self, codes: np.ndarray) -> tuple[np.ndarray, int]:
        """Palette indices of pixels ``codes`` (exact, else the nearest colour), and the most
        pixels any one colour covers that the palette misses by more than ``_MAX_ERROR``."""
        pos = np.minimum(np.searchsorted(self.sorted_codes, codes), len(self.sorted_codes) - 1)
        miss = self.sorted_codes[pos] != codes
        if not miss.any():
            return pos.astype(np.uint8), 0
        shades, back, counts = np.unique(codes[miss], return_inverse=True, return_counts=True)
        nearest, error = _nearest(shades, self.colours)
        pos[miss] = nearest[back]
        return pos.astype(np.uint8), int(counts[error > _MAX_ERROR].max(initial=0))


class _Palettes:
    """'P' images of frame rectangles. Index frames keep their palette, plus one transparent
    entry (where it fits in 256) for the pixels a rectangle leaves as they were: they cost
    nothing to show and compress to almost nothing. RGB frames take one palette of the
    first frame's commonest colours (exact for fills, lines and text; rare anti-aliasing
    shades take their nearest), or one of their own where that palette lacks a colour
    covering more than ``_MAX_MISSED_PX`` pixels."""

    def __init__(self, palette: np.ndarray | None) -> None:
        self.palette, self.shared, self.transparent = palette, None, None
        if palette is not None and len(palette) < 256:
            self.transparent = len(palette)
            self.palette = np.concatenate([palette, [[255, 255, 255]]]).astype(np.uint8)

    def image(self, frame: np.ndarray, box: tuple[int, int, int, int],
              previous: np.ndarray | None) -> tuple[Image.Image, dict]:
        """The ``box`` of ``frame`` as a 'P' image, and the GIF frame options it needs."""
        y0, y1, x0, x1 = box
        crop = frame[y0:y1, x0:x1]
        if self.palette is not None:
            if previous is None or self.transparent is None:
                return _paletted(crop, self.palette), {}
            crop = np.where(crop == previous[y0:y1, x0:x1], self.transparent, crop)
            return _paletted(crop.astype(np.uint8), self.palette), {
                "transparency": self.transparent}
        codes = _codes(crop)
        if self.shared is None:
            self.shared = _Colours(codes)
            return _paletted(self.shared.indices, self.shared.colours), {}
        indices, missed_px = self.shared.index(codes)
        if missed_px <= _MAX_MISSED_PX:
            return _paletted(indices, self.shared.colours), {}
        local = _Colours(codes)
        return _paletted(local.indices, local.colours), {"include_color_table": True}


def _write_gif(frames: Iterator[np.ndarray], fp: BinaryIO, duration_ms: int,
               palette: np.ndarray | None) -> int:
    """Stream a GIF; after the first frame only the rectangle that changed is written, in
    the global palette where it can be (see :class:`_Palettes`). Loops forever.
    Returns the frame count."""
    count, previous, palettes = 0, None, _Palettes(palette)
    for frame in frames:
        box = (0, frame.shape[0], 0, frame.shape[1])
        if previous is not None:
            h = frame.shape[0]
            y0, y1, x0, x1 = _changed_box(frame.reshape(h, -1), previous.reshape(h, -1))
            step = 1 if frame.ndim == 2 else 3                # RGB: bytes -> pixels
            box = (y0, y1, x0 // step, -(-x1 // step))
        image, options = palettes.image(frame, box, previous)
        if count == 0:                                    # the first image is whole
            header, _ = GifImagePlugin.getheader(image, None,
                                                 {"loop": 0, "duration": duration_ms})
            fp.write(b"".join(header))
        fp.write(b"".join(GifImagePlugin.getdata(image, (int(box[2]), int(box[0])),
                                                 duration=duration_ms, **options)))
        count, previous = count + 1, frame
    if count == 0:
        raise ConvVizError("frames must hold at least one frame, got none")
    fp.write(b";")
    return count


def _even(frame: np.ndarray) -> np.ndarray:
    """An RGB frame padded with white to even height and width (H.264 needs them)."""
    h, w = frame.shape[:2]
    return np.pad(frame, ((0, h % 2), (0, w % 2), (0, 0)), constant_values=255)


def _write_mp4(frames: Iterator[np.ndarray], path: Path, duration_ms: int,
               palette: np.ndarray | None) -> int:
    """Stream an H.264 MP4 through imageio-ffmpeg (imported only here)."""
    try:
        import imageio_ffmpeg
    except ImportError:
        raise ConvVizError("MP4 export needs imageio-ffmpeg: pip install imageio-ffmpeg") \
            from None
    count, writer = 0, None
    for frame in frames:
        rgb = _even(frame if palette is None else palette[frame])
        if writer is None:
            writer = imageio_ffmpeg.write_frames(
                str(path), (rgb.shape[1], rgb.shape[0]), fps=1000 / duration_ms,
                codec="libx264", pix_fmt_out="yuv420p", macro_block_size=1,
                output_params=["-crf", "18"], ffmpeg_log_level="error")
            writer.send(None)
        writer.send(np.ascontiguousarray(rgb))
        count += 1
    if writer is None:
        raise ConvVizError("frames must hold at least one frame, got none")
    writer.close()
    return count


def _write_png(frames: Iterator[np.ndarray], fp: BinaryIO, palette: np.ndarray | None) -> int:
    """The first frame as a PNG."""
    frame = next(iter(frames), None)
    if frame is None:
        raise ConvVizError("frames must hold at least one frame, got none")
    image = (Image.fromarray(np.ascontiguousarray(frame), "RGB") if palette is None
             else _paletted(frame, palette))
    image.save(fp, format="PNG", optimize=False)
    return 1


@contextmanager
def _atomic(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path``, renamed to it on success and removed on failure,
    so a file appears complete or not at all."""
    if not path.parent.is_dir():
        raise ConvVizError(f"output folder must exist, got {path.parent}")
    tmp = path.parent / f".convviz-{uuid.uuid4().hex}{path.suffix}"    # created by the writer
    try:
        yield tmp
        os.replace(tmp, path)
    except OSError as error:
        raise ConvVizError(f"cannot write {path}: {error.strerror or error}") from None
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes(data: bytes, path: str | os.PathLike) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`save`)."""
    path = Path(path)
    with _atomic(path) as tmp:
        tmp.write_bytes(data)
    return path


def save(frames: Iterable[np.ndarray], path: str | os.PathLike, *,
         duration_ms: int = style.DURATION_MS, palette: np.ndarray | None = None) -> Path:
    """Write ``frames`` to ``path`` as GIF, MP4 or PNG (the first frame), by suffix.

    Parameters
    ----------
    frames : iterable of ndarray, each (H, W, 3) uint8, or (H, W) uint8 indices into palette
    duration_ms : int, keyword only
        How long each frame shows (GIF, MP4).
    palette : ndarray, shape (P, 3), uint8, optional, keyword only

    The file appears complete or not at all: it is written beside ``path`` and renamed.
    """
    path = Path(path)
    fmt, duration_ms = _format_of(path), _check_duration(duration_ms)
    with _atomic(path) as tmp:
        if fmt == "mp4":
            _write_mp4(iter(frames), tmp, duration_ms, palette)
        else:
            with open(tmp, "wb") as fp:
                if fmt == "gif":
                    _write_gif(iter(frames), fp, duration_ms, palette)
                else:
                    _write_png(frames, fp, palette)
    return path


def encode(frames: Iterable[np.ndarray], fmt: str, *, duration_ms: int = style.DURATION_MS,
           palette: np.ndarray | None = None) -> bytes:
    """The bytes of ``frames`` as "gif", "mp4" or "png" (the first frame), as :func:`save`."""
    fmt = _format_of(Path(f"frames.{fmt}"))
    duration_ms = _check_duration(duration_ms)
    if fmt == "mp4":
        with tempfile.TemporaryDirectory() as folder:
            return save(frames, Path(folder) / "frames.mp4", duration_ms=duration_ms,
                        palette=palette).read_bytes()
    buffer = io.BytesIO()
    if fmt == "gif":
        _write_gif(iter(frames), buffer, duration_ms, palette)
    else:
        _write_png(frames, buffer, palette)
    return buffer.getvalue()
