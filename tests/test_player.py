"""The HTML step player: its frame packing (decoded here as the page decodes it) and, in a real
browser, that every step paints exactly the rendered frame and the controls work."""
from __future__ import annotations

import base64
import io
import json
import re
import zlib

import numpy as np
import pytest
from PIL import Image

from convviz import ConvSpec, ConvVizError, player
from convviz.figures import ClassicFigure

PALETTE = np.array([[255, 255, 255], [38, 139, 210], [0, 0, 0]], np.uint8)


def _unpack(patches: bytes, count: int, size: int) -> list[np.ndarray]:
    """Every frame's palette indices, rebuilt the way convviz/player.html rebuilds them."""
    raw, codes = zlib.decompress(patches), np.uint8
    counts = np.frombuffer(raw, np.uint32, count)
    total = int(counts.sum())
    runs = np.frombuffer(raw, np.uint32, 2 * total, 4 * count).reshape(-1, 2)   # (gap, length)
    at = 4 * (count + 2 * total)
    frame = np.frombuffer(raw, codes, size, at).copy()
    changes = np.frombuffer(raw, codes, int(runs[:, 1].sum()), at + size * frame.itemsize)
    frames, run, changed = [frame.copy()], 0, 0
    for n in counts[1:].tolist():
        end = 0
        for gap, length in runs[run:run + n].tolist():
            start, end = end + gap, end + gap + length
            frame[start:end] ^= changes[changed:changed + length]
            changed += length
        frames.append(frame.copy())
        run += n
    return frames


def _frames(count: int = 5, shape=(7, 9)) -> list[np.ndarray]:
    rng = np.random.default_rng(0)
    base = rng.integers(0, 3, shape, dtype=np.uint8)
    frames = [base]
    for _ in range(count - 1):
        frame = base.copy()
        frame[rng.integers(0, shape[0]), :] = rng.integers(0, 3)
        frames.append(frame)
    return frames


def test_patches_rebuild_every_frame():
    frames = _frames()
    size, patches, count = player.encode_patches(iter(frames))
    assert count == len(frames) and size == frames[0].shape
    for frame, rebuilt in zip(frames, _unpack(patches, count, frames[0].size), strict=True):
        assert np.array_equal(rebuilt, frame.ravel())


def test_the_colour_table_holds_opaque_little_endian_rgba_words():
    words = player.rgba_words(PALETTE)
    assert words.dtype == np.uint32 and words[1] == 0xFF000000 | 38 | 139 << 8 | 210 << 16


def test_page_holds_the_frames_captions_and_key():
    page = player.html(_frames(3), ["a", "b </script><b>", "c"], palette=PALETTE,
                       key="mode=conv&n=5", name="x")
    assert 'data-frames="3"' in page and 'data-key="mode=conv&amp;n=5"' in page
    assert page.count("</script>") == 1                       # a caption cannot close the script
    data = json.loads(re.search(r"const D = (\{.*?\});\n", page).group(1).replace("<\\/", "</"))
    assert data["captions"][1] == "b </script><b>" and data["n"] == 3
    assert base64.b64decode(data["palette"]) == PALETTE.tobytes()     # RGB, 3 bytes a colour
    rebuilt = _unpack(base64.b64decode(data["patches"]), 3, 7 * 9)
    assert all(np.array_equal(a, b.ravel()) for a, b in zip(rebuilt, _frames(3), strict=True))
    assert 'width="9" height="7"' in page


@pytest.mark.parametrize("call, message", [
    (lambda: player.html([], [], palette=PALETTE), "at least one frame"),
    (lambda: player.html(_frames(2), ["one"], palette=PALETTE), "one string per frame"),
    (lambda: player.html([np.zeros((2, 2, 3), np.uint8)], ["a"], palette=PALETTE), "(H, W)"),
    (lambda: player.html([np.zeros((2, 2), np.int64)], ["a"], palette=PALETTE), "uint8 indices"),
    (lambda: player.html([np.zeros((2, 2), np.uint8), np.zeros((3, 2), np.uint8)], ["a", "b"],
                         palette=PALETTE), "one size"),
    (lambda: player.html(_frames(1), ["a"], palette=PALETTE, duration_ms=0), "duration_ms"),
])
def test_refusals_are_one_line_errors(call, message):
    with pytest.raises(ConvVizError, match=re.escape(message)):
        call()


