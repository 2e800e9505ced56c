"""``python -m convviz filter``: the raw map equals PyTorch's conv2d of Pillow's "L" conversion,
the printed size is the formula's, the PNG is the map as shown, and refusals are one line."""
from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest
from PIL import Image

from convviz import ConvSpec
from convviz.cli import main
from convviz.values import KERNEL_PRESETS

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"


def run(capsys, *argv):
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def gray(name: str) -> np.ndarray:
    with Image.open(ASSETS / name) as image:
        return np.asarray(image.convert("L"), dtype=np.float64)


@pytest.mark.parametrize("name", ["camera.png", "chelsea.png", "shapes.png"])
@pytest.mark.parametrize("flags, stride, dilation", [((), 1, 1), (("-s", "2"), 2, 1),
                                                     (("-d", "2"), 1, 2)])
def test_filter_equals_torch_conv2d_of_the_l_conversion(torch, capsys, tmp_path, name, flags,
                                                        stride, dilation):
    out = tmp_path / "out.npy"
    code, printed, err = run(capsys, "filter", ASSETS / name, "--kernel", "sobel_x", "-p", "1",
                             *flags, "-o", out)
    assert code == 0 and not err
    got = np.load(out)
    x = torch.from_numpy(gray(name)[None, None])
    w = torch.from_numpy(KERNEL_PRESETS["sobel_x"].astype(np.float64)[None, None])
    want = torch.nn.functional.conv2d(x, w, stride=stride, padding=1, dilation=dilation)
    assert got.dtype == np.float64 and got.shape == tuple(want.shape[2:])
    assert np.abs(got - want[0, 0].numpy()).max() <= 1e-9
    spec = ConvSpec(input_size=gray(name).shape, stride=stride, padding=1, dilation=dilation)
    assert f"feature map: {spec.output_size[0]} × {spec.output_size[1]}" in printed
    assert got.shape == spec.output_size
    assert printed.splitlines()[1].endswith(f"= {spec.output_size[0]}")     # the formula's


def test_rgb_gives_channels_first_and_equals_torch(torch, capsys, tmp_path):
    out = tmp_path / "dw.npy"
    code, printed, _ = run(capsys, "filter", ASSETS / "chelsea.png", "--kernel", "laplacian",
                           "--rgb", "--mode", "depthwise", "-p", "1", "-o", out)
    got = np.load(out)
    with Image.open(ASSETS / "chelsea.png") as image:
        rgb = np.asarray(image.convert("RGB"), dtype=np.float64).transpose(2, 0, 1)
    w = np.broadcast_to(KERNEL_PRESETS["laplacian"], (3, 1, 3, 3)).astype(np.float64)
    want = torch.nn.functional.conv2d(torch.from_numpy(rgb[None]), torch.from_numpy(w),
                                      padding=1, groups=3)[0].numpy()
    assert code == 0 and got.shape == (3, 300, 451) and np.abs(got - want).max() <= 1e-9
    assert "nn.Conv2d(3, 3, kernel_size=3, padding=1, groups=3)" in printed
    code, _, _ = run(capsys, "filter", ASSETS / "chelsea.png", "--kernel", "sobel_x", "--rgb",
                     "-o", out)
    assert code == 0 and np.load(out).shape == (1, 298, 449)        # one map of three


@pytest.mark.parametrize("flags, function, arguments", [
    ("--mode maxpool -k 2", "max_pool2d", {"kernel_size": 2}),
    ("--mode maxpool -k 3 -s 2 -p 1 -d 2 --ceil-mode", "max_pool2d",
     {"kernel_size": 3, "stride": 2, "padding": 1, "dilation": 2, "ceil_mode": True}),
    ("--mode avgpool -k 3 -s 2 -p 1 --no-count-include-pad --ceil-mode", "avg_pool2d",
     {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True,
      "count_include_pad": False}),
    ("--mode avgpool -k 2 --divisor-override 3", "avg_pool2d",
     {"kernel_size": 2, "divisor_override": 3}),
])
def test_pooling_an_image_equals_torch(torch, capsys, tmp_path, flags, function, arguments):
    out = tmp_path / "out.npy"
    code, printed, err = run(capsys, "filter", ASSETS / "shapes.png", *flags.split(), "-o", out)
    assert code == 0 and not err
    x = torch.from_numpy(gray("shapes.png")[None, None])
    want = getattr(torch.nn.functional, function)(x, **arguments)[0, 0].numpy()
    got = np.load(out)
    assert got.shape == want.shape and np.abs(got - want).max() <= 1e-9
    assert f"feature map: {got.shape[0]} × {got.shape[1]}" in printed
    assert ("nn.MaxPool2d(" if function == "max_pool2d" else "nn.AvgPool2d(") in printed


