"""The command line, run in-process through cli.main and once as a real subprocess."""
import json
import re
import subprocess
import sys
from pathlib import Path

import imageio.v3 as iio
import pytest

from convviz.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_shape_prints_the_filled_in_formula(capsys):
    code, out, err = run(capsys, "shape", "--mode", "conv", "-n", "5", "-k", "3", "-s", "2",
                         "-p", "1")
    assert code == 0 and not err
    assert "m = ⌊(5 + 2·1 − 1·(3−1) − 1)/2 + 1⌋ = 3" in out and "output: 3 x 3" in out
    assert "nn.Conv2d(1, 1, kernel_size=3, stride=2, padding=1)" in out


def test_shape_json_with_actual_padding(capsys):
    code, out, _ = run(capsys, "shape", "--mode", "transposed", "-n", "3", "-k", "3", "-s", "2",
                       "--pt", "1", "--json")
    data = json.loads(out)
    assert code == 0 and data["output"] == [5, 5] and data["padding"] == [1, 1]
    assert data["actual_padding"] == [1, 1] and data["formula"].endswith("= 5")
    assert data["query"] == "mode=transposed&n=3&k=3&s=2&p=1"
    assert data["formula"].startswith("p = 1·(3−1) − 1 = 1")      # p_t given: p derived


def test_shape_derives_the_padding_the_user_did_not_give(capsys):
    _, out, _ = run(capsys, "shape", "--mode", "transposed", "-n", "3", "-s", "2", "-p", "1")
    assert out.splitlines()[:2] == ["p_t = 1·(3−1) − 1 = 1",
                                    "m = (3−1)·2 − 2·1 + 1·(3−1) + 0 + 1 = 5"]


def test_shape_json_non_square_and_same(capsys):
    _, out, _ = run(capsys, "shape", "-n", "5,7", "-k", "4,3", "-p", "same", "--json")
    data = json.loads(out)
    assert data["output"] == [5, 7] and data["padding"] == "same"
    assert data["pads"] == [1, 2, 1, 1] and data["actual_padding"] is None


