"""The app in a real browser: headless Chromium (Playwright) against ``streamlit run app.py``.

Only what a browser shows is tested here: the animation loads, links open and update, the GIF
download arrives, a broken link shows an error without a traceback, the step controls run in
the page without asking the server, a kernel preset's weights show, and a weight typed into the
grid reaches the link and the player. The classroom tests: at 1280 x 720 the figure, its
controls, the step's arithmetic and the formula show without scrolling; at 150 % zoom no label
is cut to "…"; the player's frame shrinks after a tall figure; the still follows the player;
printing shows the figure and the formula, not the widgets; a phone keeps the formula readable.
Skipped ("needs chromium") where Chromium is missing.
"""
from __future__ import annotations

import re

import imageio.v3 as iio
import pytest
from playwright.sync_api import Page, expect

LINK = "/?mode=transposed&n=3&k=3&s=2&p=1"
PLAYER = "iframe[title='The convolution, one kernel position per step']"
TIMEOUT_MS = 20_000
SOBEL = "/?mode=conv&n=4&k=3&s=1&p=0&style=numbers&kernel=sobel_x"
CELL_PX, ROW_PX = 44, 35          # a grid column as app.py sets it; Streamlit's row height


@pytest.fixture()
def sent() -> list:
    """Every message the page sends the server over its websocket (reruns, widget changes)."""
    return []


@pytest.fixture()
def opened(page: Page, app_url: str, sent: list):
    """Open ``app_url + path`` and wait for the app to finish its run."""
    page.set_default_timeout(TIMEOUT_MS)
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    page.on("request", lambda request: sent.append(request.url)
            if "/_stcore/" in request.url and "health" not in request.url else None)

    def open_(path: str) -> Page:
        page.goto(app_url + path)
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
        return page
    return open_


def set_number(page: Page, key: str, value: int) -> None:
    """Type ``value`` into the number input ``key`` and commit it, as a user does."""
    field = page.locator(f".st-key-{key} input")
    field.fill(str(value))
    field.press("Enter")


def player_body(page: Page):
    return page.frame_locator(PLAYER).locator("body")


def test_a_link_shows_output_size_and_the_animation(opened):
    page = opened(LINK)
    expect(page.locator(".st-key-formula [data-testid='stMetricValue']")).to_have_text("5 × 5")
    expect(page.locator(".st-key-formula .katex-html").last).to_contain_text("=5")
    body = player_body(page)
    expect(body).to_have_attribute("data-loaded", "1")
    expect(body).to_have_attribute("data-frames", "25")
    expect(body).to_have_attribute("data-key", LINK.lstrip("/?"))
    drawn = page.frame_locator(PLAYER).locator("#view").evaluate(
        "c => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some(v => v < 200)")
    assert drawn                                                 # not a blank canvas


def test_changing_the_stride_updates_formula_image_and_link(opened):
    page = opened(LINK)
    expect(player_body(page)).to_have_attribute("data-loaded", "1")
    set_number(page, "stride", 3)
    expect(page.locator(".st-key-formula [data-testid='stMetricValue']")).to_have_text("7 × 7")
    expect(page.locator(".st-key-formula .katex-html").last).to_contain_text("=7")
    body = player_body(page)
    expect(body).to_have_attribute("data-key", "mode=transposed&n=3&k=3&s=3&p=1")
    expect(body).to_have_attribute("data-frames", "49")
    expect(body).to_have_attribute("data-loaded", "1")
    expect(page).to_have_url(re.compile(r"\?mode=transposed&n=3&k=3&s=3&p=1$"))


def test_the_gif_download_decodes_to_25_frames(opened):
    page = opened(LINK)
    with page.expect_download() as download:
        page.locator(".st-key-dl_gif button").first.click()
    assert download.value.suggested_filename == "padding_strides_transposed.gif"
    frames = iio.imread(download.value.path(), index=None, extension=".gif")
    assert frames.shape[0] == 25


def test_a_link_that_cannot_work_shows_an_error_not_a_traceback(opened):
    page = opened("/?mode=conv&n=3&k=5")
    alert = page.locator("[data-testid='stAlertContentError']")
    expect(alert).to_contain_text(re.compile("kernel_size must be (<=|≤) 3"))  # Markdown: ≤
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    assert "Traceback" not in page.content()
    expect(page.locator(".st-key-formula [data-testid='stMetricValue']")).to_have_text("3 × 3")


