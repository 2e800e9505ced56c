"""Write frames to GIF, MP4 or PNG, streaming: memory does not grow with the frame count.

A frame is uint8 ``(H, W)`` indices into a palette ``(P, 3)`` (P <= 256), as every figure
makes them (:mod:`convviz.figures.base`), so no colour is ever quantised. The format comes
from the file suffix; :func:`format_of` and :func:`check_duration` are the one suffix check
and the one duration rule of every front end.

>>> import numpy as np
>>> data = encode([np.zeros((4, 6), np.uint8)] * 3, "gif", palette=np.zeros((2, 3), np.uint8))
>>> data[:6], len(data) > 0
(b'GIF89a', True)
"""
from __future__ import annotations

import io
import os
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import GifImagePlugin, Image

from .errors import ConvVizError
from .figures.style import DURATION_MS
from .ops.args import check_int

FORMATS = ("gif", "mp4", "png")
DPI_RANGE = (50, 1200)
"""Print resolutions a still may ask for, in pixels per inch."""
DURATION_RANGE_MS = (10, 60_000)
"""How long one frame may show: a GIF counts in hundredths of a second, and a minute per
step is slower than any lesson needs."""


Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while frames are drawn and written."""


def reporting(frames: Iterable[np.ndarray], total: int,
              progress: Progress | None) -> Iterator[np.ndarray]:
    """``frames``, calling ``progress(done, total)`` once before and after each one."""
    if progress is not None:
        progress(0, total)
    for done, frame in enumerate(frames, 1):
        yield frame
        if progress is not None:
            progress(done, total)


def check_dpi(dpi: int) -> int:
    """``dpi`` when it is an int in :data:`DPI_RANGE`, else the refusal."""
    return check_int(dpi, "dpi", *DPI_RANGE)


def format_of(path: str | os.PathLike, formats: tuple[str, ...] = FORMATS) -> str:
    """The format a file's suffix names, when it is one of ``formats``, else the one-line
    refusal listing them.

    >>> format_of("fig.GIF"), format_of("notes.pdf", ("png", "svg", "pdf"))
    ('gif', 'pdf')
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in formats:
        raise ConvVizError(f"file suffix must be one of {', '.join('.' + f for f in formats)}, "
                           f"got {path.suffix or 'none'!r} ({path.name})")
    return fmt


def check_duration(duration_ms: int) -> int:
    """``duration_ms`` when it is an int in :data:`DURATION_RANGE_MS`, else the refusal."""
    return check_int(duration_ms, "duration_ms", *DURATION_RANGE_MS)


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


class _Palettes:
    """'P' images of frame rectangles in the frames' palette, plus one transparent entry
    (where it fits in 256) for the pixels a rectangle leaves as they were: they cost nothing
    to show and compress to almost nothing."""

    def __init__(self, palette: np.ndarray) -> None:
        self.palette, self.transparent = palette, None
        if len(palette) < 256:
            self.transparent = len(palette)
            self.palette = np.concatenate([palette, [[255, 255, 255]]]).astype(np.uint8)

    def image(self, frame: np.ndarray, box: tuple[int, int, int, int],
              previous: np.ndarray | None) -> tuple[Image.Image, dict]:
        """The ``box`` of ``frame`` as a 'P' image, and the GIF frame options it needs."""
        y0, y1, x0, x1 = box
        crop = frame[y0:y1, x0:x1]
        if previous is None or self.transparent is None:
            return _paletted(crop, self.palette), {}
        crop = np.where(crop == previous[y0:y1, x0:x1], self.transparent, crop)
        return _paletted(crop.astype(np.uint8), self.palette), {
            "transparency": self.transparent}


def _write_gif(frames: Iterator[np.ndarray], fp: BinaryIO, duration_ms: int,
               palette: np.ndarray) -> int:
    """Stream a GIF; after the first frame only the rectangle that changed is written, in
    the global palette where it can be (see :class:`_Palettes`). Loops forever.
    Returns the frame count."""
    count, previous, palettes = 0, None, _Palettes(palette)
    for frame in frames:
        box = (0, frame.shape[0], 0, frame.shape[1])
        if previous is not None:
            box = _changed_box(frame, previous)
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
    """An RGB frame ``(H, W, 3)`` padded with white to even height and width (H.264 needs
    them)."""
    h, w = frame.shape[:2]
    return np.pad(frame, ((0, h % 2), (0, w % 2), (0, 0)), constant_values=255)