@pytest.mark.parametrize("argv, words", [
    (["shape", "-n", "5", "-k", "9"], "kernel_size must be <= 5"),
    (["shape", "-s", "0"], "stride must be >= 1, got 0"),
    (["shape", "--mode", "transposed", "--output-padding", "2", "-s", "2"],
     "output_padding must be < max(stride, dilation) = 2, got 2"),
    (["shape", "-n", "five"], "input_size must be an int or a pair"),
    (["shape", "--bogus"], "unrecognized arguments: --bogus"),
    (["shape", "--mode", "sideways"], "invalid choice: 'sideways'"),
    ([], "required: command"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, argv, words):
    code, out, err = run(capsys, *argv)
    assert code == 2 and not out
    assert words in err and err.count("\n") == 1 and err.startswith("convviz: error: ")


def test_python_dash_m_has_no_traceback():
    result = subprocess.run([sys.executable, "-m", "convviz", "shape", "-k", "0"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr == "convviz: error: kernel_size must be >= 1, got 0\n"


def test_render_gif_of_the_issue(tmp_path, capsys):
    from PIL import Image

    path = tmp_path / "fig.gif"
    code, out, err = run(capsys, "render", "--mode", "transposed", "-n", "3", "-k", "3", "-s",
                         "2", "-p", "1", "-o", str(path))
    assert code == 0 and not err and "25 frames" in out
    with Image.open(path) as im:
        assert im.n_frames == 25 and im.info["loop"] == 0 and im.info["duration"] == 1000


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<?xml"),
                                           (".pdf", b"%PDF"), (".mp4", b"")])
def test_render_stills_and_mp4(tmp_path, capsys, suffix, magic):
    path = tmp_path / f"fig{suffix}"
    option = ["--duration-ms", "500"] if suffix == ".mp4" else ["--frame", "4"]
    code, _, _ = run(capsys, "render", "-n", "5", "-k", "3", "-s", "2", "-p", "1", *option,
                     "-o", str(path))
    assert code == 0 and path.read_bytes().startswith(magic) and path.stat().st_size > 100


@pytest.mark.parametrize("argv, words", [
    (["-o", "fig.webp"], "file suffix must be one of .gif, .mp4, .png, .svg, .pdf"),
    (["-o", "missing/fig.gif"], "output folder must exist"),
    (["-o", "fig.png", "--frame", "9"], "frame must be an int in 0..8, got 9"),
    (["-o", "fig.gif", "-n", "40", "-s", "1"], "more than max_frames=1024"),
    (["-o", "fig.gif", "--duration-ms", "0"], "must be an int in 10..60000, got '0'"),
    (["-o", "fig.gif", "-k", "8"], "kernel_size must be <= 7"),
])
def test_render_bad_input_leaves_no_file(tmp_path, capsys, monkeypatch, argv, words):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "render", "-n", "5", "-s", "2", "-p", "1", *argv)
    assert code == 2 and words in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_gallery_writes_every_preset(tmp_path, capsys):
    from convviz.gallery import PRESETS

    code, out, _ = run(capsys, "gallery", str(tmp_path / "out"))
    assert code == 0
    assert sorted(p.stem for p in (tmp_path / "out").iterdir()) == sorted(PRESETS)


def test_render_numbers_style_and_scatter(tmp_path, capsys):
    from PIL import Image

    path = tmp_path / "scatter.gif"
    code, out, _ = run(capsys, "render", "--mode", "transposed", "-n", "3", "-k", "3", "-s",
                       "2", "-p", "1", "--view", "scatter", "-o", str(path))
    assert code == 0 and "9 frames" in out
    with Image.open(path) as im:
        assert im.n_frames == 9
    code, _, _ = run(capsys, "render", "-n", "4", "--kernel", "1,0,-1;2,0,-2;1,0,-1",
                     "--seed", "2", "-o", str(tmp_path / "k.png"))
    assert code == 0 and (tmp_path / "k.png").stat().st_size > 1000


@pytest.mark.parametrize("argv, words", [
    (["--kernel", "1,0;0,1"], "kernel must be 3 x 3"),
    (["--kernel", "1,x"], "kernel"),
    (["--view", "scatter"], "mode must be 'transposed'"),
    (["--style", "classic", "--seed", "3"], "--seed belongs to the numbers style"),
])
def test_render_numbers_bad_input(tmp_path, capsys, argv, words):
    code, _, err = run(capsys, "render", "-n", "4", "-o", str(tmp_path / "x.gif"), *argv)
    assert code == 2 and words in err and err.count("\n") == 1


def test_render_depthwise_of_the_issue(tmp_path, capsys):
    from PIL import Image

    path = tmp_path / "dw.gif"
    code, out, _ = run(capsys, "render", "--mode", "depthwise", "--in-channels", "3", "-n", "5",
                       "-k", "3", "-o", str(path))
    assert code == 0 and "9 frames" in out
    with Image.open(path) as im:
        assert im.n_frames == 9 and im.size[0] > 600          # three channels side by side


def test_shape_reports_parameters_and_multiply_adds(capsys):
    code, out, _ = run(capsys, "shape", "--in-channels", "3", "--out-channels", "8", "-n", "32",
                       "-k", "3", "-p", "1", "--json")
    data = json.loads(out)
    assert code == 0 and data["parameters"] == 3 * 8 * 9 + 8
    assert data["macs"] == 8 * 32 * 32 * 3 * 9
    other = data["compared_with"]
    assert other["layer"].startswith("a depthwise-separable convolution")
    assert other["parameters"] == (3 * 9 + 3) + (3 * 8 + 8)


@pytest.mark.parametrize("mode, layer", [("depthwise", "a standard convolution"),
                                         ("separable", "a standard convolution"),
                                         ("pointwise", None)])
def test_shape_compares_with_a_layer_it_names(capsys, mode, layer):
    _, out, _ = run(capsys, "shape", "--mode", mode, "--in-channels", "4", "--out-channels",
                    "4", "--json")
    data = json.loads(out)
    assert (data.get("compared_with") or {}).get("layer", "").startswith(layer or "") and \
        (layer is not None) == ("compared_with" in data)


def test_steps_count_from_1_and_frame_is_its_0_based_alias(tmp_path, capsys):
    args = ["render", "-n", "5", "-k", "3", "-s", "2", "-p", "1"]
    code, out, _ = run(capsys, *args, "--step", "5", "-o", str(tmp_path / "a.png"))
    assert code == 0 and out.strip().endswith("(step 5 of 9)")
    code, out, _ = run(capsys, *args, "--frame", "4", "-o", str(tmp_path / "b.png"))
    assert code == 0 and out.strip().endswith("(step 5 of 9)")
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
    code, _, err = run(capsys, *args, "--step", "10", "-o", str(tmp_path / "c.png"))
    assert code == 2 and "step must be an int in 1..9, got 10" in err
    code, _, err = run(capsys, *args, "--step", "2", "--frame", "1", "-o", str(tmp_path / "d.png"))
    assert code == 2 and "not both" in err and not (tmp_path / "d.png").exists()


def test_annotate_writes_text_into_an_svg(tmp_path, capsys):
    path = tmp_path / "notes.svg"
    code, _, _ = run(capsys, "render", "--mode", "transposed", "-n", "3", "-s", "2", "--pt", "1",
                     "--annotate", "--step", "5", "-o", str(path))
    svg = path.read_text()
    assert code == 0 and "<text" in svg and "Step 5 of 25" in svg
    assert "p = 1·(3−1) − 1 = 1" in svg and "Transposed convolution" in svg


def test_palette_cb_changes_the_colours_not_the_picture(tmp_path, capsys):
    import numpy as np
    from PIL import Image

    for palette in ("default", "cb"):
        run(capsys, "render", "-n", "5", "--palette", palette, "-o",
            str(tmp_path / f"{palette}.png"))
    default, cb = (Image.open(tmp_path / f"{p}.png") for p in ("default", "cb"))
    assert (np.asarray(default) == np.asarray(cb)).all()          # same palette indices
    assert default.getpalette() != cb.getpalette()


def test_handout_of_the_issue(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "handout", "--mode", "conv", "-n", "5", "-k", "3", "-s", "2",
                         "-p", "1", "-o", "notes.pdf")
    data = (tmp_path / "notes.pdf").read_bytes()
    assert code == 0 and not err and out.strip() == "wrote notes.pdf (A4)"
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page\n") + data.count(
        b"/Type /Page ") >= 1
    code, _, err = run(capsys, "handout", "-n", "5", "-o", "notes.png")
    assert code == 2 and "file suffix must be one of .pdf" in err


