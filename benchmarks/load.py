"""Load test: a class opens links at once, through Streamlit's own websocket protocol.

    python benchmarks/load.py [--students 50] [--scenario class|largest] [--visit first|return]

Starts ``streamlit run app.py`` and, as the baseline, a trivial page (``st.write``) with the
same flags and config (and, for reference, the trivial page with its static files served from
memory as the app serves them, ``ui/serving.py``), and opens the same page views on each, all
at once: no browser, one asyncio task per student speaking HTTP and Streamlit's protobuf
messages. A page view fetches the page, ``/_stcore/health``, ``/_stcore/host-config`` and, on
a first visit (``--visit first``, the default), every static file a real browser fetched for
that page (recorded once with headless Chromium; without it, the files index.html names); a
return visit has them cached. It then opens ``/_stcore/stream``, sends the ``rerun_script``
BackMsg with its link and the context a browser sends, reads ForwardMsgs until
``script_finished`` and stays connected until the whole crowd has had its first run.

Scenario ``class``: half the students on one link (the teacher's), the others on links of
their own, all new to the server. Scenario ``largest``: everyone on the largest figure the app
accepts. Reported: time to the first complete run with the figure (p50/p95/max), the server's
CPU seconds and resident memory growth per view with every session open (and, of the CPU,
about how much the static files take: they are fetched again alone afterwards); checked: every
player shows its own link's figure (its ``data-key``) and no run raised. Targets (class, 50):
CPU per view <= 1.5 x the trivial page's, <= 2 MB per session; largest (10): < 15 s each.
Results and what they mean for a deployment: docs/deploy.md.
"""
from __future__ import annotations

import argparse
import asyncio
import html
import os
import re
import statistics
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
from server import Server  # noqa: E402  (benchmarks/server.py)

from convviz import View  # noqa: E402

TRIVIAL_PAGE = 'import streamlit as st\n\nst.write("Hello, class")\n'
TRIVIAL_SERVED = ('import streamlit as st\n\nif __name__ == "__main__":\n'
                  '    st.write("Hello, class")\nelse:\n    from ui.serving import MIDDLEWARE\n\n'
                  '    app = st.App(__file__, middleware=MIDDLEWARE)\n')
"""The trivial page served as convviz serves its static files (from memory, ``ui/serving.py``):
reported beside the target's baseline, so that what the app's own work costs shows apart."""
SHARED_LINK = "mode=transposed&n=3&k=3&s=2&p=1"
LARGEST_LINK = "mode=transposed&n=12&k=7&s=1&p=8&d=4"
WARM_UP_LINK = "mode=conv&n=4&k=3&s=1&p=0"
KEY = re.compile(r'data-key="([^"]*)"')
CPU_RATIO, RSS_MB, LARGEST_S = 1.5, 2.0, 15.0
CHROMIUM = "/usr/bin/chromium"


def class_links(students: int) -> list[str]:
    """Half the class on :data:`SHARED_LINK`, the rest each on a configuration of its own:
    direct and transposed convolutions, classic and numbers figures, all within the app's
    ranges and different from each other, from the shared link and from the warm-up link."""
    own: list[str] = []
    i = 0
    while len(own) < students - students // 2:
        n, k, s, p = 4 + i % 9, 2 + i % 3, 1 + i // 3 % 2, i // 6 % 3
        if i % 4 == 3:
            link = f"mode=transposed&n={2 + i % 4}&k={k}&s={s}&p={min(p, k - 1)}&d={1 + i % 2}"
        else:
            link = f"mode=conv&n={n}&k={k}&s={s}&p={p}" + (f"&style=numbers&seed={i}"
                                                           if i % 4 == 1 else "")
        if link not in own and link not in (SHARED_LINK, WARM_UP_LINK):
            own.append(link)
        i += 1
    return [SHARED_LINK] * (students // 2) + own


def expected_key(link: str) -> str:
    """The ``data-key`` the player of ``link`` carries: the view's own query string."""
    return View.from_query(link).to_query()


def static_files(server: Server, link: str) -> tuple[list[str], str]:
    """The static files a browser fetches for ``link`` on a first visit, and how we know:
    recorded with headless Chromium, or (without it) the files index.html names."""
    try:
        from playwright.sync_api import sync_playwright
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
                "--headless", "--no-sandbox", "--disable-gpu"])
            page, seen = browser.new_page(), []
            page.on("requestfinished", lambda request: seen.append(request.url))
            page.goto(f"{server.url}/?{link}")
            page.wait_for_selector("[data-testid='stApp'][data-test-script-state="
                                   "'notRunning']", timeout=60_000)
            page.wait_for_timeout(1500)                 # the lazily loaded parts
            browser.close()
        paths = {url.removeprefix(server.url).split("?")[0] for url in seen}
        return sorted(p for p in paths if p.startswith("/static/") or p == "/favicon.png"), \
            "recorded with Chromium"
    except Exception as error:                          # no Playwright or no Chromium
        with urllib.request.urlopen(server.url) as answer:
            page = answer.read().decode()
        named = re.findall(r'(?:src|href)="\.?(/?static/[^"]+)"', page)
        return [("/" + p.lstrip("/")) for p in named], f"named by index.html ({error})"


