"""The exercises page in a real browser: headless Chromium (Playwright) against
``streamlit run app.py``, the done-when of issue 16.

- ``?quiz=size&mode=conv&n=7&k=3&s=2&p=0`` shows no "3 × 3" and no "= 3" before an answer
  (neither in the page's text nor in its HTML); typing 4 shows a hint, typing 3 shows
  "Correct" and reveals the figure and the formula;
- a ``quiz=cells`` question is answered by choosing input cells on the figure, and a wrong
  cell is reported;
- ``level`` + ``seed`` give two students (two browser contexts) the same questions.

Skipped ("needs chromium") where Chromium is missing.
"""
from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

TIMEOUT_MS = 30_000
SIZE = "/?quiz=size&mode=conv&n=7&k=3&s=2&p=0"
CELLS = "/?quiz=cells&mode=conv&n=5&k=3&s=2&p=1&cell=1,1"
READ = [f"x[{r},{c}]" for r in (1, 2, 3) for c in (1, 2, 3)]
PLAYER = "iframe[title='The convolution, one kernel position per step']"


def opened(page: Page, url: str) -> Page:
    """``url`` once the app has finished its run."""
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
    expect(page.get_by_text("Question 1:")).to_be_visible()
    return page


def settled(page: Page) -> None:
    """Wait for the run a click or an Enter started to finish."""
    page.wait_for_timeout(300)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")


def type_answer(page: Page, text: str) -> None:
    field = page.get_by_label("Your answer")
    field.fill(text)
    field.press("Enter")
    settled(page)


def test_the_size_question_hides_the_answer_until_it_is_typed(page: Page, app_url: str):
    page = opened(page, app_url + SIZE)
    text, document = page.locator("body").inner_text(), page.content()
    for leak in ("3 × 3", "= 3", "3, 3]", "y[2,2]"):
        assert leak not in text and leak not in document, leak
    assert page.locator(PLAYER).count() == 0                      # no frames, no captions
    expect(page.get_by_role("img", name=re.compile("kernel at its first position"))) \
        .to_have_count(0)                                        # the figure is an image
    type_answer(page, "4")
    expect(page.get_by_text("Off by one")).to_be_visible()
    assert page.locator(PLAYER).count() == 0 and "3 × 3" not in page.locator("body").inner_text()
    type_answer(page, "3")
    expect(page.get_by_text(re.compile(r"Correct:.*the output is 3 × 3"))).to_be_visible()
    expect(page.locator(".st-key-formula [data-testid='stMetricValue']")).to_have_text("3 × 3")
    expect(page.locator(".st-key-formula .katex-html").last).to_contain_text("=3")
    expect(page.frame_locator(PLAYER).locator("body")).to_have_attribute("data-frames", "9")
    expect(page.locator("[data-testid='stMetricValue']").first).to_have_text("1 of 1")


def test_a_cells_question_is_answered_on_the_figure_and_a_wrong_cell_is_reported(
        page: Page, app_url: str):
    page = opened(page, app_url + CELLS)
    cell = lambda name: page.get_by_role("checkbox", name=name, exact=True)  # noqa: E731
    expect(cell("x[0,0]")).to_be_visible()
    for name in ["x[0,0]", *READ[:4]]:
        cell(name).click()
        settled(page)
    expect(cell("x[0,0]")).to_have_attribute("aria-checked", "true")
    page.get_by_role("button", name="Check").click()
    settled(page)
    expect(page.get_by_text("x[0,0] is not read by y[1,1]; 5 cells it reads are not chosen "
                            "yet.")).to_be_visible()
    expect(cell("x[0,0]")).to_have_class(re.compile(r"\bwrong\b"))
    expect(cell("x[1,1]")).to_have_class(re.compile(r"\bright\b"))
    cell("x[0,0]").click()                                       # unchoose it ...
    settled(page)
    for name in READ[4:]:                                        # ... and choose the rest
        cell(name).focus()
        page.keyboard.press("Enter")
        settled(page)
    page.get_by_role("button", name="Check").click()
    settled(page)
    expect(page.get_by_text("Correct: y[1,1] reads these 9 input cells.")).to_be_visible()
    expect(page.locator("[data-testid='stMetricValue']").first).to_have_text("1 of 1")
    expect(cell("x[2,2]")).to_have_class(re.compile(r"\bright\b"))


def question_texts(page: Page, count: int) -> list[str]:
    """The text of the first ``count`` questions, pressing Next question in between."""
    texts = []
    for number in range(1, count + 1):
        heading = page.get_by_role("heading", name=re.compile(f"^Question {number}:"))
        expect(heading).to_be_visible()
        texts.append("\n".join([heading.inner_text(),
                                page.locator(".st-key-quiz_prompt").inner_text(),
                                page.locator("table.givens").inner_text()]))
        page.get_by_role("button", name="Next question").click()
        settled(page)
    return texts


def test_level_and_seed_give_two_students_the_same_questions(browser: Browser, app_url: str,
                                                             browser_context_args):
    link = app_url + "/?quiz=mix&level=2&seed=42"
    seen = []
    for _ in range(2):                                         # two students, two contexts
        context = browser.new_context(**browser_context_args)
        page = opened(context.new_page(), link)
        seen.append(question_texts(page, 4))
        context.close()
    assert seen[0] == seen[1]
    assert len(set(seen[0])) == 4 and "Which cells" in seen[0][1]


def test_the_exercises_page_loads_nothing_from_outside(page: Page, app_url: str):
    """Classrooms may be offline: the picker, its figure and the page come from the app."""
    outside = []
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith((app_url, "data:", "blob:", "about:")) else None)
    opened(page, app_url + CELLS)
    expect(page.get_by_role("checkbox", name="x[0,0]", exact=True)).to_be_visible()
    page.wait_for_timeout(500)
    assert outside == []
