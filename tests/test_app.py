"""The Streamlit app, run headless with AppTest."""
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def test_app_shows_the_output_size():
    at = AppTest.from_file(APP).run()
    assert not at.exception
    assert any("=3" in latex.value.replace(" ", "") for latex in at.latex)


def test_app_shows_an_error_not_an_exception():
    at = AppTest.from_file(APP).run()
    at.number_input(key="kernel_size").set_value(9).run()
    assert not at.exception and at.error