def test_a_custom_kernel_takes_its_own_size(capsys, tmp_path):
    out = tmp_path / "k.npy"
    code, printed, _ = run(capsys, "filter", ASSETS / "shapes.png", "--kernel", "1,-1", "-o", out)
    assert code == 0 and np.load(out).shape == (320, 479)
    assert "kernel_size=(1, 2)" in printed
    assert np.array_equal(np.load(out), gray("shapes.png")[:, :-1] - gray("shapes.png")[:, 1:])


def test_the_png_is_the_map_in_its_stated_colours(capsys, tmp_path):
    out = tmp_path / "map.png"
    code, printed, _ = run(capsys, "filter", ASSETS / "camera.png", "--kernel", "sobel_y",
                           "-s", "2", "-p", "1", "-o", out)
    assert code == 0
    image = iio.imread(out)
    assert image.ndim == 3 and image.shape[0] > 256 and image.shape[1] >= 256 + 16
    assert re.search(r"colours: blue below 0, white at 0, red above; the ends are −\d+ and \d+",
                     printed)
    assert f"wrote {out}" in printed


def test_a_large_image_is_downscaled_and_says_so(capsys, tmp_path):
    path = tmp_path / "wide.jpg"
    Image.new("RGB", (2000, 1000), "gray").save(path)
    code, printed, _ = run(capsys, "filter", path, "--kernel", "box_blur", "--max-side", "256",
                           "-o", tmp_path / "w.npy")
    assert code == 0 and np.load(tmp_path / "w.npy").shape == (126, 254)
    assert "downscaled from 1000 x 2000 to 128 x 256" in printed.splitlines()[0]


def bomb() -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


@pytest.mark.parametrize("setup, argv, words", [
    (None, ["--kernel", "sobel_x", "-o", "x.gif"], "file suffix must be one of .npy, .png"),
    (None, ["--kernel", "sobel_z", "-o", "x.npy"], "kernel must be one of identity"),
    (None, ["--kernel", "sobel_x", "-k", "5", "-o", "x.npy"], "kernel_size must be 3 for"),
    (None, ["--kernel", "sobel_x", "-s", "0", "-o", "x.npy"], "stride must be >= 1, got 0"),
    (None, ["--kernel", "sobel_x", "--mode", "separable", "-o", "x.npy"],
     "mode 'separable' runs 2 convolutions"),
    (None, ["--kernel", "sobel_x", "--max-side", "0", "-o", "x.npy"],
     "argument --max-side: max_side must be"),
    (b"not an image at all", ["--kernel", "sobel_x", "-o", "x.npy"],
     "in.png is not a PNG, JPEG, WebP or GIF image"),
    (bomb, ["--kernel", "sobel_x", "-o", "x.npy"], "in.png must have at most 40,000,000"),
    (lambda: (ASSETS / "camera.png").read_bytes()[:30_000],
     ["--kernel", "sobel_x", "-o", "x.npy"], "in.png is truncated or damaged"),
    (None, ["--mode", "maxpool", "--kernel", "sobel_x", "-o", "x.npy"],
     "kernel is for a layer with weights, and mode 'maxpool' has none"),
    (None, ["-o", "x.npy"], "kernel (--kernel) is needed for mode 'conv'"),
    (None, ["--mode", "conv1d", "--kernel", "1,2,1", "-o", "x.npy"],
     "mode 'conv1d' works on sequences"),
    (None, ["--mode", "avgpool", "--ceil-mode", "-k", "2", "-s", "2", "-p", "2", "-o", "x.npy"],
     "padding must be"),
])
def test_refusals_are_one_line_exit_2_and_leave_no_file(capsys, tmp_path, monkeypatch, setup,
                                                        argv, words):
    monkeypatch.chdir(tmp_path)
    image = ASSETS / "camera.png"
    if setup is not None:
        image = tmp_path / "in.png"
        image.write_bytes(setup() if callable(setup) else setup)
    code, out, err = run(capsys, "filter", image, *argv)
    assert code == 2 and not out and f"convviz: error: {words}" in err and err.count("\n") == 1
    assert not list(tmp_path.glob("x.*"))


def test_python_dash_m_filter_runs_without_a_traceback(tmp_path):
    result = subprocess.run([sys.executable, "-m", "convviz", "filter", "assets/shapes.png",
                             "--kernel", "sobel_x", "-p", "1", "-o", str(tmp_path / "s.png")],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0 and "feature map: 320 × 480" in result.stdout
    bad = subprocess.run([sys.executable, "-m", "convviz", "filter", "assets/missing.png",
                          "--kernel", "sobel_x", "-o", str(tmp_path / "s.npy")],
                         capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
