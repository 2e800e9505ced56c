"""The worst inputs of issue #17, run as a user runs them: ``python -m convviz`` (or a library
call) in a fresh process under a 300 MB address-space limit, watched for CPU time and peak
memory. Each must end in one line and exit 2 (or, where the input is fine, succeed) within
1 s of CPU and 300 MB; before, they took up to 40 s and 10 GB, or ended in a traceback.

The limits are real (``resource.setrlimit`` for the child), and the CPU time and peak memory
come from the kernel's accounting of the child (``getrusage``), so a busy machine slows the
wall clock but not the verdict.
"""
from __future__ import annotations

import compileall
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIMIT_MB = 300
CPU_S = 1.0
V16 = ";".join([",".join(["-1234567.891"] * 16)] * 16)


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    cpu_s: float
    peak_mb: float


WRAPPER = """
import json, resource, subprocess, sys
resource.setrlimit(resource.RLIMIT_AS, (LIMIT_MB * 2 ** 20, resource.RLIM_INFINITY))
resource.setrlimit(resource.RLIMIT_CPU, (20, 30))
code = subprocess.call(sys.argv[1:])
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open("usage.json", "w") as out:
    json.dump({"code": code, "cpu_s": usage.ru_utime + usage.ru_stime,
               "peak_mb": usage.ru_maxrss / 1024}, out)
""".replace("LIMIT_MB", str(LIMIT_MB))
"""Runs a command under the limits and writes its exit code, CPU time and peak memory. A
small process of its own starts it: a child forked straight from pytest would count
pytest's hundreds of MB in its peak memory."""


@pytest.fixture(scope="module", autouse=True)
def compiled():
    """Bytecode for every module first: on a fresh clone the first import of each module
    compiles it, and that one-off cost is not the command's."""
    compileall.compile_dir(ROOT / "convviz", quiet=1)