# ---- in a real browser ---------------------------------------------------------------------
SPEC = ConvSpec(mode="transposed", input_size=2, kernel_size=3, stride=2, padding=1)


@pytest.fixture()
def player_page(page, tmp_path):
    """The player of SPEC (9 steps, 40 ms each, paused) open in Chromium."""
    fig = ClassicFigure(SPEC)
    html = player.html(fig.frames(), [f"caption {i}" for i in range(fig.frame_count)],
                       palette=fig.palette, duration_ms=40, key="spec", autoplay=False)
    path = tmp_path / "player.html"
    path.write_text(html, encoding="utf-8")
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready='1']", timeout=10_000)
    return page


def _canvas(page) -> np.ndarray:
    data_url = page.evaluate("document.getElementById('view').toDataURL('image/png')")
    png = base64.b64decode(data_url.split(",", 1)[1])
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def test_every_step_paints_the_rendered_frame(player_page):
    count = ClassicFigure.count(SPEC)
    for index in range(count):
        assert player_page.inner_text("#count") == f"{index + 1} / {count}"
        assert player_page.inner_text("#caption") == f"caption {index}"
        assert np.array_equal(_canvas(player_page), ClassicFigure(SPEC).rgb(index)), index
        player_page.click("#next")
    assert player_page.get_attribute("body", "data-step") == "0"      # wraps around


def test_controls_step_scrub_play_and_save(player_page):
    page = player_page
    page.click("#prev")
    assert page.get_attribute("body", "data-step") == "8"
    page.locator("#scrub").fill("4")
    assert page.inner_text("#caption") == "caption 4"
    page.keyboard.press("Home")
    assert page.get_attribute("body", "data-step") == "0"
    page.keyboard.press("ArrowRight")
    assert page.get_attribute("body", "data-step") == "1"
    page.select_option("#speed", "4")
    page.click("#play")                                    # 40 ms / 4 a step: it moves on
    page.wait_for_function("document.body.dataset.step !== '1'", timeout=5_000)
    page.click("#play")
    page.click("#next")
    step = int(page.get_attribute("body", "data-step"))
    with page.expect_download() as download:
        page.click("#png")
    assert download.value.suggested_filename == f"convviz-step-{step + 1}.png"
    saved = np.asarray(Image.open(download.value.path()).convert("RGB"))
    assert np.array_equal(saved, ClassicFigure(SPEC).rgb(step))


# ---- the cells to point at -------------------------------------------------------------------
def test_the_overlay_names_each_cell_and_escapes_its_line():
    from convviz.figures.base import Target

    targets = [Target("x[0,0]", ((0, 0), (2, 0), (2, 1.25), (0, 1)), None, ("y[0,0]",),
                      'x[0,0] feeds "y" & more'),
               Target("y[0,0]", ((3, 0), (4, 0), (4, 1), (3, 1)), 0, ("x[0,0]",), "y[0,0]")]
    svg = player.overlay(targets)
    assert svg.count("<polygon") == 2 and 'points="0,0 2,0 2,1.2 0,1"' in svg
    assert 'data-line="x[0,0] feeds &quot;y&quot; &amp; more"' in svg
    assert 'aria-label="y[0,0]" data-step="0"' in svg and 'aria-label="x[0,0]" data-links' in svg
    page = player.html(_frames(1), ["a"], palette=PALETTE, targets=targets)
    assert svg in page and player.HINT in page and '<p id="cell" aria-live="polite" >' in page
    plain = player.html(_frames(1), ["a"], palette=PALETTE)
    assert "<polygon" not in plain and '<p id="cell" aria-live="polite" hidden>' in plain


def test_a_page_around_the_player_and_keys_from_the_embedding_page():
    text = player.Page(title="T <1>", alt="A & B", head="<header>H</header>", foot="<footer/>")
    page = player.html(_frames(2), ["a", "b"], palette=PALETTE, page=text, embedded=True)
    assert "<title>T &lt;1&gt;</title>" in page and 'aria-label="A &amp; B"' in page
    assert '<body class="page"' in page and "<header>H</header>" in page
    data = json.loads(re.search(r"const D = (\{.*?\});\n", page).group(1))
    assert data["embedded"] is True
    assert '<body class=""' in player.html(_frames(1), ["a"], palette=PALETTE)
