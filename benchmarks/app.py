"""Time the app's browser round trip: change a control, until the new figure is on screen.

    python benchmarks/app.py [--rounds 1] [--chromium /usr/bin/chromium]

Starts ``streamlit run app.py`` on a free port and drives it with headless Chromium
(Playwright). Each change types a new value into one number input and presses Enter, as a
user does; it is timed until the player in the page shows the new configuration's first frame
(its ``data-key`` is the new query string and its image is drawn), and, separately, until every
step is unpacked and the step controls work. Every configuration is new to the server (no
cache hits) and has at most 100 steps. Target: p95 of "shown" <= 0.5 s.

The image panel: on each bundled image, grayscale and RGB, the panel's kernel is changed
through every preset (each combination new to the server), timed from the choice until the
new feature map's image has loaded in the page. Target: p95 <= 1 s. ``--image-only`` times
only these.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from socket import socket

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from convviz import ConvSpec  # noqa: E402

TARGET_S = 0.5
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PLAYER = "iframe[title='The convolution, one kernel position per step']"
START = {"conv": {"mode": "conv", "input_size": 4, "kernel_size": 3, "stride": 1, "padding": 1},
         "transposed": {"mode": "transposed", "input_size": 3, "kernel_size": 3, "stride": 2,
                        "padding": 1}}
CHANGES = {  # per starting link, the controls changed one after another (widget key, value)
    "conv": [("input_size", n) for n in range(5, 11)] + [
        ("kernel_size", 5), ("padding", 2), ("kernel_size", 7), ("stride", 2), ("dilation", 2),
        ("kernel_size", 3), ("stride", 1), ("padding", 0), ("input_size", 9), ("dilation", 1),
        ("kernel_size", 2), ("padding", 1), ("stride", 3), ("input_size", 8),
        ("kernel_size", 4), ("stride", 2), ("padding", 2), ("input_size", 10)],
    "transposed": [("stride", 3), ("input_size", 4), ("padding", 2), ("kernel_size", 4),
                   ("output_padding", 1), ("stride", 2), ("input_size", 5)],
}
SHOWN = """([key, ready]) => {
  const frame = document.querySelector("PLAYER");
  const body = frame && frame.contentDocument && frame.contentDocument.body;
  return !!body && body.dataset.key === key && body.dataset[ready ? "ready" : "loaded"] === "1";
}""".replace("PLAYER", PLAYER)


def start_server() -> tuple[subprocess.Popen, str]:
    with socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tempfile.TemporaryFile()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return server, url
        except OSError:
            time.sleep(0.2)
    log.seek(0)
    server.kill()
    sys.exit(f"the Streamlit server did not start:\n{log.read().decode(errors='replace')}")


def run_changes(page, url: str, start: dict, changes: list,
                verbose: bool = False) -> list[tuple[float, float, int]]:
    """(seconds to shown, seconds to ready, steps) of each change, from ``start``."""
    fields = dict(start)
    page.goto(f"{url}/?{ConvSpec(**fields).to_query()}")
    page.wait_for_function(SHOWN, arg=[ConvSpec(**fields).to_query(), True], timeout=60_000)
    results = []
    for key, value in changes:
        fields[key] = value
        spec = ConvSpec(**fields)
        steps = spec.output_size[0] * spec.output_size[1]
        assert steps <= 100, (spec, steps)
        field = page.locator(f".st-key-{key} input")
        field.fill(str(value))
        begin = time.perf_counter()
        field.press("Enter")
        page.wait_for_function(SHOWN, arg=[spec.to_query(), False], polling="raf",
                               timeout=30_000)
        shown = time.perf_counter() - begin
        page.wait_for_function(SHOWN, arg=[spec.to_query(), True], polling="raf",
                               timeout=30_000)
        results.append((shown, time.perf_counter() - begin, steps))
        if verbose:
            print(f"    {shown:.3f} s  {steps:3d} steps  {spec.to_query()}")
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
    return results


IMAGE_TARGET_S = 1.0
IMAGE_KERNELS = ["Sobel y", "Laplacian", "Sharpen", "Gaussian", "Box blur", "Identity",
                 "Sobel x"]
"""The image panel's kernel presets by their names on the page, in the order they are set."""
MAP_IMAGE = ".st-key-image_map img"
NEW_MAP = """(old) => {
  const img = document.querySelector("MAP");
  return !!img && img.src !== old && img.complete && img.naturalWidth > 0;
}""".replace("MAP", MAP_IMAGE)


