"""The README stays true: its two commands name real files, its CLI examples run."""
import re
import shlex
from pathlib import Path

import pytest

from convviz.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
RUN_APP = "pip install -r requirements.txt && streamlit run app.py"
RUN_TESTS = "pip install -r requirements-dev.txt && python -m pytest"


def test_the_two_commands_are_there_and_name_real_files():
    assert RUN_APP in README and RUN_TESTS in README
    for name in ("requirements.txt", "requirements-dev.txt", "app.py"):
        assert (ROOT / name).is_file()
    def packages(name):
        lines = (ROOT / name).read_text().splitlines()
        return [line.split("==")[0] for line in lines if line and not line.startswith("#")]
    assert "streamlit" in packages("requirements.txt")
    assert "torch" not in packages("requirements.txt") + packages("requirements-dev.txt")
    assert "torch==2.13.0" in (ROOT / "requirements-torch.txt").read_text()


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "requirements-dev.txt" in ci and "python -m pytest" in ci
    assert "apt-get install -y chromium" in ci and "requirements-torch.txt" in ci


def test_the_convention_oracles_are_test_only_pinned_and_installed_by_ci():
    pins = [line for line in (ROOT / "requirements-oracles.txt").read_text().splitlines()
            if line and not line.startswith("#")]
    assert {pin.split("==")[0] for pin in pins} == {"jax", "jaxlib", "onnx", "onnxruntime",
                                                    "keras"}
    assert all(re.fullmatch(r"[\w-]+==[\d.]+", pin) for pin in pins)
    runtime = (ROOT / "requirements.txt").read_text() + (ROOT / "requirements-dev.txt").read_text()
    assert not any(name in runtime for name in ("jax", "onnx", "keras"))
    ci = (ROOT / ".ci" / "run").read_text()
    assert "requirements-oracles.txt" in ci and "CONVVIZ_REQUIRE_ORACLES=1" in ci


EXAMPLES = [line.strip()[len("python -m convviz "):].split("#")[0]
            for line in README.splitlines() if line.strip().startswith("python -m convviz ")]


def test_readme_has_cli_examples():
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize("example", EXAMPLES)
def test_cli_examples_run(example, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    (tmp_path / "assets").symlink_to(ROOT / "assets")       # the bundled images
    assert main(shlex.split(example)) == 0, capsys.readouterr().err


def test_images_the_readme_shows_exist():
    for path in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README):
        assert (ROOT / path).is_file(), path


def test_the_layout_table_names_every_module_and_only_real_paths():
    rows = [line for line in README.split("## Layout", 1)[1].splitlines()
            if line.startswith("| `")]
    named = set()
    for row in rows:
        cell = row.split("|")[1]
        paths = re.findall(r"`([^`]+)`", cell)
        folder = paths[0].rsplit("/", 1)[0] if "/" in paths[0] else ""
        for path in paths:
            full = path if "/" in path or not folder else f"{folder}/{path}"
            assert (ROOT / full).exists(), full
            named.add(full.rstrip("/"))
    modules = {str(p.relative_to(ROOT)) for p in (ROOT / "convviz").rglob("*.py")
               if p.name != "__main__.py"}
    assert modules - named == set()
