"""Time the exercises: drawing sets, checking answers, their figures, a worksheet, and in the
browser a check and a next question, against baselines run in the same process.

    python benchmarks/quiz.py [--browser] [--chromium /usr/bin/chromium]

In-process (warmed up first, each measured as the best of several repeats):
- drawing a set of 10 questions per kind and level (a param question searches every value);
- checking an answer, in microseconds;
- an exercise figure's frame (setup, cells) as a ratio to the classic frame of the same spec;
- a worksheet and its key of 10 questions (PDF).

With ``--browser`` (``streamlit run app.py`` and headless Chromium): the time from pressing
Enter on an answer until its feedback is on screen, and from "Next question" until the next
question's figure is, each against the baseline of a text that is no answer (a rerun that
checks nothing). Targets: p95 of a check and of a next question <= 0.5 s.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from convviz import ConvSpec, View, views, worksheet  # noqa: E402
from convviz.quiz import KINDS, LEVELS, Exercise, question_set  # noqa: E402

TARGET_S = 0.5


def best(call, repeats: int = 5) -> float:
    """The best of ``repeats`` timings of ``call()``, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)


def in_process() -> None:
    for kind in KINDS:
        line = []
        for level in LEVELS:
            seeds = iter(range(1000, 2000))                     # a new set every time
            seconds = best(lambda kind=kind, level=level, seeds=seeds:
                           question_set(kind, level, next(seeds), 10), 3)
            line.append(f"level {level} {seconds / 10 * 1000:6.1f} ms")
        print(f"  draw one {kind:8s} question: " + "   ".join(line))
    question = question_set("size", 2, 1, 1)[0]
    seconds = best(lambda: [question.check(str(m)) for m in range(1, 101)], 5) / 100
    print(f"  check a size answer: {seconds * 1e6:.0f} us")
    spec = ConvSpec(input_size=9, kernel_size=3, stride=2, padding=1)
    views.clear_caches()
    views.frame(View(spec), 0)
    views.frame(View(spec, style="setup"), 0)
    views.frame(View(spec, style="cells"), 0)
    classic = best(lambda: views.frame(View(spec), 3), 20)
    for style in ("setup", "cells"):
        own = best(lambda style=style: views.frame(View(spec, style=style),
                                                   0 if style == "setup" else 3), 20)
        print(f"  a {style} frame: {own * 1000:.2f} ms, {own / classic:.2f} x the classic "
              f"frame ({classic * 1000:.2f} ms)")
    exercise = Exercise("mix", 2, 42)
    worksheet.sheet(exercise, 2)                                        # matplotlib warm
    print(f"  worksheet + key of 10 questions: "
          f"{best(lambda: (worksheet.sheet(exercise, 10), worksheet.key(exercise, 10)), 2):.2f} s")


READY = "[data-testid='stApp'][data-test-script-state='notRunning']"


def _question(page, number: int, bare: list, checks: list, nexts: list) -> None:
    """Time question ``number``: a text that is no answer, a wrong answer, Next question."""
    page.get_by_role("heading", name=f"Question {number}: Output size").wait_for(
        timeout=60_000)
    field = page.get_by_label("Your answer")
    for text, into, waited in (("?", bare, "Type the output size"), ("9999", checks, "Not")):
        field.fill(text)
        start = time.perf_counter()
        field.press("Enter")
        page.get_by_text(waited).first.wait_for(timeout=30_000)
        into.append(time.perf_counter() - start)
        page.wait_for_selector(READY)
    start = time.perf_counter()
    page.get_by_role("button", name="Next question").click()
    page.get_by_role("heading", name=f"Question {number + 1}:").wait_for()
    page.get_by_role("img").first.wait_for()
    nexts.append(time.perf_counter() - start)
    page.wait_for_selector(READY)


def in_browser(chromium: str, count: int = 15) -> bool:
    """Check and next-question round trips; True when the targets are met."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from app import ARGS, p95, start_server  # the explorer benchmark's server and browser

    checks, nexts, bare = [], [], []
    server, url = start_server()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{url}/?quiz=size&level=2&seed=7")
            for number in range(1, count + 1):
                _question(page, number, bare, checks, nexts)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    base = statistics.median(bare)
    for label, values in (("no answer (baseline)", bare), ("check an answer", checks),
                          ("next question", nexts)):
        middle = statistics.median(values)
        print(f"  {label:22s} median {middle:.3f} s ({middle / base:.2f} x baseline)   "
              f"p95 {p95(values):.3f} s")
    met = p95(checks) <= TARGET_S and p95(nexts) <= TARGET_S
    print(f"target p95 <= {TARGET_S} s: {'met' if met else 'MISSED'}")
    return met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--browser", action="store_true", help="also time the page")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    in_process()
    met = in_browser(args.chromium) if args.browser else True
    print(f"load average {load:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
