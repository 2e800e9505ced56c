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


def _paletted(frame: np.ndarray, palette: np.ndarray | None) -> Image.Image:
    """A 'P' image of an index frame, or an RGB frame quantised (adaptive palette)."""
    if palette is None:
        return Image.fromarray(np.ascontiguousarray(frame), "RGB").quantize(
            256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
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


def _write_gif(frames: Iterator[np.ndarray], fp: BinaryIO, duration_ms: int,
               palette: np.ndarray | None) -> int:
    """Stream a GIF: one global palette (index frames) and, after the first frame, only the
    rectangle that changed. Loops forever. Returns the frame count."""
    count, previous = 0, None
    for frame in frames:
        if palette is None:                              # each frame its own local palette
            image = _paletted(frame, None)
            params = {"duration": duration_ms, "include_color_table": True}
            offset = (0, 0)
        else:
            y0, y1, x0, x1 = (0, frame.shape[0], 0, frame.shape[1]) if previous is None \
                else _changed_box(frame, previous)
            image = _paletted(frame[y0:y1, x0:x1], palette)
            params, offset, previous = {"duration": duration_ms}, (int(x0), int(y0)), frame
        if count == 0:                                    # the first image is whole
            header, _ = GifImagePlugin.getheader(image, None,
                                                 {"loop": 0, "duration": duration_ms})
            fp.write(b"".join(header))
        fp.write(b"".join(GifImagePlugin.getdata(image, offset, **params)))
        count += 1
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