def test_step_controls_run_in_the_page_without_the_server(opened, sent):
    page = opened(LINK)
    body, player = player_body(page), page.frame_locator(PLAYER)
    expect(body).to_have_attribute("data-ready", "1")
    if player.locator("#play[aria-label='Pause']").count():
        player.locator("#play").click()                          # pause the autoplay
    page.evaluate("window.__notReloaded = true")
    before = len(sent)
    start = int(body.get_attribute("data-step"))
    player.locator("#next").click()
    following = (start + 1) % 25
    expect(body).to_have_attribute("data-step", str(following))
    assert player.locator("#caption").inner_text().startswith(
        f"y[{following // 5},{following % 5}] = ")               # the step's real numbers
    player.locator("#prev").click()
    expect(body).to_have_attribute("data-step", str(start))
    player.locator("#scrub").fill("12")
    expect(body).to_have_attribute("data-step", "12")
    player.locator("#speed").select_option("4")
    player.locator("#play").click()
    expect(body).not_to_have_attribute("data-step", "12")       # playing on its own
    player.locator("#play").click()
    assert page.evaluate("window.__notReloaded") is True
    # nothing but, once the paused player rests, the still's step (ui/follow.py)
    others = [m for m in sent[before:] if b"follow" not in _bytes(m)]
    assert others == [] and len(sent[before:]) <= 3                # no rerun, no request


def test_a_control_change_is_what_reaches_the_server(opened, sent):
    """The check above can fail: changing a control does send to the server."""
    page = opened(LINK)
    expect(player_body(page)).to_have_attribute("data-ready", "1")
    before = len(sent)
    set_number(page, "stride", 3)
    expect(page.locator(".st-key-formula [data-testid='stMetricValue']")).to_have_text("7 × 7")
    assert len(sent) > before


def test_mp4_and_the_stills_for_notes_download(opened):
    page = opened(LINK)
    expected = {"dl_mp4": (".mp4", b"ftyp", 4), "dl_svg": ("_step1.svg", b"<svg", None),
                "dl_pdf": ("_step1.pdf", b"%PDF", 0), "dl_png": ("_step1.png", b"\x89PNG", 0)}
    for key, (suffix, magic, at) in expected.items():
        with page.expect_download(timeout=60_000) as download:
            page.locator(f".st-key-{key} button").first.click()
        assert download.value.suggested_filename == f"padding_strides_transposed{suffix}"
        data = download.value.path().read_bytes()
        assert (magic in data[:400]) if at is None else data[at:at + len(magic)] == magic, key


def test_the_page_loads_nothing_from_outside(page: Page, app_url: str):
    """Classrooms may be offline: no fonts, icons or statistics from other hosts."""
    outside = []
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith((app_url, "data:", "blob:", "about:")) else None)
    page.goto(app_url + LINK)
    expect(player_body(page)).to_have_attribute("data-ready", "1", timeout=TIMEOUT_MS)
    page.wait_for_timeout(500)
    assert outside == []


def test_a_kernel_preset_link_shows_its_weights(opened):
    page = opened(SOBEL)
    expect(page.get_by_role("combobox", name="Kernel")).to_have_value("Sobel x")
    weights = page.locator(".st-key-grids table.grid").nth(1)                # x, w, y
    expect(weights).to_be_visible()                        # the numbers style opens the panel
    assert weights.inner_text().split() == ["w", "−1", "0", "1", "−2", "0", "2", "−1", "0", "1"]
    body = player_body(page)
    expect(body).to_have_attribute("data-key", SOBEL.lstrip("/?"))
    assert "·(−2)" in page.frame_locator(PLAYER).locator("#caption").inner_text()


