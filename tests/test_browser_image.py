"""The image panel in a real browser (headless Chromium against ``streamlit run app.py``): a
PNG uploaded through the page gets its feature map at the formula's size; a decompression
bomb is refused quickly without the server's memory jumping; a truncated JPEG is refused
cleanly; a bundled image's link opens the map and the zoom. Skipped ("needs chromium") where
Chromium is missing.
"""
from __future__ import annotations

import io
import re
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from convviz import ConvSpec

TIMEOUT_MS = 30_000
START = "/?mode=conv&n=5&k=3&s=2&p=1&image=camera"
ZOOM = "iframe[title^='The zoom']"
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def patient():
    """Assertions here wait up to 20 s (a busy machine), then Playwright's 5 s again."""
    expect.set_options(timeout=20_000)
    yield
    expect.set_options(timeout=5_000)


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def open_upload(page: Page, app_url: str) -> Page:
    """The page with the image panel open on "Your own image (upload)"."""
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(app_url + START)
    expect(page.locator(".st-key-image_map")).to_contain_text("Feature map: 256 × 256")
    uploader = page.locator(".st-key-image_upload input[type='file']")
    for _ in range(3):                                # a loaded machine may drop a keypress
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
        picker = page.get_by_role("combobox", name="Image")
        picker.click()
        picker.press_sequentially("Your own")
        picker.press("Enter")
        try:
            expect(uploader).to_have_count(1, timeout=10_000)
            break
        except AssertionError:
            page.keyboard.press("Escape")
    expect(uploader).to_have_count(1)
    return page


def send(page: Page, name: str, data: bytes, mime: str) -> None:
    page.locator(".st-key-image_upload input[type='file']").set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": data}])


def server_pid(app_url: str) -> int:
    """The process of the Streamlit server listening on ``app_url``'s port."""
    port = app_url.rsplit(":", 1)[1].encode()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in b" ".join(argv) and port in argv:
            return int(proc.name)
    raise AssertionError(f"no Streamlit server process on port {port.decode()}")


def rss_bytes(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) * 1024


class PeakRss:
    """The largest resident set of ``pid`` while the block runs, sampled every 10 ms."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, rss_bytes(pid), threading.Event()

    def _watch(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_bytes(self.pid))
            time.sleep(0.01)

    def __enter__(self) -> PeakRss:
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_bytes(self.pid))


def assert_no_traceback(page: Page) -> None:
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    assert "Traceback" not in page.content()


def test_an_uploaded_png_gets_its_feature_map_at_the_formulas_size(page: Page, app_url: str):
    open_upload(page, app_url)
    pixels = np.random.default_rng(0).integers(0, 256, (40, 60, 3), dtype=np.uint8)
    send(page, "mine.png", encoded(Image.fromarray(pixels), "PNG"), "image/png")
    size = ConvSpec(input_size=(40, 60), kernel_size=3, stride=2, padding=1).output_size
    shown = page.locator(".st-key-image_map")
    expect(shown).to_contain_text(f"Feature map: {size[0]} × {size[1]}")        # 20 × 30
    expect(page.locator(".st-key-image_input")).to_contain_text("Input: 40 × 60")
    page.wait_for_function("""() => {
        const img = document.querySelector(".st-key-image_map img");
        return !!img && img.complete && img.naturalWidth > 0; }""")      # the map is drawn
    expect(page.frame_locator(ZOOM).locator("body")).to_have_attribute("data-loaded", "1")
    expect(page.get_by_text("the page's link cannot hold it")).to_be_visible()
    assert "image=" not in page.url
    assert_no_traceback(page)


def test_a_decompression_bomb_is_refused_fast_and_the_server_keeps_its_memory(
        page: Page, app_url: str):
    open_upload(page, app_url)
    page.locator(".st-key-image_rgb label").click()      # RGB: decoding would take 432 MB
    expect(page.locator(".st-key-image_rgb input")).to_be_checked()
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
    bomb = encoded(Image.new("1", (12_000, 12_000)), "PNG", optimize=True)
    assert len(bomb) < 20_000                                  # a few KB of zeros
    pid = server_pid(app_url)
    alert = page.locator("[data-testid='stAlertContentError']")
    with PeakRss(pid) as memory:
        before = rss_bytes(pid)
        start = time.perf_counter()
        send(page, "bomb.png", bomb, "image/png")
        expect(alert).to_contain_text("must have at most 40,000,000 pixels", timeout=5_000)
        took = time.perf_counter() - start
        page.wait_for_timeout(300)                             # anything still running
    assert took < 2.0, f"refused after {took:.2f} s"
    assert memory.peak - before < 200 * MB, f"server grew {(memory.peak - before) / MB:.0f} MB"
    expect(alert).to_contain_text("This image cannot be used: bomb.png must have at most "
                                  "40,000,000 pixels (40 megapixels), got 12000 x 12000 = "
                                  "144,000,000 (a decompression bomb?).")
    expect(page.locator(".st-key-image_map")).to_have_count(0)
    assert_no_traceback(page)


def test_a_truncated_jpeg_is_refused_cleanly(page: Page, app_url: str):
    open_upload(page, app_url)
    photo = np.random.default_rng(1).integers(0, 256, (200, 300, 3), dtype=np.uint8)
    cut = encoded(Image.fromarray(photo), "JPEG", quality=90)[:5_000]
    send(page, "cut.jpg", cut, "image/jpeg")
    expect(page.locator("[data-testid='stAlertContentError']")).to_contain_text(
        "cut.jpg is truncated or damaged")
    expect(page.locator(".st-key-image_map")).to_have_count(0)
    assert_no_traceback(page)


@pytest.mark.parametrize("path, size", [
    ("/?mode=conv&n=5&k=3&s=1&p=1&image=shapes&ikernel=sobel_y&at=120,80", "320 × 480"),
    ("/?mode=depthwise&n=5&k=3&s=2&p=1&cin=3&image=chelsea&rgb=1&ch=1", "150 × 226"),
])
def test_a_bundled_images_link_opens_the_map_and_the_zoom(page: Page, app_url: str, path, size):
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(app_url + path)
    expect(page.locator(".st-key-image_map")).to_contain_text(f"Feature map: {size}")
    body = page.frame_locator(ZOOM).locator("body")
    expect(body).to_have_attribute("data-loaded", "1")
    expect(body).to_have_attribute("data-frames", "9")
    assert re.search(r"y\[\d,\d\] = ", page.frame_locator(ZOOM).locator("#caption").inner_text())
    for key in re.findall(r"(image=\w+|ch=\d|at=\d+,\d+)", path):
        assert key.replace(",", "%2C") in page.url or key in page.url
    assert_no_traceback(page)