def _write_mp4(frames: Iterator[np.ndarray], path: Path, duration_ms: int,
               palette: np.ndarray) -> int:
    """Stream an H.264 MP4 through imageio-ffmpeg (imported only here)."""
    try:
        import imageio_ffmpeg
    except ImportError:
        raise ConvVizError("MP4 export needs imageio-ffmpeg: pip install imageio-ffmpeg") \
            from None
    count, writer = 0, None
    try:
        for frame in frames:
            rgb = _even(palette[frame])
            if writer is None:
                writer = imageio_ffmpeg.write_frames(
                    str(path), (rgb.shape[1], rgb.shape[0]), fps=1000 / duration_ms,
                    codec="libx264", pix_fmt_out="yuv420p", macro_block_size=1,
                    output_params=["-crf", "18"], ffmpeg_log_level="fatal")
                writer.send(None)
            writer.send(np.ascontiguousarray(rgb))
            count += 1
    except BaseException:                  # an error, Ctrl-C, SIGTERM: stop ffmpeg now
        if writer is not None:
            with suppress(BaseException):
                writer.throw(KeyboardInterrupt)         # imageio-ffmpeg then kills ffmpeg
        raise
    if writer is None:
        raise ConvVizError("frames must hold at least one frame, got none")
    writer.close()
    return count


def _write_png(frames: Iterator[np.ndarray], fp: BinaryIO, palette: np.ndarray,
               dpi: int | None = None) -> int:
    """The first frame as a PNG (``dpi``: its print resolution, kept in the file)."""
    frame = next(iter(frames), None)
    if frame is None:
        raise ConvVizError("frames must hold at least one frame, got none")
    options = {"dpi": (dpi, dpi)} if dpi else {}
    _paletted(frame, palette).save(fp, format="PNG", optimize=False, **options)
    return 1


def _checked_palette(palette: np.ndarray) -> np.ndarray:
    """``palette`` as ``(P, 3)`` uint8 with 1 <= P <= 256, or the refusal."""
    palette = np.asarray(palette)
    if palette.ndim != 2 or palette.shape[1] != 3 or not 1 <= len(palette) <= 256:
        raise ConvVizError(f"palette must have shape (P, 3) with P in 1..256, "
                           f"got {palette.shape}")
    return palette.astype(np.uint8)


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
    except OSError as error:                     # one line, even for ffmpeg's long story
        why = error.strerror or str(error).splitlines()[0]
        raise ConvVizError(f"cannot write {path}: {why}") from None
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def all_or_none(paths: list[Path]) -> Iterator[list[Path]]:
    """Temporary paths beside ``paths`` (same suffixes) to write into; when the block ends
    well, each is renamed to its path, otherwise all are removed, so the files appear
    together or not at all. A path taken by a folder is refused before anything is written.
    """
    for path in paths:
        if path.exists() and not path.is_file():
            raise ConvVizError(f"cannot write {path}: something that is not a file is in the "
                               f"way; nothing was written")
    temporary = [p.parent / f".convviz-{uuid.uuid4().hex}{p.suffix}" for p in paths]
    try:
        yield temporary
        for tmp, path in zip(temporary, paths):
            os.replace(tmp, path)
    except OSError as error:
        raise ConvVizError(f"cannot write {error.filename}: {error.strerror or error}") \
            from None
    finally:
        for tmp in temporary:
            tmp.unlink(missing_ok=True)


def write_bytes(data: bytes, path: str | os.PathLike) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`save`)."""
    path = Path(path)
    with _atomic(path) as tmp:
        tmp.write_bytes(data)
    return path


def save(frames: Iterable[np.ndarray], path: str | os.PathLike, *, palette: np.ndarray,
         duration_ms: int = DURATION_MS, dpi: int | None = None) -> Path:
    """Write ``frames`` to ``path`` as GIF, MP4 or PNG (the first frame), by suffix.

    Parameters
    ----------
    frames : iterable of ndarray, each (H, W) uint8 indices into ``palette``
    palette : ndarray, shape (P, 3), uint8, P <= 256, keyword only
    duration_ms : int, keyword only
        How long each frame shows (GIF, MP4), in :data:`DURATION_RANGE_MS`.
    dpi : int, keyword only
        A PNG's print resolution (pixels per inch), written into the file.

    The file appears complete or not at all: it is written beside ``path`` and renamed.
    """
    path = Path(path)
    fmt, duration_ms = format_of(path), check_duration(duration_ms)
    palette = _checked_palette(palette)
    with _atomic(path) as tmp:
        if fmt == "mp4":
            _write_mp4(iter(frames), tmp, duration_ms, palette)
        else:
            with open(tmp, "wb") as fp:
                if fmt == "gif":
                    _write_gif(iter(frames), fp, duration_ms, palette)
                else:
                    _write_png(frames, fp, palette, dpi)
    return path


def encode(frames: Iterable[np.ndarray], fmt: str, *, palette: np.ndarray,
           duration_ms: int = DURATION_MS, dpi: int | None = None) -> bytes:
    """The bytes of ``frames`` as "gif", "mp4" or "png" (the first frame), as :func:`save`."""
    fmt = format_of(f"frames.{fmt}")
    duration_ms, palette = check_duration(duration_ms), _checked_palette(palette)
    if fmt == "mp4":
        with tempfile.TemporaryDirectory() as folder:
            return save(frames, Path(folder) / "frames.mp4", duration_ms=duration_ms,
                        palette=palette).read_bytes()
    buffer = io.BytesIO()
    if fmt == "gif":
        _write_gif(iter(frames), buffer, duration_ms, palette)
    else:
        _write_png(frames, buffer, palette, dpi)
    return buffer.getvalue()
