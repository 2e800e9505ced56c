"""The stack page in a real browser: headless Chromium (Playwright) against ``streamlit run
app.py``, at ``/stack``. The player loads and points at cells in the page, typed layers reach the
link, the GIF download arrives, pasted code is refused without a traceback, and the top
navigation leads here. Skipped ("needs chromium") where Chromium is missing."""
from __future__ import annotations

import re

import imageio.v3 as iio
from playwright.sync_api import Page, expect

from convviz.stack_views import ALT

PLAYER = f"iframe[title='{ALT}']"
TIMEOUT_MS = 20_000
LINK = "/stack?stack=conv+k3+s2+p1%3B+conv+k3+s2+p1&n=16&cell=1,1"
PAUSED = "try { sessionStorage.setItem('convviz.paused', '1'); } catch (e) {}"


def open_page(page: Page, url: str) -> Page:
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
    return page


def test_a_link_shows_the_table_and_the_player(page: Page, app_url: str):
    open_page(page, app_url + LINK)
    body = page.frame_locator(PLAYER).locator("body")
    expect(body).to_have_attribute("data-loaded", "1")
    expect(body).to_have_attribute("data-frames", "4")
    expect(body).to_have_attribute("data-key", re.compile(r"^stack=conv k3 s2 p1; conv k3 s2 p1"
                                                          r"&n=16&cell=1,1$"))
    drawn = page.frame_locator(PLAYER).locator("#view").evaluate(
        "c => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some(v => v < 200)")
    assert drawn
    expect(page.get_by_text("y[1,1] depends on x[1:8, 1:8]: 49 cells (field 7 × 7)")) \
        .to_be_visible()
    expect(page.get_by_test_id("stDataFrame")).to_be_visible()
    expect(page.get_by_text("20 parameters · 720 multiply-adds for one 16 × 16 input")) \
        .to_be_visible()


def test_pointing_at_an_output_cell_lights_its_field_without_the_server(page: Page,
                                                                      app_url: str):
    page.add_init_script(PAUSED)
    open_page(page, app_url + LINK)
    player = page.frame_locator(PLAYER)
    expect(player.locator("body")).to_have_attribute("data-ready", "1")
    player.get_by_role("button", name="y[2,2]", exact=True).click()
    expect(player.locator("#cell")).to_have_text(
        "y[2,2] depends on h1[3,3], h1[3,4], h1[3,5], h1[4,3], h1[4,4], h1[4,5], h1[5,3], "
        "h1[5,4], h1[5,5]; 49 cells of x: rows 5–11, columns 5–11")
    expect(player.locator("#cells .lit")).to_have_count(9 + 49)
    expect(player.locator("#label")).to_have_text("Step 3 of 4")     # y[2,2] is in the tour


def test_typed_layers_reach_the_link_and_the_player(page: Page, app_url: str):
    open_page(page, app_url + LINK)
    box = page.locator(".st-key-stack_text textarea")
    box.fill("conv k3 s2 p1; maxpool k2")
    box.press("Control+Enter")
    expect(page).to_have_url(re.compile(r"stack=conv\+k3\+s2\+p1%3B\+maxpool\+k2&n=16"))
    expect(page.frame_locator(PLAYER).locator("body")).to_have_attribute(
        "data-key", re.compile(r"^stack=conv k3 s2 p1; maxpool k2&n=16&cell=1,1$"))


def test_the_gif_download_decodes(page: Page, app_url: str):
    open_page(page, app_url + LINK)
    with page.expect_download(timeout=60_000) as download:
        page.locator(".st-key-stack_dl_gif button").click()
    assert download.value.suggested_filename == "stack_conv_k3_s2_p1_conv_k3_s2_p1_n16_cell1x1.gif"
    assert iio.imread(download.value.path(), index=None, extension=".gif").shape[0] == 4


def test_pasted_code_is_refused_without_a_traceback(page: Page, app_url: str):
    open_page(page, app_url + LINK)
    box = page.locator(".st-key-stack_text textarea")
    box.fill("__import__('os').system('x')")
    box.press("Control+Enter")
    expect(page.locator("[data-testid='stAlertContentError']")).to_contain_text(
        "is not a torch.nn layer")
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    assert "Traceback" not in page.content()


def test_the_top_navigation_leads_to_the_stack_page(page: Page, app_url: str):
    open_page(page, app_url + "/")
    page.get_by_role("link", name="Stacks of layers").click()
    expect(page).to_have_url(re.compile(r"/stack\?stack=conv"))
    expect(page.frame_locator(PLAYER).locator("body")).to_have_attribute("data-loaded", "1")