def test_gallery_writes_all_figures_or_none(tmp_path, capsys):
    """Issue #17 row 19: with one target name taken by a folder, 8 of 20 GIFs were written
    before the error; now nothing is, and the message names the obstacle."""
    from convviz.gallery import PRESETS

    (tmp_path / "padding_strides_transposed.gif").mkdir()
    code, out, err = run(capsys, "gallery", str(tmp_path))
    assert code == 2 and "padding_strides_transposed.gif" in err and "nothing was written" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["padding_strides_transposed.gif"]
    (tmp_path / "padding_strides_transposed.gif").rmdir()
    code, out, err = run(capsys, "gallery", str(tmp_path))
    assert code == 0 and len(list(tmp_path.glob("*.gif"))) == len(PRESETS)
    assert not list(tmp_path.glob(".convviz-*"))


def test_values_may_start_with_a_minus_sign(capsys, tmp_path):
    code, out, err = run(capsys, "render", "-n", "3", "--kernel", "-1,0,1;-2,0,2;-1,0,1",
                         "--values", "-1,2,3;4,5,6;7,8,9", "-o", str(tmp_path / "s.png"))
    assert code == 0, err


@pytest.mark.parametrize("argv, output, pads", [
    (["-n", "5", "-k", "4", "-s", "2", "-p", "same", "--convention", "tensorflow"], 3,
     [1, 2, 1, 2]),
    (["-n", "6", "-k", "3", "-s", "2", "-p", "same", "--convention", "tensorflow"], 3,
     [0, 1, 0, 1]),
    (["-n", "6", "-k", "3", "-s", "2", "-p", "same", "--convention", "onnx-lower"], 3,
     [1, 0, 1, 0]),
    (["-n", "6", "-k", "3", "-s", "2", "-p", "1", "--convention", "jax"], 3, [1, 1, 1, 1]),
])
def test_shape_json_resolves_pads_by_the_convention(capsys, argv, output, pads):
    code, out, _ = run(capsys, "shape", *argv, "--json")
    data = json.loads(out)
    assert code == 0 and data["output"] == [output, output] and data["pads"] == pads
    assert data["convention"] == argv[-1] and data["query"].endswith(f"conv={argv[-1]}")
    assert {"mode", "input", "output_shape", "padding", "formula", "torch", "code"} <= set(data)


def test_shape_prints_the_pads_and_the_frameworks_line(capsys):
    code, out, _ = run(capsys, "shape", "-n", "6", "-k", "3", "-s", "2", "-p", "same",
                       "--convention", "onnx-lower")
    assert code == 0 and "pads (top, bottom, left, right): 1, 0, 1, 0" in out
    assert 'auto_pad="SAME_LOWER"' in out and "nn.ZeroPad2d((1, 0, 1, 0))" in out


