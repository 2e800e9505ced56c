"""How ``streamlit run app.py`` serves the app: Streamlit's own server (``st.App``), with its
static files (the browser's scripts, styles and fonts, ``/static/...``) answered from memory.

A student's first visit fetches about 120 of them. Streamlit serves each through its router,
its middleware and a thread hop per 64 KiB read: about 1.7 ms of server CPU a file, which
for a class arriving together came to more than every page run and figure it drew. From
memory a file costs about 0.3 ms (``benchmarks/load.py``). The answers are the same files
with the same headers (``Cache-Control: public, immutable``: their names carry their hash);
anything else (pages, ``.html``, a conditional or ranged request, a file not there) goes on
to Streamlit untouched.

Text files (scripts, styles) also go gzipped to a browser that accepts it: a first visit
sends 2.5 MB instead of 5.9, which a class on one school network notices. Streamlit sends them
uncompressed because compressing on every request costs more CPU than it saves; here each is
compressed once, on its first request, and kept.
"""
from __future__ import annotations

import gzip
import mimetypes
from email.utils import formatdate
from hashlib import md5
from pathlib import Path

from starlette.middleware import Middleware
from starlette.types import ASGIApp, Receive, Scope, Send
from streamlit import config, file_util

IMMUTABLE = b"public, immutable, max-age=31536000"
"""What Streamlit answers for its hashed static files (a year; they never change)."""
HANDED_ON = (b"range", b"if-none-match", b"if-modified-since")
"""Request headers whose answers (206, 304) Streamlit gives itself."""
PACKED = ("text/", "application/javascript", "application/json", "image/svg+xml")
"""Media types worth gzipping (fonts and pictures are compressed already)."""

Answer = tuple[list[tuple[bytes, bytes]], bytes]
"""An answer's headers and body."""


class StaticFromMemory:
    """ASGI middleware: ``GET <base>/static/<file>`` answered from memory, each file read
    once, on its first request; every other request passed to ``app``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.root = Path(file_util.get_static_dir(), "static").resolve()   # what /static/ is
        base = config.get_option("server.baseUrlPath").strip("/")
        self.prefix = f"/{base}/static/" if base else "/static/"
        self.files: dict[str, tuple[Answer, Answer | None]] = {}   # as it is, and gzipped

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        answer = self._answer(scope) if scope["type"] == "http" else None
        if answer is None:
            await self.app(scope, receive, send)
            return
        headers, body = answer
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _answer(self, scope: Scope) -> Answer | None:
        """The headers and body for a plain GET of a static file, else None."""
        path = scope["path"]
        if scope["method"] != "GET" or not path.startswith(self.prefix):
            return None                             # pages and the rest: no headers read
        headers = dict(scope["headers"])
        if any(name in headers for name in HANDED_ON):
            return None
        if path not in self.files:                  # only files are kept: a stranger's
            stored = self._read(path[len(self.prefix):])   # made-up names are not
            if stored is None:
                return None
            self.files[path] = stored
        plain, packed = self.files[path]
        accepted = headers.get(b"accept-encoding", b"").replace(b" ", b"").split(b",")
        return packed if packed is not None and b"gzip" in accepted else plain

    def _read(self, name: str) -> tuple[Answer, Answer | None] | None:
        """A file under the static folder, named as it is (no ``.``, ``..`` or ``//``), as
        Starlette's ``FileResponse`` would send it, and gzipped where that pays; None for
        anything else (Streamlit answers those)."""
        file = (self.root / name).resolve()
        if (name.endswith(".html") or self.root not in file.parents or not file.is_file()
                or file.relative_to(self.root).as_posix() != name):  # one name a file, so
            return None                                   # what is kept stays within the folder
        body, stat = file.read_bytes(), file.stat()
        media = mimetypes.guess_type(file.name)[0] or "text/plain"
        if media.startswith("text/"):
            media += "; charset=utf-8"
        tag = md5(f"{stat.st_mtime}-{stat.st_size}".encode(), usedforsecurity=False).hexdigest()
        same = [(b"content-type", media.encode()),
                (b"last-modified", formatdate(stat.st_mtime, usegmt=True).encode()),
                (b"cache-control", IMMUTABLE)]
        plain = [(b"content-length", str(len(body)).encode()), (b"etag", f'"{tag}"'.encode())]
        if not media.startswith(PACKED):
            return ([*same, *plain], body), None
        same.append((b"vary", b"Accept-Encoding"))        # for caches between: two encodings
        packed = gzip.compress(body, compresslevel=6, mtime=0)
        return ([*same, *plain], body), ([*same, (b"content-length", str(len(packed)).encode()),
                                          (b"etag", f'"{tag}-gzip"'.encode()),
                                          (b"content-encoding", b"gzip")], packed)


MIDDLEWARE = [Middleware(StaticFromMemory)]
"""What ``app.py`` hands ``st.App``."""