def test_a_weight_typed_into_the_grid_reaches_the_link_and_the_player(opened):
    page = opened("/?mode=conv&n=4&k=3&s=1&p=0&style=numbers&kernel=1,0,0;0,1,0;0,0,1")
    expect(player_body(page)).to_have_attribute("data-ready", "1")
    grid = page.locator(".st-key-grids [data-testid='stDataFrame'] canvas").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.dblclick(box["x"] + 1.5 * CELL_PX, box["y"] + 1.5 * ROW_PX)   # row 0, column 1
    cell = page.locator("input.gdg-input")                     # the grid's cell editor
    cell.fill("7")
    cell.press("Enter")
    key = "mode=conv&n=4&k=3&s=1&p=0&style=numbers&kernel=1,7,0;0,1,0;0,0,1"
    expect(player_body(page)).to_have_attribute("data-key", key)
    expect(page).to_have_url(re.compile(r"kernel=1%2C7%2C0%3B0%2C1%2C0%3B0%2C0%2C1$"))
    assert "·7" in page.frame_locator(PLAYER).locator("#caption").inner_text()


def test_a_link_longer_than_convviz_writes_shows_the_limit(opened):
    """Issue #17 row 11: an over-long link got the server's bare 'HTTP ERROR 400'. One the
    server still takes (its own limit is about 16 KB for the whole request) now opens a page
    that states convviz's limit; docs/deploy.md covers what a proxy shows beyond that."""
    page = opened("/?n=4&values=" + "1," * 6500)
    expect(page.get_by_text("convviz links hold at most 12,000")).to_be_visible()
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    body = player_body(page)
    expect(body).to_have_attribute("data-loaded", "1")


def _bytes(message) -> bytes:
    return message if isinstance(message, bytes) else str(message).encode()


# ---- the classroom: projector, zoom, print, phone, notes ------------------------------------
PROJECTOR = {"width": 1280, "height": 720}
ZOOM_150 = {"width": 853, "height": 480}                 # a 1280 x 720 window at 150 % zoom
TRANSPOSED_TALL = "/?mode=transposed&n=8&k=3&s=2&p=1"


@pytest.fixture()
def sized(browser, app_url: str):
    """Open ``app_url + path`` at ``viewport`` (CSS pixels) and ``scale``; wait for the
    player."""
    contexts = []

    def open_(path: str, viewport: dict, scale: float = 1.0) -> Page:
        context = browser.new_context(viewport=viewport, device_scale_factor=scale)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(app_url + path)
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
        expect(player_body(page)).to_have_attribute("data-ready", "1", timeout=TIMEOUT_MS)
        page.wait_for_timeout(400)                          # the player sizes itself
        return page
    yield open_
    for context in contexts:
        context.close()


def _within(box: dict | None, height: int) -> bool:
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height + 0.5


@pytest.mark.parametrize("path", ["/", LINK, "/?mode=separable&n=5&k=3&s=1&p=0&cin=3&cout=4"])
def test_a_projector_shows_figure_controls_arithmetic_and_formula_at_once(sized, path):
    page = sized(path, PROJECTOR)
    player = page.frame_locator(PLAYER)
    parts = {"figure": player.locator("#view"), "play": player.locator("#play"),
             "next": player.locator("#next"), "scrubber": player.locator("#scrub"),
             "arithmetic": player.locator(".caption"),
             "output size": page.locator(".st-key-formula [data-testid='stMetricValue']"),
             "formula": page.locator(".st-key-formula .katex-display").last}
    for name, part in parts.items():
        assert _within(part.bounding_box(), PROJECTOR["height"]), name
    assert player.locator("#view").bounding_box()["height"] >= 300      # not a thumbnail


def test_at_150_percent_no_label_is_cut_and_every_icon_says_what_it_does(sized):
    page = sized(LINK, ZOOM_150, 1.5)
    cut = page.evaluate("""() => [...document.querySelectorAll(
        '[data-testid="stWidgetLabel"] p, button p, button, [data-testid="stMetricValue"] div,'
        + ' [data-testid="stMarkdownContainer"] p, .chip')]
      .filter(el => el.getBoundingClientRect().width > 0 && !el.closest('.katex'))
      .filter(el => el.innerText.trim().endsWith('…') ||
                    (el.scrollWidth > el.clientWidth + 1 &&
                     getComputedStyle(el).textOverflow === 'ellipsis'))
      .map(el => el.innerText)""")
    assert cut == []
    unnamed = page.evaluate("""() => [...document.querySelectorAll('button')]
      .filter(b => b.getBoundingClientRect().width > 0)
      .filter(b => !(b.innerText.trim() || b.title || b.getAttribute('aria-label')))
      .map(b => b.outerHTML.slice(0, 80))""")
    named = page.frame_locator(PLAYER).locator("button:not([title])")
    assert unnamed == [] and named.count() == 0
    box = page.frame_locator(PLAYER).locator("#view").bounding_box()
    assert max(box["width"], box["height"]) >= 330                  # not a thumbnail