def run_limited(argv: list[str], cwd: Path, timeout_s: float = 60) -> Run:
    """``argv`` under the limits; its exit code, output, CPU seconds and peak resident MB."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        done = subprocess.run([sys.executable, "-c", WRAPPER, *argv], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{argv} still ran after {timeout_s} s")
    usage = json.loads((cwd / "usage.json").read_text())
    (cwd / "usage.json").unlink()
    return Run(usage["code"], done.stdout, done.stderr, usage["cpu_s"], usage["peak_mb"])


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "convviz", *args]


def library(call: str) -> list[str]:
    """A library call, its ConvVizError printed as the CLI prints one (exit 2)."""
    code = ("import sys, numpy as np\nfrom convviz import ConvVizError, ConvSpec, View, views\n"
            "from convviz.ops import engine\ntry:\n    " + call + "\nexcept ConvVizError as e:\n"
            "    print(f'convviz: error: {e}', file=sys.stderr)\n    sys.exit(2)\n")
    return [sys.executable, "-c", code]


REFUSED = {
    "row 1: a billion cells, still": cli("render", "-n", "1000000000", "-k", "1", "-o", "x.png"),
    "row 1: one frame past the frame cap": cli("render", "-n", "1", "-k", "1", "-p", "100000",
                                               "-s", "100000", "-o", "x.gif"),
    "10 GB of grid": cli("render", "-n", "100000", "-k", "100000", "-o", "x.gif"),
    "0.8 s of grid": cli("render", "-n", "3000", "-k", "2999", "-o", "x.gif"),
    "row 2: 1000 cells": cli("render", "-n", "1000", "-k", "1", "-o", "x.png"),
    "row 2: transposed k 150": cli("render", "--mode", "transposed", "-n", "1", "-k", "150",
                                   "-o", "x.png"),
    "row 2: numbers 20000": cli("render", "-n", "20000", "-k", "1", "--style", "numbers",
                                "-o", "x.gif"),
    "row 3: 20-digit padding": cli("shape", "--json", "-n", "10", "-p", "9" * 20),
    "row 5: GIF duration": cli("render", "-o", "x.gif", "--duration-ms", "655360"),
    "row 5: MP4 duration": cli("render", "--duration-ms", "99999999999", "-o", "x.mp4"),
    "row 14: --frame 99": cli("render", "--frame", "99", "-o", "x.png"),
    "row 14: --max-frames for a still": cli("render", "--max-frames", "1", "-o", "x.png"),
    "row 14: --duration-ms for a still": cli("render", "--duration-ms", "500", "-o", "x.png"),
    "row 14: --frame for an animation": cli("render", "--frame", "3", "-o", "x.gif"),
    "a kernel for 10**10 channel pairs": cli("render", "--in-channels", "100000",
                                             "--out-channels", "100000", "-k", "2", "--kernel",
                                             "1,0;0,1", "-o", "x.png"),
    "a million depthwise channels": cli("render", "--mode", "depthwise", "--in-channels",
                                        "1000000", "-o", "x.gif"),
    "values beyond float": cli("render", "-n", "2", "-k", "1", "--values", "1e400,1;1,1",
                               "-o", "x.png"),
    "an int beyond int64 and float": cli("render", "-n", "1", "-k", "1", "--values",
                                         "99999999999999999999", "-o", "x.png"),
    "row 16: stride 10**9": library("engine.conv_transpose2d(np.ones((1, 1, 3, 3)), "
                                    "np.ones((1, 1, 1, 1)), stride=10 ** 9)"),
    "row 17: padding 10**6": library("engine.conv2d(np.ones((1, 1, 1, 1)), "
                                     "np.ones((1, 1, 1, 1)), padding=10 ** 6)"),
    "random values for a huge spec": library(
        "View(ConvSpec(input_size=10 ** 6, kernel_size=1), style='numbers').numbers"
        ".sample(ConvSpec(input_size=10 ** 6, kernel_size=1))"),
}


@pytest.mark.parametrize("name", REFUSED)
def test_the_worst_inputs_end_in_one_line_and_exit_2_quickly_and_small(name, tmp_path):
    result = run_limited(REFUSED[name], tmp_path)
    assert result.code == 2, result.stderr[-2000:]
    assert result.stderr.startswith("convviz: error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert result.cpu_s < CPU_S, f"{result.cpu_s:.2f} s of CPU"
    assert result.peak_mb < LIMIT_MB and list(tmp_path.glob("x*")) == []


BOUNDED = {
    "row 3: shape of a billion cells": (cli("shape", "--json", "-n", "1000000000", "-k", "1"),
                                        CPU_S),
    "row 3: shape of a huge kernel": (cli("shape", "--json", "-n", "1000", "-k", "1000000000",
                                          "-p", "500000000", "-s", "3"), CPU_S),
    "row 16: stride 1000": (library("engine.conv_transpose2d(np.ones((1, 1, 3, 3)), "
                                    "np.ones((1, 1, 1, 1)), stride=1000)"), CPU_S),
    "row 4: an 80 x 80 grid as SVG": (cli("render", "-n", "80", "-k", "1", "-o", "x.svg"), 5.0),
    "row 4: a 160 x 160 grid as PDF": (cli("render", "-n", "160", "-k", "1", "-o", "x.pdf"),
                                       5.0),
    "row 12: 16 x 16 wide numbers": (cli("render", "-n", "16", "-k", "1", "--style", "numbers",
                                         "--values", V16, "--kernel", "-0.000123", "-o",
                                         "x.gif"), 5.0),
}


@pytest.mark.parametrize("name", BOUNDED)
def test_large_but_valid_requests_stay_bounded(name, tmp_path):
    """Rows 3, 4, 12 and 16: answered, within bounds (4 and 12 draw many cells, so they get
    a few seconds of CPU; before, 41 s and 507 MB, and 20 s a page)."""
    argv, cpu_s = BOUNDED[name]
    result = run_limited(argv, tmp_path)
    assert result.code == 0 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.cpu_s < cpu_s, f"{result.cpu_s:.2f} s of CPU"
    assert result.peak_mb < LIMIT_MB


@pytest.mark.parametrize("sig, code, words", [(signal.SIGTERM, 143, "SIGTERM"),
                                              (signal.SIGINT, 130, "Ctrl-C")])
def test_an_interrupted_export_leaves_no_file_and_no_traceback(sig, code, words, tmp_path):
    """Row 6: ``timeout 6 ... -o x.mp4`` left a hidden partial ``.convviz-<hex>.mp4`` and
    Ctrl-C printed a KeyboardInterrupt traceback. The signal goes to the whole process group,
    as a terminal's Ctrl-C does."""
    child = subprocess.Popen(cli("render", "-n", "100", "-k", "1", "--max-frames", "100000",
                                 "-o", "x.mp4"), cwd=tmp_path, start_new_session=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)},
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".convviz-*.mp4")) and time.monotonic() < deadline:
        time.sleep(0.05)                                  # until the export is under way
    assert list(tmp_path.glob(".convviz-*.mp4")), "the export never started"
    os.killpg(child.pid, sig)
    out, err = child.communicate(timeout=30)
    assert child.returncode == code
    assert err == f"convviz: stopped by {words}; no partial file was left\n"
    time.sleep(0.2)                                       # ffmpeg, stopped with it
    assert list(tmp_path.iterdir()) == []
