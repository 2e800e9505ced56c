"""Pages that stand alone: one figure's HTML file and the static site, read as text and, in
headless Chromium with every request but the page's own refused, pointed at and stepped
through the way a student and a lecturer do."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from convviz import ConvSpec, ConvVizError, View, views
from convviz.cli import main
from convviz.gallery import PRESETS
from convviz.pages import CREDIT, alt_text, build, index, page, save_page, section, title

ISSUE = ["--mode", "conv", "-n", "5", "-k", "3", "-s", "2", "-p", "1"]
TRANSPOSED = ["--mode", "transposed", "-n", "3", "-k", "3", "-s", "2", "-p", "1"]
PAUSED = "try { sessionStorage.setItem('convviz.paused', '1'); } catch (e) {}"
TIMEOUT_MS = 15_000


def test_titles_name_gallery_figures_by_their_caption_and_others_by_their_numbers():
    assert title(View(PRESETS["dilation"].spec)) == "Dilation"
    assert title(View(ConvSpec(input_size=6, stride=3))) == "Convolution, n=6, k=3, s=3, p=0"
    scatter = View(ConvSpec(mode="transposed", input_size=3, stride=2), style="numbers",
                   scatter=True)
    assert title(scatter) == "Transposed convolution, n=3, k=3, s=2, p=0 (scatter view)"


def test_alt_text_says_what_the_figure_shows():
    text = alt_text(View(ConvSpec(input_size=5, kernel_size=3, stride=2, padding=1)))
    assert text == ("Convolution: a 3 × 3 kernel (dark) slides with stride 2 over a 5 × 5 "
                    "input (blue), padded by 1 (white dashed cells), giving the 3 × 3 output "
                    "(cyan) above it; one step per kernel position, 9 steps.")
    assert "3 channels" in alt_text(View(PRESETS["depthwise"].spec))
    assert "1 zero inserted" in alt_text(View(PRESETS["padding_strides_transposed"].spec))


def test_a_page_holds_title_formula_player_description_and_credit():
    view = View(PRESETS["padding_strides_transposed"].spec)
    text = page(view, nav=[("index.html", "All figures")])
    assert "<title>Padding, strides, transposed · convviz</title>" in text
    assert "<span>m = (3−1)·2 − 2·1 + 1·(3−1) + 0 + 1 = 5</span>" in text
    assert f'aria-label="{alt_text(view)}"' in text and CREDIT in text
    assert '<a href="index.html">All figures</a>' in text
    assert text.count('<polygon class="cell"') == 9 + 25 and 'data-frames="25"' in text


def test_save_page_takes_html_only_and_writes_atomically(tmp_path):
    with pytest.raises(ConvVizError, match=r"file suffix must be one of \.html"):
        save_page(View(ConvSpec()), tmp_path / "fig.gif")
    assert save_page(View(ConvSpec()), tmp_path / "fig.html").stat().st_size > 10_000
    assert [p.name for p in tmp_path.iterdir()] == ["fig.html"]


def test_the_index_lists_every_figure_under_the_seed_notes_headings():
    text = index()
    assert re.findall(r"<h2>(.*?)</h2>", text) == [
        "Convolution", "Transposed convolution", "Dilated convolution",
        "Multi-channel convolutions", "Pooling", "1-D operations (sequences)"]
    assert re.findall(r'<h3><a href="(\w+)\.html">', text) == list(PRESETS)
    assert text.count("<img ") == len(PRESETS) and text.count('alt="') == len(PRESETS)
    assert section(PRESETS["separable"].spec) == "Multi-channel convolutions"


def test_build_refuses_a_file_where_the_folder_goes(tmp_path):
    (tmp_path / "taken").write_text("")
    with pytest.raises(ConvVizError, match="cannot create"):
        build(tmp_path / "taken")


# ---- in a real browser, offline ------------------------------------------------------------
@pytest.fixture()
def offline(page: Page) -> tuple[Page, list[str]]:
    """Chromium that refuses every request but ``file://`` ones, and the URLs it asked for."""
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.route("**/*", lambda route: route.continue_()
               if route.request.url.startswith("file://") else route.abort())
    page.set_default_timeout(TIMEOUT_MS)
    return page, asked


def _render(tmp_path: Path, *flags: str) -> Path:
    path = tmp_path / "fig.html"
    assert main(["render", *flags, "-o", str(path)]) == 0
    return path


def _open(page: Page, path: Path, paused: bool = True) -> Page:
    if paused:                                # as a lecturer left it: stepping, not playing
        page.add_init_script(PAUSED)
    page.goto(path.as_uri())
    expect(page.locator("body")).to_have_attribute("data-ready", "1")
    return page


def _cell(page: Page, name: str):
    return page.get_by_role("button", name=name, exact=True)


def test_choosing_an_output_cell_shows_its_step_and_caption(offline, tmp_path):
    page, asked = offline
    path = _render(tmp_path, *ISSUE)
    _open(page, path)
    _cell(page, "y[1,1]").click()
    expect(page.locator("#label")).to_have_text("Step 5 of 9")
    caption = str(views.captions(View(ConvSpec(input_size=5, stride=2, padding=1)))[4])
    expect(page.locator("#caption")).to_have_text(caption)
    assert caption.startswith("y[1,1] = ")
    expect(page.locator("#cell")).to_have_text(re.compile(r"^y\[1,1\] reads x\[1,1\], "))
    assert set(asked) == {path.as_uri()}


