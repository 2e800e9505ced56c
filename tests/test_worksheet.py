"""Worksheets (convviz/worksheet.py): real PDFs, read back with poppler (pdftotext, pdftoppm):
the sheet asks without answering, the key answers every question, one set gives one file."""
from __future__ import annotations

import io
import re
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image

from convviz import ConvVizError, worksheet
from convviz.figures import style
from convviz.quiz import Exercise

SET = Exercise("mix", 2, 42)


@pytest.fixture(scope="module")
def poppler() -> None:
    if not shutil.which("pdftotext") or not shutil.which("pdftoppm"):
        pytest.skip("needs poppler-utils: pdftotext and pdftoppm read the PDFs back "
                    "(apt-get install poppler-utils)")


@pytest.fixture(scope="module")
def pdfs() -> tuple[bytes, bytes]:
    return worksheet.sheet(SET, 8), worksheet.key(SET, 8)


def text_of(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                         check=True).stdout.decode()
    return re.sub(r"\s+", " ", out)


def test_one_set_gives_the_same_bytes(pdfs):
    sheet, key = pdfs
    assert sheet.startswith(b"%PDF-") and key.startswith(b"%PDF-")
    assert worksheet.sheet(SET, 8) == sheet


def test_the_sheet_asks_every_question_and_answers_none(poppler, pdfs):
    text = text_of(pdfs[0])
    assert "Convolution arithmetic: exercises" in text and "?quiz=mix&level=2&seed=42" in text
    for number, question in enumerate(worksheet.questions(SET, 8), start=1):
        assert f"{number}. {question.title}" in text
        assert " ".join(question.prompt().split()[:6]) in text
        assert f"Answer: {question.answer()}" not in text
    assert text.count("Answer: ____") == 8
    assert "The output is" not in text and "Output sizes:" not in text


def test_the_key_answers_every_question_with_its_working(poppler, pdfs):
    text = text_of(pdfs[1])
    for number, question in enumerate(worksheet.questions(SET, 8), start=1):
        assert f"{number}. {question.title}" in text
        assert " ".join(question.explanation()[0].split()[:4]) in text
        assert f"Answer: {question.answer()}" in text


def test_the_pages_carry_the_figures(poppler, pdfs):
    png = subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", "-", ],
                         input=pdfs[0], capture_output=True, check=True).stdout
    page = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    assert page.shape[0] > page.shape[1]                                 # A4, portrait
    blue = np.abs(page - np.array(style.INPUT)).sum(axis=2) < 40
    assert blue.sum() > 200                                             # the input grids


def test_save_writes_the_sheet_and_its_key(tmp_path):
    sheet, key = worksheet.save(Exercise("size", 1, 3), 2, tmp_path / "sheet.pdf")
    assert key == tmp_path / "sheet-answers.pdf"
    assert sheet.read_bytes()[:5] == key.read_bytes()[:5] == b"%PDF-"
    _, own = worksheet.save(Exercise("size", 1, 3), 2, tmp_path / "a.pdf", tmp_path / "k.pdf")
    assert own.is_file()


@pytest.mark.parametrize("call, message", [
    (lambda p: worksheet.save(SET, 2, p / "sheet.png"), r"file suffix must be one of \.pdf"),
    (lambda p: worksheet.save(SET, 2, p / "s.pdf", p / "k.txt"), r"one of \.pdf"),
    (lambda p: worksheet.sheet(SET, 0), "count must be an int in 1..100, got 0"),
])
def test_bad_requests_are_refused_in_one_line(tmp_path, call, message):
    with pytest.raises(ConvVizError, match=message):
        call(tmp_path)
    assert not list(tmp_path.iterdir())