def test_the_players_frame_shrinks_after_a_tall_figure(sized):
    page = sized(TRANSPOSED_TALL, PROJECTOR)
    frame, body = page.locator(PLAYER), player_body(page)
    tall = frame.bounding_box()["height"]
    page.locator("[data-testid='stSidebar']").get_by_role("radio", name="Numbers").click()
    expect(body).to_have_attribute("data-key", re.compile(r"style=numbers"))
    expect(body).to_have_attribute("data-ready", "1")
    page.wait_for_timeout(800)
    content = int(body.get_attribute("data-height"))             # the player's own height
    height = frame.bounding_box()["height"]
    assert abs(height - content) <= 4 and height < tall - 40


def test_the_still_for_notes_follows_the_paused_player_and_back(sized):
    page = sized("/", PROJECTOR)
    player, body = page.frame_locator(PLAYER), player_body(page)
    if player.locator("#play[aria-label='Pause']").count():
        player.locator("#play").click()
    player.locator("#scrub").fill("0")
    player.locator("#next").click()
    player.locator("#next").click()                              # step 3, resting
    picker = page.locator(".st-key-still_step input")
    expect(picker).to_have_value("Step 3 of 9: y[0,2]", timeout=8000)
    with page.expect_download() as download:
        page.locator(".st-key-dl_svg button").first.click()
    assert download.value.suggested_filename == "padding_strides_step3.svg"
    svg = download.value.path().read_text()
    assert "Step 3 of 9" in svg and "<text" in svg               # annotated, text as text
    page.locator(".st-key-still_step").get_by_role("combobox").click()
    page.get_by_role("option", name="Step 7 of 9: y[2,0]").click()
    expect(body).to_have_attribute("data-step", "6")             # the player shows it


def test_printing_shows_the_figure_and_the_formula_not_the_widgets(sized):
    page = sized(LINK, PROJECTOR)
    page.emulate_media(media="print")
    expect(page.locator("[data-testid='stSidebar']")).to_be_hidden()
    expect(page.locator(".st-key-downloads")).to_be_hidden()
    expect(page.locator(".st-key-torch")).to_be_hidden()
    expect(page.locator(".st-key-formula .katex-display").last).to_be_visible()
    expect(page.locator(PLAYER)).to_be_visible()
    pdf = page.pdf(format="A4")
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") <= 2


def test_a_phone_keeps_the_formula_readable(sized):
    page = sized(LINK, {"width": 390, "height": 844}, 3)
    text = page.locator(".formula-text")
    expect(text).to_be_visible()
    expect(text).to_contain_text("m = (3−1)·2 − 2·1 + 1·(3−1) + 0 + 1 = 5")
    assert text.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    expect(page.locator(".st-key-formula .katex-display").first).to_be_hidden()


def test_a_convention_link_draws_the_uneven_padding_and_the_table(opened):
    """TensorFlow's 'same' on n=6, k=3, s=2: one padding cell at the bottom and the right
    only, so the drawn grid is 7 x 7 (PyTorch's padding=1 would draw 8 x 8); the
    differences table marks SAME_LOWER's pads."""
    from convviz import ConvSpec, View, views

    query = "mode=conv&n=6&k=3&s=2&p=same&conv=tensorflow"
    page = opened("/?" + query)
    body = player_body(page)
    expect(body).to_have_attribute("data-loaded", "1")
    expect(body).to_have_attribute("data-frames", "9")
    expect(body).to_have_attribute("data-key", query)
    height, width = views.figure(View(ConvSpec.from_query(query))).size
    even = views.figure(View(ConvSpec(input_size=6, stride=2, padding=1))).size
    canvas = page.frame_locator(PLAYER).locator("#view")
    size = canvas.evaluate("c => [c.height, c.width]")
    assert size == [height, width] and size != list(even)
    shown = canvas.evaluate("c => Array.from(c.getContext('2d').getImageData("
                            "0, 0, c.width, c.height).data)")
    expected = views.frame(View(ConvSpec.from_query(query)), 0)        # (H, W, 3)
    pixels = [shown[i:i + 3] for i in range(0, len(shown), 4)]
    assert pixels == expected.reshape(-1, 3).tolist()                   # the very frame
    table = page.locator(".st-key-differences table.conventions")
    expect(table).to_be_visible()
    lower = table.locator("tr", has_text="SAME_LOWER")
    expect(lower.locator("td.differs")).to_have_count(4)
    expect(table.locator("tr", has_text="PyTorch")).to_contain_text("refused")


