"""The one memory check: refuse, from arithmetic, an array this process could not hold.

Everything that sizes an array from a user's numbers (the engine's outputs and work arrays,
a figure's frames, a spec's input drawn at random) asks :func:`check_bytes` first, so a request
for 37 GiB ends in one line instead of a ``MemoryError`` traceback, minutes of swapping, or
the kernel's OOM killer. The budget is what the machine reports free (Linux's
``MemAvailable``; the physical memory elsewhere), and no more than what is left under the
process's own address-space limit (``ulimit -v``) when one is set.

>>> check_bytes(8 * 10**15, "the output")  # doctest: +ELLIPSIS
Traceback (most recent call last):
convviz.errors.ConvVizError: the output would need 7.1 PiB, more than the ... free here...
"""
from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import ConvVizError

_UNITS = ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB")
ALWAYS_BYTES = 64 * 2 ** 20
"""Requests up to this size pass without asking the system (which costs a file read): a
machine that runs Python has it, and :func:`refused` catches the rare exception."""


def size_text(nbytes: int) -> str:
    """``nbytes`` as people read it: ``'512 bytes'``, ``'3.2 MiB'``, ``'37.0 GiB'``.

    >>> size_text(512), size_text(3_355_443), size_text(39_728_447_488)
    ('512 bytes', '3.2 MiB', '37.0 GiB')
    """
    power = min(int(math.log(max(nbytes, 1), 1024)), len(_UNITS) - 1)
    if power == 0:
        return f"{nbytes} bytes"
    return f"{nbytes / 1024 ** power:.1f} {_UNITS[power]}"


def _meminfo(field: str) -> int | None:
    """A ``/proc/meminfo`` (or ``/proc/self/status``) field in bytes, where Linux has it."""
    for path in (Path("/proc/meminfo"), Path("/proc/self/status")):
        try:
            found = re.search(rf"^{field}:\s+(\d+) kB", path.read_text(), re.MULTILINE)
        except OSError:
            continue
        if found:
            return int(found.group(1)) * 1024
    return None


def _address_space_left() -> int | None:
    """Bytes left under ``RLIMIT_AS`` (``ulimit -v``), or None when there is no such limit."""
    try:
        import resource
    except ImportError:                                  # not on this platform
        return None
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return None
    return max(0, soft - (_meminfo("VmSize") or 0))


def budget_bytes() -> int:
    """Bytes an array may take: free memory, and no more than the address space left."""
    free = _meminfo("MemAvailable")
    if free is None:
        try:
            free = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        except (ValueError, OSError, AttributeError):
            free = 2 ** 34                                # 16 GiB where nothing says
    left = _address_space_left()
    return free if left is None else min(free, left)


def check_bytes(nbytes: int, what: str) -> int:
    """``nbytes``, or the one-line refusal when ``what`` would take more than
    :func:`budget_bytes`."""
    if nbytes <= ALWAYS_BYTES:
        return nbytes
    budget = budget_bytes()
    if nbytes > budget:
        raise ConvVizError(f"{what} would need {size_text(nbytes)}, more than the "
                           f"{size_text(budget)} of memory free here: use smaller sizes")
    return nbytes


@contextmanager
def refused(what: str) -> Iterator[None]:
    """Turn a ``MemoryError`` inside the block (an estimate that fell short, another process
    that took the memory) into the one-line refusal naming ``what``."""
    try:
        yield
    except MemoryError:
        raise ConvVizError(f"{what} ran out of memory ({size_text(budget_bytes())} free "
                           f"here): use smaller sizes") from None


def release() -> None:
    """Give the memory freed since the last call back to the system, where the C library can.

    Drawing a figure churns through tens of MB of short-lived arrays. glibc keeps what they
    free in per-thread arenas (a server runs each page in a thread of its own), and after the
    first large array is freed it serves later ones from those arenas too (its "dynamic mmap
    threshold"), so a server's resident memory grows with what it computed rather than with
    what it holds. The first call pins that threshold at 1 MiB (larger arrays then come
    from, and go back to, the system directly; a frame's smaller ones are reused from the
    heap: pinned at 128 KiB, the page faults cost a server 50 % more CPU); every call hands
    back what is free (``malloc_trim``, well under a millisecond). Elsewhere this does
    nothing.
    """
    global _tuned
    try:
        libc = _libc()
        if not _tuned:
            libc.mallopt(_M_MMAP_THRESHOLD, 1024 * 1024)
            _tuned = True
        libc.malloc_trim(0)
    except (OSError, AttributeError):                     # not glibc
        pass


_M_MMAP_THRESHOLD = -3
_tuned = False


def _libc():
    import ctypes

    return ctypes.CDLL("libc.so.6")