def test_pytorch_refuses_same_with_a_stride_and_says_so(capsys):
    code, out, err = run(capsys, "shape", "-n", "6", "-s", "2", "-p", "same")
    assert code == 2 and not out and "PyTorch refuses 'same' for strided convolutions" in err


def test_render_html_writes_one_page_that_stands_alone(tmp_path, capsys):
    path = tmp_path / "fig.html"
    code, out, err = run(capsys, "render", "--mode", "conv", "-n", "5", "-k", "3", "-s", "2",
                         "-p", "1", "-o", str(path))
    assert code == 0 and not err and out == f"wrote {path} (9 frames)\n"
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and 'data-frames="9"' in page
    assert "<title>Padding, strides · convviz</title>" in page
    assert page.count('<polygon class="cell"') == 25 + 9           # every input, output cell
    assert "Dumoulin" in page and "MIT licence" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page.replace(
        'href="https://github.com/vdumoulin/conv_arithmetic"', ""))  # nothing loads from afar


def test_site_writes_an_index_and_a_page_per_figure(tmp_path, capsys):
    from convviz.gallery import PRESETS

    code, out, err = run(capsys, "site", str(tmp_path / "out"), "--duration-ms", "200")
    assert code == 0 and not err and out.endswith(f"and {len(PRESETS)} figure pages\n")
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted(["index.html"] + [f"{n}.{ext}" for n in PRESETS
                                             for ext in ("html", "png")])
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r"<h3><a href=\"(\w+)\.html\">", index) == list(PRESETS)


def test_site_into_a_file_is_one_line(tmp_path, capsys):
    (tmp_path / "taken").write_text("")
    code, _, err = run(capsys, "site", str(tmp_path / "taken"))
    assert code == 2 and err.startswith("convviz: error: cannot create") and err.count("\n") == 1


def test_site_writes_all_pages_or_none(tmp_path, capsys):
    """As ``gallery`` (issue #17 row 19): a name taken by a folder stops the site before any
    page is written."""
    (tmp_path / "index.html").mkdir()
    code, out, err = run(capsys, "site", str(tmp_path))
    assert code == 2 and "index.html" in err and "nothing was written" in err
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]


def test_shape_of_max_pooling_prints_todays_keys_with_the_window_as_stride(capsys):
    code, out, _ = run(capsys, "shape", "--mode", "maxpool", "-n", "5", "-k", "2", "--json")
    data = json.loads(out)
    assert code == 0 and data["output"] == [2, 2] and data["padding"] == [0, 0]
    assert data["formula"] == "m = ⌊(5 + 2·0 − 1·(2−1) − 1)/2 + 1⌋ = 2"
    assert data["torch"] == "nn.MaxPool2d(2)" and data["parameters"] == 0
    assert data["query"] == "mode=maxpool&n=5&k=2&s=2&p=0" and data["unread"] == [[4], [4]]


def test_shape_of_a_1d_convolution_gives_lengths(capsys):
    code, out, _ = run(capsys, "shape", "--mode", "conv1d", "-n", "8", "-k", "3", "--json")
    data = json.loads(out)
    assert code == 0 and data["output"] == [6] and data["output_shape"] == [1, 1, 6]
    assert data["input"] == [8] and data["padding"] == [0] and data["pads"] == [0, 0]
    code, out, _ = run(capsys, "shape", "--mode", "conv1d", "-n", "8", "-k", "3", "-p", "2",
                       "--causal")
    assert "output: 8  (shape (1, 1, 8), N = 1)" in out
    assert "nn.Sequential(nn.ZeroPad1d((2, 0)), nn.Conv1d(1, 1, kernel_size=3))" in out


def test_the_ceil_rule_is_stated_when_it_bites(capsys):
    code, out, _ = run(capsys, "shape", "--mode", "avgpool", "-n", "5", "-k", "2", "-p", "1",
                       "--ceil-mode", "--no-count-include-pad", "--divisor-override", "3")
    assert code == 0 and "in the right padding: m = 4 − 1 = 3" in out
    assert "nn.AvgPool2d(2, padding=1, ceil_mode=True, count_include_pad=False, " \
           "divisor_override=3)" in out and "output: 3 x 3" in out


