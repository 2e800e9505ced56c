"""``python -m convviz stack``: the table, --json with output/rf/jump/start, --cell's region,
figures with -o, and one-line refusals (pasted code runs nothing)."""
from __future__ import annotations

import io
import json
import subprocess
import sys

import imageio.v3 as iio
import pytest

from convviz.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_issue_command_prints_a_list_of_layers(capsys):
    code, out, _ = run(capsys, "stack", "conv k3 s2 p1; conv k3 s2 p1", "-n", "32", "--json")
    layers = json.loads(out)
    assert code == 0 and isinstance(layers, list) and len(layers) == 2
    assert [(layer["output"], layer["rf"], layer["jump"], layer["start"]) for layer in layers] \
        == [([16, 16], [3, 3], [2, 2], [0, 0]), ([8, 8], [7, 7], [4, 4], [0, 0])]


def test_resnet_stem_on_224(capsys):
    _, out, _ = run(capsys, "stack", "conv k7 s2 p3; maxpool k3 s2 p1", "-n", "224", "--json")
    last = json.loads(out)[-1]
    assert last["output"] == [56, 56] and last["rf"] == [11, 11] and last["jump"] == [4, 4]


def test_cell_adds_the_region_of_the_last_layers_cell(capsys):
    _, out, _ = run(capsys, "stack", "conv k3 s2 p1; conv k3 s2 p1", "-n", "32", "--json",
                    "--cell", "0,0")
    layers = json.loads(out)
    assert "region" not in layers[0]
    assert layers[-1]["region"] == [[0, 4], [0, 4]] and layers[-1]["field"] == [[-3, 4], [-3, 4]]
    assert "cells" not in layers[-1]


def test_a_region_with_holes_lists_the_cells_read(capsys):
    _, out, _ = run(capsys, "stack", "conv k3 d2 p2; conv k3 d2 p2", "-n", "9", "--json",
                    "--cell", "4,4")
    last = json.loads(out)[-1]
    assert last["region"] == [[0, 9], [0, 9]]
    assert last["cells"] == [[r, c] for r in range(0, 9, 2) for c in range(0, 9, 2)]


def test_a_cell_that_reads_only_padding_has_a_null_region(capsys):
    _, out, _ = run(capsys, "stack", "conv k1 p1", "-n", "3", "--json", "--cell", "0,0")
    assert json.loads(out)[-1]["region"] is None


def test_a_transposed_layer_states_its_fractional_jump(capsys):
    _, out, _ = run(capsys, "stack", "transposed k3 s2 p1", "-n", "4", "--json")
    layer = json.loads(out)[0]
    assert layer["jump"] == [0.5, 0.5] and layer["jump_exact"] == ["1/2", "1/2"]
    assert layer["rf"] == [2, 2] and layer["rf_min"] == [1, 1]


def test_pasted_pytorch_works(capsys):
    code, out, _ = run(capsys, "stack", "nn.Conv2d(3, 8, 3, padding=1)", "-n", "5")
    assert code == 0 and out.splitlines()[0] == "input 5 × 5 × 3"
    assert "conv k3 p1 c8" in out and "224 params" in out


def test_the_table_and_the_cell(capsys):
    _, out, _ = run(capsys, "stack", "--preset", "resnet_stem", "--cell", "28,28")
    lines = out.splitlines()
    assert lines[0] == "input 224 × 224 × 3" and len(lines) == 6
    assert "rf 11" in lines[4] and "jump 4" in lines[4]
    assert lines[-1] == "y[28,28] depends on x[107:118, 107:118]: 121 cells (field 11 × 11)"


def test_standard_input(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("nn.MaxPool2d(2)\n"))
    _, out, _ = run(capsys, "stack", "-", "-n", "6", "--json")
    assert json.loads(out)[0]["output"] == [3, 3]


@pytest.mark.parametrize("suffix, frames", [(".gif", 4), (".png", 1), (".svg", 1), (".pdf", 1),
                                            (".html", 4)])
def test_figures_with_o(capsys, tmp_path, suffix, frames):
    path = tmp_path / f"fig{suffix}"
    code, out, _ = run(capsys, "stack", "conv k3 s2 p1; conv k3 s2 p1", "-n", "16", "--cell",
                       "1,1", "-o", str(path))
    assert code == 0 and path.exists()
    assert out.splitlines()[-1] == (f"wrote {path} ({frames} frames)" if frames > 1
                                    else f"wrote {path} (frame 0)")
    if suffix == ".gif":
        assert iio.imread(path, index=None).shape[0] == frames


@pytest.mark.parametrize("argv, message", [
    (["stack"], "give the layers as TEXT or --preset NAME"),
    (["stack", "conv k3", "--preset", "vgg_block"], "give the layers as TEXT or --preset NAME"),
    (["stack", "conv k3", "-n", "0"], "input_size must be >= 1"),
    (["stack", "conv k3", "--cell", "1"], "cell must be 'row,column'"),
    (["stack", "conv k3", "-n", "5", "--cell", "3,0"], "cell row must be an int in 0..2, got 3"),
    (["stack", "conv k3; maxpool k9", "-n", "5"], r"layer 2 (maxpool k9)"),
    (["stack", "conv k3", "-o", "fig.webp"], "file suffix must be one of"),
    (["stack", "__import__('os').system('x')"], "not understood: __import__('os').system('x')"),
])
def test_refusals_are_one_line_with_status_2(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith("convviz: error: ") and message in err and err.count("\n") == 1


def test_pasted_code_runs_nothing_in_a_real_process(tmp_path):
    mark = tmp_path / "ran"
    payload = f"__import__('os').system('touch {mark}')"
    done = subprocess.run([sys.executable, "-m", "convviz", "stack", payload, "--json"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("convviz: error: not understood: ")
    assert not mark.exists()
