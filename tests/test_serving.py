"""The app's server answers Streamlit's static files from memory (``ui/serving.py``): the same
bytes and headers as Streamlit's own handler (text gzipped for a browser that takes it), and
everything else handed on to Streamlit."""
from __future__ import annotations

import asyncio
import gzip
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from streamlit import file_util
from streamlit.web.server.starlette.starlette_static_routes import (
    create_streamlit_static_handler,
)

from ui.serving import StaticFromMemory

STATIC = Path(file_util.get_static_dir())
COMPARED = ("content-type", "content-length", "cache-control", "etag", "last-modified")


def call(app, path: str, method: str = "GET", headers: tuple = ()) -> tuple[int, dict, bytes]:
    """One request through an ASGI ``app``: status, headers (lower-case names), body."""
    sent: list[dict] = []
    asked: list[int] = []

    async def receive():                  # the request, then nothing until the answer is sent
        asked.append(1)
        if len(asked) > 1:
            await asyncio.Event().wait()
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "raw_path": path.encode(),
             "root_path": "", "query_string": b"", "scheme": "http", "http_version": "1.1",
             "server": ("127.0.0.1", 8501), "client": ("127.0.0.1", 5000),
             "headers": [(b"host", b"127.0.0.1"), *headers]}
    with ThreadPoolExecutor(1) as thread:          # a loop of its own (a test before may
        thread.submit(asyncio.run, app(scope, receive, send)).result()   # hold this one)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.decode().lower(): v.decode() for k, v in start["headers"]}, body


def streamlit_files() -> list[str]:
    """A few of every kind of static file the browser fetches: scripts, styles, fonts."""
    picked = []
    for folder, suffix in (("js", ".js"), ("css", ".css"), ("media", ".woff2")):
        picked += sorted(p.name for p in (STATIC / "static" / folder).glob(f"*{suffix}"))[:3]
    return [f"/static/{'js' if n.endswith('.js') else 'css' if n.endswith('.css') else 'media'}"
            f"/{n}" for n in picked]


@pytest.mark.parametrize("path", streamlit_files())
def test_a_static_file_is_what_streamlit_sends(path):
    theirs_status, theirs, theirs_body = call(
        create_streamlit_static_handler(str(STATIC), None), path)

    async def nobody(scope, receive, send):                # nothing is handed on
        raise AssertionError(f"{scope['path']} was handed on")

    ours = StaticFromMemory(nobody)
    for _ in range(2):                                     # read from disk, then from memory
        status, headers, body = call(ours, path)
        assert (status, body) == (theirs_status, theirs_body) == (200, theirs_body)
        assert {k: headers.get(k) for k in COMPARED} == {k: theirs.get(k) for k in COMPARED}
    assert "immutable" in headers["cache-control"]


@pytest.mark.parametrize("path", streamlit_files())
def test_text_goes_gzipped_to_a_browser_that_takes_it(path):
    _, theirs, body = call(create_streamlit_static_handler(str(STATIC), None), path)
    ours = StaticFromMemory(None)
    browser = ((b"accept-encoding", b"gzip, deflate, br, zstd"),)
    status, headers, sent = call(ours, path, headers=browser)
    text = not path.endswith(".woff2")
    assert status == 200
    assert (gzip.decompress(sent) if text else sent) == body
    assert headers.get("content-encoding") == ("gzip" if text else None)
    assert int(headers["content-length"]) == len(sent)
    assert headers.get("vary") == ("Accept-Encoding" if text else None)
    assert (headers["etag"] != theirs["etag"]) == text          # another representation
    assert headers["content-type"] == theirs["content-type"]
    if text:
        assert len(sent) < len(body) / 2
        _, plain, unpacked = call(ours, path, headers=((b"accept-encoding", b"br"),))
        assert unpacked == body and "content-encoding" not in plain
        assert plain["vary"] == "Accept-Encoding"


@pytest.mark.parametrize("path, method, headers", [
    ("/", "GET", ()),                                      # the page itself
    ("/index.html", "GET", ()),
    ("/static/js/no-such-file.js", "GET", ()),             # Streamlit's own 404/fallback
    ("/static/../index.html", "GET", ()),                  # out of the folder
    ("/static/../manifest.json", "GET", ()),
    ("/static/../favicon.png", "GET", ()),
    ("/static/js/./{js}", "GET", ()),                      # a file by another of its names
    ("/static//js/{js}", "GET", ()),
    ("/static/js", "GET", ()),                             # a folder
    ("/static/", "GET", ()),
    ("/_stcore/health", "GET", ()),
    ("/static/js/{js}", "POST", ()),
    ("/static/js/{js}", "HEAD", ()),
    ("/static/js/{js}", "GET", ((b"range", b"bytes=0-9"),)),
    ("/static/js/{js}", "GET", ((b"if-none-match", b'"x"'),)),
])
def test_everything_else_goes_on_to_streamlit(path, method, headers):
    js = streamlit_files()[0].rsplit("/", 1)[1]
    handed = []

    async def streamlit(scope, receive, send):
        handed.append(scope["path"])
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    ours = StaticFromMemory(streamlit)
    status, _, _ = call(ours, path.format(js=js), method, headers)
    assert status == 299 and handed == [path.format(js=js)]
    assert not ours.files                                  # nothing kept for what it passed on