def run_image_changes(page, url: str, verbose: bool = False) -> list[float]:
    """Seconds from each kernel change of the image panel until its new map is shown."""
    results = []
    for rgb in ("", "&rgb=1"):
        for image in ("camera", "chelsea", "shapes"):
            page.goto(f"{url}/?mode=conv&n=5&k=3&s=1&p=1&image={image}{rgb}")
            page.wait_for_selector(MAP_IMAGE, timeout=60_000)
            page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
            for kernel in IMAGE_KERNELS[:-1] if image == "camera" and not rgb else IMAGE_KERNELS:
                old = page.locator(MAP_IMAGE).get_attribute("src")
                picker = page.locator(".st-key-image_kernel").get_by_role("combobox")
                picker.click()
                picker.press_sequentially(kernel)
                begin = time.perf_counter()
                picker.press("Enter")
                page.wait_for_function(NEW_MAP, arg=old, polling="raf", timeout=30_000)
                results.append(time.perf_counter() - begin)
                if verbose:
                    print(f"    {results[-1]:.3f} s  {image}{rgb} -> {kernel}")
                page.wait_for_selector(
                    "[data-testid='stApp'][data-test-script-state='notRunning']")
    return results


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1,
                        help="repeat the changes on a fresh server this many times")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--verbose", action="store_true", help="print every change's time")
    parser.add_argument("--image-only", action="store_true",
                        help="time only the image panel's kernel changes")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    results, image_results = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=ARGS)
        for _ in range(args.rounds):
            server, url = start_server()
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                for name, changes in {} if args.image_only else CHANGES.items():
                    results += run_changes(page, url, START[name], changes, args.verbose)
                image_results += run_image_changes(page, url, args.verbose)
                page.close()
            finally:
                server.terminate()
                server.wait(timeout=10)
        browser.close()
    image_verdict = report_images(image_results, load_before)
    if args.image_only:
        return 0 if image_verdict else 1
    shown, ready = [r[0] for r in results], [r[1] for r in results]
    print(f"{len(results)} control changes, each to a configuration new to the server "
          f"({min(r[2] for r in results)}..{max(r[2] for r in results)} steps); load average "
          f"{load_before:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for label, values in (("new figure shown", shown), ("all steps playable", ready)):
        print(f"  {label:20s} median {statistics.median(values):.3f} s   "
              f"p95 {p95(values):.3f} s   max {max(values):.3f} s")
    slowest = max(results)
    print(f"  slowest change: {slowest[0]:.3f} s for {slowest[2]} steps")
    verdict = p95(shown) <= TARGET_S
    print(f"target p95 <= {TARGET_S} s: {'met' if verdict else 'MISSED'}")
    return 0 if verdict and image_verdict else 1


def report_images(seconds: list[float], load_before: float) -> bool:
    """Print the image panel's times; whether they meet IMAGE_TARGET_S at p95."""
    print(f"{len(seconds)} image-panel kernel changes (512 x 512 and 300 x 451 pictures, "
          f"grayscale and RGB), each new to the server; load average {load_before:.1f} -> "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"  new feature map shown median {statistics.median(seconds):.3f} s   "
          f"p95 {p95(seconds):.3f} s   max {max(seconds):.3f} s")
    verdict = p95(seconds) <= IMAGE_TARGET_S
    print(f"image panel target p95 <= {IMAGE_TARGET_S} s: {'met' if verdict else 'MISSED'}")
    return verdict


if __name__ == "__main__":
    sys.exit(main())