# ---- the figure's cells, presenter keys and the page that stands alone (issue 11) ----------
ISSUE = "/?mode=conv&n=5&k=3&s=2&p=1"
PAUSED = "try { sessionStorage.setItem('convviz.paused', '1'); } catch (e) {}"


def paused_player(page: Page, opened, path: str):
    """The app at ``path`` with its player paused (as a lecturer leaves it), ready."""
    page.add_init_script(PAUSED)
    opened(path)
    expect(player_body(page)).to_have_attribute("data-ready", "1")
    expect(page.frame_locator(PLAYER).locator("#play")).to_have_attribute("aria-label", "Play")
    return page.frame_locator(PLAYER)


def test_the_apps_player_points_at_cells(page: Page, opened, sent):
    player = paused_player(page, opened, ISSUE)
    before = len(sent)
    player.get_by_role("button", name="x[1,1]", exact=True).focus()
    expect(player.locator("#cell")).to_have_text("x[1,1] feeds y[0,0], y[0,1], y[1,0], y[1,1]")
    expect(player.locator("#cells .lit")).to_have_count(4)
    player.get_by_role("button", name="y[1,1]", exact=True).click()
    expect(player.locator("#label")).to_have_text("Step 5 of 9")
    expect(player.locator("#caption")).to_have_text(re.compile(r"^y\[1,1\] = "))
    assert sent[before:] == []                                   # all in the browser


def test_page_down_on_the_app_steps_the_player_without_a_click(page: Page, opened):
    paused_player(page, opened, ISSUE)
    body = player_body(page)
    assert page.evaluate("document.activeElement === document.body")    # nothing clicked
    page.keyboard.press("PageDown")
    expect(body).to_have_attribute("data-step", "1")
    page.keyboard.press("PageDown")
    page.keyboard.press("PageUp")
    expect(body).to_have_attribute("data-step", "1")
    set_number(page, "stride", 1)
    expect(player_body(page)).to_have_attribute("data-frames", "25")   # the new figure, ...
    field = page.locator(".st-key-stride input")
    field.focus()                                                 # ... and a key typed in a
    field.press("PageDown")                                       # field does not step it
    page.keyboard.press("PageDown")
    expect(field).to_be_focused()
    expect(player_body(page)).to_have_attribute("data-step", "0")


def test_the_standalone_page_download_plays_offline(page: Page, opened, tmp_path):
    opened(LINK)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Interactive page (HTML)").click()
    assert download.value.suggested_filename == "padding_strides_transposed.html"
    path = tmp_path / "page.html"
    download.value.save_as(path)
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.route("**/*", lambda route: route.continue_() if route.request.url == path.as_uri()
               else route.abort())
    page.goto(path.as_uri())
    expect(page.locator("body")).to_have_attribute("data-ready", "1")
    expect(page.locator("body")).to_have_attribute("data-frames", "25")
    page.get_by_role("button", name="y[4,4]", exact=True).click()
    expect(page.locator("#label")).to_have_text("Step 25 of 25")
    assert set(asked) == {path.as_uri()}


@pytest.mark.parametrize("path, size, frames", [
    ("/?mode=maxpool&n=4&k=2", "2 × 2", 4),
    ("/?mode=avgpool&n=5&k=2&ceil=1", "3 × 3", 9),
    ("/?mode=conv1d&n=8&k=3", "6", 6),
])
def test_pooling_and_1d_links_show_their_size_and_animation(opened, path, size, frames):
    page = opened(path)
    expect(page.locator(".st-key-formula [data-testid='stMetricValue']")).to_have_text(size)
    body = player_body(page)
    expect(body).to_have_attribute("data-loaded", "1")
    expect(body).to_have_attribute("data-frames", str(frames))
    drawn = page.frame_locator(PLAYER).locator("#view").evaluate(
        "c => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some(v => v < 200)")
    assert drawn
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