@pytest.mark.parametrize("argv, frames", [
    (["--mode", "maxpool", "-n", "4", "-k", "2"], 4),
    (["--mode", "conv1d", "-n", "8", "-k", "3"], 6),
    (["--mode", "conv1d", "-n", "8", "-k", "3", "-p", "2", "--causal", "--style", "numbers"], 8),
    (["--mode", "avgpool1d", "-n", "7", "-k", "2", "--ceil-mode"], 4),
    (["--mode", "transposed1d", "-n", "3", "-k", "3", "-s", "2", "--view", "scatter"], 3),
])
def test_render_of_pooling_and_1d_modes(capsys, tmp_path, argv, frames):
    path = tmp_path / "f.gif"
    code, out, err = run(capsys, "render", *argv, "-o", str(path))
    assert code == 0 and not err and f"({frames} frames)" in out
    assert iio.imread(path, index=None).shape[0] == frames


@pytest.mark.parametrize("argv, words", [
    (["shape", "--mode", "maxpool", "-k", "2", "-p", "2"],
     "padding must be <= kernel_size // 2 = 1, got 2"),
    (["shape", "--mode", "conv1d", "-n", "5,7"], "input_size must be an int (one length)"),
    (["shape", "--mode", "avgpool1d", "--divisor-override", "2"],
     "divisor_override must be None outside avgpool mode, got 2"),
    (["shape", "--ceil-mode"], "ceil_mode must be False in conv mode, got True"),
    (["render", "--mode", "maxpool", "-k", "2", "--kernel", "sobel_x", "-o", "x.gif"],
     "mode maxpool has no weights"),
])
def test_bad_pooling_and_1d_input_is_one_line_and_exit_2(capsys, argv, words):
    code, out, err = run(capsys, *argv)
    assert code == 2 and not out and words in err and err.count("\n") == 1


def test_gallery_writes_the_pooling_and_1d_figures(capsys, tmp_path):
    assert main(["gallery", str(tmp_path)]) == 0
    for name, frames in (("max_pooling", 4), ("avg_pooling", 9), ("conv1d", 6),
                         ("causal_conv1d", 8)):
        assert iio.imread(tmp_path / f"{name}.gif", index=None).shape[0] == frames


def test_filter_refuses_a_kernel_for_pooling_in_one_line(capsys):
    image = Path(__file__).resolve().parent.parent / "assets" / "camera.png"
    code, out, err = run(capsys, "filter", str(image), "--mode", "maxpool", "-k", "2",
                         "--kernel", "1,1;1,1", "-o", "x.npy")
    assert code == 2 and not out and err.count("\n") == 1
    assert "kernel is for a layer with weights, and mode 'maxpool' has none" in err


def test_quiz_writes_a_worksheet_and_its_answer_key(tmp_path, capsys):
    code, out, err = run(capsys, "quiz", "--level", "2", "--seed", "42", "--count", "10",
                         "-o", str(tmp_path / "sheet.pdf"))
    assert code == 0 and not err
    assert f"wrote {tmp_path / 'sheet.pdf'} (10 questions) and its answer key " \
           f"{tmp_path / 'sheet-answers.pdf'}" in out
    assert "the same set in the app: ?quiz=mix&level=2&seed=42" in out
    assert (tmp_path / "sheet.pdf").read_bytes()[:5] == b"%PDF-"
    assert (tmp_path / "sheet-answers.pdf").read_bytes()[:5] == b"%PDF-"
    code, out, _ = run(capsys, "quiz", "--kind", "cells", "--count", "2", "-o",
                       str(tmp_path / "c.pdf"), "--answers", str(tmp_path / "key.pdf"))
    assert code == 0 and (tmp_path / "key.pdf").is_file() and "?quiz=cells&level=1&seed=0" in out


@pytest.mark.parametrize("argv, message", [
    (["--level", "4"], "argument --level: level must be an int in 1..3, got '4'"),
    (["--count", "0"], "argument --count: count must be an int in 1..100, got '0'"),
    (["--kind", "sizes"], "argument --kind: invalid choice: 'sizes'"),
    (["-o", "sheet.gif"], "file suffix must be one of .pdf, got '.gif'"),
])
def test_quiz_refuses_bad_flags_in_one_line(tmp_path, capsys, argv, message):
    argv = argv if "-o" in argv else [*argv, "-o", str(tmp_path / "s.pdf")]
    code, out, err = run(capsys, "quiz", *argv)
    assert code == 2 and not out and message in err and len(err.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())