@dataclass
class PageView:
    """One page view: seconds to the first run, the player's key, what went wrong, bytes."""

    seconds: float = 0.0
    key: str | None = None
    problem: str = ""
    received: int = 0


async def _get(port: int, path: str) -> int:
    """GET ``path`` over HTTP/1.1 as a browser would; returns the bytes received."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n"
                 f"Accept-Encoding: gzip, deflate, br, zstd\r\n\r\n".encode())
    status = (await reader.readline()).split()[1]
    body = await reader.read()
    writer.close()
    if status != b"200":
        raise OSError(f"GET {path} answered {status.decode()}")
    return len(body)


def _rerun(server: Server, link: str) -> bytes:
    """The BackMsg a browser sends when its page opens: run the script for ``link``."""
    back = BackMsg()
    state = back.rerun_script
    state.query_string, state.page_script_hash = link, ""
    state.context_info.url = f"{server.url}/?{link}"
    state.context_info.timezone, state.context_info.locale = "UTC", "en-US"
    return back.SerializeToString()


async def page_view(server: Server, link: str, files: list[str], ran: asyncio.Queue,
                    release: asyncio.Event) -> PageView:
    """Open ``link`` like a student's browser; put the view on ``ran`` after its first
    complete run and stay connected until ``release`` is set."""
    view, begin = PageView(), time.perf_counter()
    try:
        for path in [f"/?{link}", *files, "/_stcore/health", "/_stcore/host-config"]:
            view.received += await _get(server.port, path)
        async with websockets.connect(f"ws://127.0.0.1:{server.port}/_stcore/stream",
                                      subprotocols=["streamlit"], origin=server.url,
                                      max_size=None, compression=None) as ws:
            await ws.send(_rerun(server, link))
            await _first_run(ws, view)
            view.seconds = time.perf_counter() - begin
            await ran.put(view)
            await release.wait()
    except (OSError, websockets.WebSocketException) as error:
        view.problem = view.problem or f"{type(error).__name__}: {error}"
        await ran.put(view)
    return view


async def _first_run(ws, view: PageView) -> None:
    """Read ForwardMsgs until the script run finishes; note the player's key and any
    exception the page shows."""
    while True:
        data = await ws.recv()
        view.received += len(data)
        msg = ForwardMsg.FromString(data)
        kind = msg.WhichOneof("type")
        if kind == "script_finished":
            return
        if kind != "delta" or msg.delta.WhichOneof("type") != "new_element":
            continue
        element = msg.delta.new_element
        if element.WhichOneof("type") == "exception":
            view.problem = f"the page raised: {element.exception.message}"
        if element.HasField("iframe"):
            found = KEY.search(element.iframe.srcdoc)
            view.key = html.unescape(found.group(1)) if found else view.key


@dataclass
class Crowd:
    """A crowd's views, and the server's CPU seconds and memory growth (MB) with every
    session open, and still held once they had all closed."""

    views: list[PageView]
    cpu_s: float
    rss_mb: float
    held_mb: float
    static_s: float = 0.0
    """Of ``cpu_s``, about what serving the ``files`` static files per view cost."""
    files: int = 0


async def crowd(server: Server, links: list[str], files: list[str]) -> Crowd:
    """Every link opened at once, measured until each has had its first complete run."""
    ran, release = asyncio.Queue(), asyncio.Event()
    cpu, rss = server.cpu_s(), server.rss_mb()
    tasks = [asyncio.create_task(page_view(server, link, files, ran, release))
             for link in links]
    for _ in links:
        await ran.get()
    cpu, grown = server.cpu_s() - cpu, server.rss_mb() - rss
    release.set()
    views = list(await asyncio.gather(*tasks))
    await asyncio.sleep(3)                             # sessions close; caches stay
    return Crowd(views, cpu, grown, server.rss_mb() - rss)


def static_cost(server: Server, files: list[str], views: int) -> float:
    """The server's CPU seconds for the static files of ``views`` page views, fetched alone
    (the crowd's CPU less this is what the script runs and their messages cost)."""
    async def fetch() -> None:
        for _ in range(5):
            await asyncio.gather(*[_get(server.port, path) for path in files])
    cpu = server.cpu_s()
    asyncio.run(fetch())
    return (server.cpu_s() - cpu) / 5 * views


def run_crowd(script: Path, links: list[str], visit: str) -> tuple[Crowd, str]:
    """A fresh server for ``script``, a warm-up page view (imports, the static files), then
    the crowd, then its static files alone; returns it and how the static files were found."""
    server = Server(script)
    try:
        files, how = static_files(server, WARM_UP_LINK) if visit == "first" else ([], "")
        asyncio.run(crowd(server, [WARM_UP_LINK], files))
        result = asyncio.run(crowd(server, links, files))
        if files:
            result.static_s, result.files = static_cost(server, files, len(links)), len(files)
        return result, how
    finally:
        server.stop()


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if values[1:] else values[0]


def report(name: str, result: Crowd) -> None:
    times, n = [v.seconds for v in result.views], len(result.views)
    print(f"  {name:15s} first run p50 {statistics.median(times):5.2f} s  p95 "
          f"{p95(times):5.2f} s  max {max(times):5.2f} s | server {result.cpu_s / n:.3f} s CPU "
          f"and {result.rss_mb / n:.2f} MB per view ({result.held_mb:+.0f} MB after all "
          f"closed) | {sum(v.received for v in result.views) / n / 1e3:.0f} kB per view")
    if result.static_s:
        print(f"  {'':15s} of the CPU per view: static files about {result.static_s / n:.3f} s "
              f"({result.files} files), the script run and its messages about "
              f"{max(result.cpu_s - result.static_s, 0) / n:.3f} s")


def crossed(links: list[str], views: list[PageView]) -> list[str]:
    """Problems: a view whose figure is not its own link's, or that failed."""
    problems = [f"{link}: {view.problem}" for link, view in zip(links, views) if view.problem]
    problems += [f"{link}: shows {view.key!r}, not {expected_key(link)!r}"
                 for link, view in zip(links, views) if view.key != expected_key(link)]
    return problems


def verdict(links: list[str], app: Crowd, base: Crowd | None) -> int:
    """Print each check and return 0 when all pass."""
    n, problems = len(app.views), crossed(links, app.views)
    checks = {f"every session shows its own link's figure ({len(problems)} problems)":
              not problems}
    if base is not None:
        ratio = app.cpu_s / base.cpu_s
        checks[f"CPU per view {ratio:.2f} x the trivial page's (target <= {CPU_RATIO})"] = \
            ratio <= CPU_RATIO
        checks[f"memory {app.rss_mb / n:.2f} MB per session (target <= {RSS_MB})"] = \
            app.rss_mb / n <= RSS_MB
    else:
        slowest = max(v.seconds for v in app.views)
        checks[f"slowest first run {slowest:.1f} s (target < {LARGEST_S} s)"] = \
            slowest < LARGEST_S
    print("\n".join([f"    {problem}" for problem in problems[:10]]
                    + [f"  {'ok  ' if ok else 'MISS'} {check}" for check, ok in checks.items()]))
    return 0 if all(checks.values()) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, help="default 50 (10: scenario largest)")
    parser.add_argument("--scenario", choices=("class", "largest"), default="class")
    parser.add_argument("--visit", choices=("first", "return"), default="first",
                        help="first: the browser fetches the static files too (default)")
    args = parser.parse_args(argv)
    students = args.students or (50 if args.scenario == "class" else 10)
    links = class_links(students) if args.scenario == "class" else [LARGEST_LINK] * students
    load = os.getloadavg()
    base = served = None
    if args.scenario == "class":
        with tempfile.TemporaryDirectory() as folder:
            trivial, trivial_served = Path(folder) / "trivial.py", Path(folder) / "served.py"
            trivial.write_text(TRIVIAL_PAGE)
            trivial_served.write_text(TRIVIAL_SERVED)
            base, _ = run_crowd(trivial, links, args.visit)
            served, _ = run_crowd(trivial_served, links, args.visit)
    app, how = run_crowd(ROOT / "app.py", links, args.visit)
    print(f"{students} students at once, scenario {args.scenario}, {args.visit} visits"
          f"{f' (static files {how})' if how else ''}; load average {load[0]:.2f} -> "
          f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    if base is not None:
        report("trivial page", base)
        report("trivial, memory", served)
    report("convviz", app)
    if served is not None:
        print(f"  (for reference: convviz costs {app.cpu_s / served.cpu_s:.2f} x the trivial page "
              f"when both serve the static files from memory)")
    return verdict(links, app, base)


if __name__ == "__main__":
    sys.exit(main())