def test_pointing_at_an_input_cell_names_every_output_cell_it_feeds(offline, tmp_path):
    page, asked = offline
    path = _render(tmp_path, *ISSUE)
    _open(page, path)
    line = "x[1,1] feeds y[0,0], y[0,1], y[1,0], y[1,1]"
    _cell(page, "x[1,1]").focus()                                      # keyboard
    expect(page.locator("#cell")).to_have_text(line)
    lit = page.locator("#cells .lit")
    expect(lit).to_have_count(4)
    assert sorted(lit.evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")) == [
        "y[0,0]", "y[0,1]", "y[1,0]", "y[1,1]"]
    _cell(page, "x[0,4]").hover()                                      # pointer
    expect(page.locator("#cell")).to_have_text("x[0,4] feeds y[0,2]")
    _cell(page, "x[1,1]").click()                                      # activated
    expect(page.locator("#cell")).to_have_text(line)
    expect(page.locator("body")).to_have_attribute("data-step", "0")  # an input has no step
    assert set(asked) == {path.as_uri()}


def test_the_transposed_page_has_25_steps_and_its_formula(offline, tmp_path):
    page, _ = offline
    _open(page, _render(tmp_path, *TRANSPOSED))
    expect(page.locator("body")).to_have_attribute("data-frames", "25")
    expect(page.locator("#label")).to_have_text("Step 1 of 25")
    expect(page.locator("header .formula")).to_contain_text("= 5")
    _cell(page, "x[0,0]").focus()                                      # its scatter stamp
    expect(page.locator("#cell")).to_have_text("x[0,0] feeds y[0,0], y[0,1], y[1,0], y[1,1]")


def test_presenter_keys_work_as_soon_as_the_page_loads(offline, tmp_path):
    page, _ = offline
    _open(page, _render(tmp_path, *ISSUE))
    assert page.evaluate("document.activeElement === document.body")   # nothing clicked
    body = page.locator("body")
    for key, step in [("PageDown", 1), ("PageDown", 2), ("PageUp", 1), ("ArrowRight", 2),
                      ("ArrowLeft", 1), ("End", 8), ("Home", 0)]:
        page.keyboard.press(key)
        expect(body).to_have_attribute("data-step", str(step))
    expect(page.locator("#label")).to_have_text("Step 1 of 9")
    page.keyboard.press("Space")
    expect(page.locator("#play")).to_have_attribute("aria-label", "Pause")
    page.keyboard.press("Space")
    expect(page.locator("#play")).to_have_attribute("aria-label", "Play")


def test_step_k_of_n_is_large_enough_for_the_back_of_the_room(offline, tmp_path):
    page, _ = offline
    _open(page, _render(tmp_path, *ISSUE))
    size = page.locator("#label").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 24


def test_fullscreen_from_the_button_and_the_f_key(offline, tmp_path):
    page, _ = offline
    _open(page, _render(tmp_path, *ISSUE))
    page.locator("#full").click()
    page.wait_for_function("document.fullscreenElement && document.fullscreenElement.id "
                           "=== 'player'")
    expect(page.locator("#full")).to_have_attribute("aria-label", "Exit fullscreen")
    page.keyboard.press("f")
    page.wait_for_function("!document.fullscreenElement")
    page.keyboard.press("PageDown")                       # the keys still step afterwards
    expect(page.locator("body")).to_have_attribute("data-step", "1")


def test_the_site_index_links_to_every_figure_and_each_page_plays(offline, tmp_path):
    page, asked = offline
    out = tmp_path / "site"
    assert main(["site", str(out), "--duration-ms", "60"]) == 0
    page.goto((out / "index.html").as_uri())
    links = list(dict.fromkeys(page.locator("a[href$='.html']").evaluate_all(
        "els => els.map(e => e.href)")))
    assert len(links) >= 20
    page.locator("img").evaluate_all("els => els.forEach(e => { e.loading = 'eager'; })")
    page.wait_for_function("[...document.images].every(e => e.complete && e.naturalWidth > 0 "
                           "&& e.alt.length > 40)")                   # stills with alt text
    for link in links:
        page.goto(link)
        body = page.locator("body")
        expect(body).to_have_attribute("data-ready", "1")
        page.wait_for_function("document.body.dataset.step !== '0'")     # it plays by itself
        assert page.title().endswith(" · convviz")
        assert len(page.locator("#view").get_attribute("aria-label")) > 40   # its alt text
        expect(page.locator("footer")).to_contain_text("Dumoulin")
        assert page.locator("#cells .cell").count() > 0
    assert all(url.startswith(out.as_uri()) for url in asked)


@pytest.mark.parametrize("query, style, words", [
    ("mode=maxpool1d&n=8&k=3&s=2&p=1", "numbers",
     ["3-cell window", "over an 8-cell input", "padded by 1 with −∞", "writes out its maximum"]),
    ("mode=conv1d&n=8&k=3&p=2&causal=1", "classic", ["at its start only (causal"]),
    ("mode=avgpool&n=5&k=3&s=2&p=1", "classic", ["3 × 3 window", "one step per window"]),
])
def test_the_text_alternative_of_pooling_and_1d_figures(query, style, words):
    text = alt_text(View(ConvSpec.from_query(query), style=style))
    for word in words:
        assert word in text, text
    assert "1 × " not in text and "(0, " not in text
