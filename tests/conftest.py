"""Shared fixtures: the optional oracles (PyTorch, JAX, ONNX Runtime), hypothesis profiles, the
shared references.

Optional parts skip with a reason that starts with a tag ("needs torch", "needs chromium").
The browser tests get Debian's Chromium through pytest-playwright and a Streamlit server that
the session starts on a free port.
CI sets CONVVIZ_REQUIRE_TORCH / CONVVIZ_REQUIRE_BROWSER / CONVVIZ_REQUIRE_ORACLES (JAX and
ONNX Runtime), and then such a skip is a failure.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile("ci", max_examples=500, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REQUIRED = {"needs torch": "CONVVIZ_REQUIRE_TORCH", "needs chromium": "CONVVIZ_REQUIRE_BROWSER",
            "needs jax": "CONVVIZ_REQUIRE_ORACLES", "needs onnxruntime": "CONVVIZ_REQUIRE_ORACLES",
            "needs keras": "CONVVIZ_REQUIRE_ORACLES"}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Turn a skip tagged with a required part into a failure (CI)."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and isinstance(report.longrepr, tuple):
        reason = str(report.longrepr[2])
        for tag, variable in REQUIRED.items():
            if tag in reason and os.environ.get(variable):
                report.outcome = "failed"
                report.longrepr = f"{variable} is set, but the test skipped: {reason}"


@pytest.fixture(scope="session")
def torch():
    """The PyTorch module (2 threads), or a skip tagged 'needs torch'."""
    module = pytest.importorskip(
        "torch", reason="needs torch: PyTorch is not installed, so the comparison with it is "
                        "skipped (pip install -r requirements-torch.txt)")
    module.set_num_threads(2)
    return module


@pytest.fixture(scope="session")
def jax():
    """JAX on the CPU in float64 (the TensorFlow/Keras/JAX oracle), or a skip tagged
    'needs jax'."""
    module = pytest.importorskip(
        "jax", reason="needs jax: JAX is not installed, so the comparison with TensorFlow's "
                      "padding rule is skipped (pip install -r requirements-oracles.txt)")
    module.config.update("jax_enable_x64", True)
    module.config.update("jax_platforms", "cpu")
    return module


@pytest.fixture(scope="session")
def onnxruntime():
    """ONNX Runtime and onnx (one-node models built in the test), or a skip tagged
    'needs onnxruntime'."""
    reason = ("needs onnxruntime: ONNX Runtime or onnx is not installed, so the comparison "
              "with ONNX's auto_pad is skipped (pip install -r requirements-oracles.txt)")
    pytest.importorskip("onnx", reason=reason)
    return pytest.importorskip("onnxruntime", reason=reason)


@pytest.fixture(scope="session")
def keras(jax):
    """Keras 3 on the JAX backend (it runs the Keras lines convviz writes), or a skip tagged
    'needs keras'."""
    os.environ["KERAS_BACKEND"] = "jax"
    return pytest.importorskip(
        "keras", reason="needs keras: Keras is not installed, so the Keras lines are not run "
                        "(pip install -r requirements-oracles.txt)")


@pytest.fixture(scope="session")
def shared() -> Path:
    """The team's ../shared folder (reference figures, seed note), or a skip."""
    if not SHARED.is_dir():
        pytest.skip(f"needs ../shared: {SHARED} is absent on this machine")
    return SHARED


# ---- the real browser and the Streamlit server (tests/test_browser.py, tests/test_player.py) --
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium, or a skip tagged 'needs chromium' (before Playwright launches)."""
    if not CHROMIUM.is_file():
        pytest.skip(f"needs chromium: {CHROMIUM} is absent (apt-get install chromium), so the "
                    f"real-browser tests are skipped")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser_type_launch_args(chromium: Path) -> dict:
    """pytest-playwright launches Debian's Chromium, headless; never a downloaded browser."""
    return {"executable_path": str(chromium), "args": CHROMIUM_ARGS}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def app_url(chromium: Path, tmp_path_factory) -> Iterator[str]:
    """``streamlit run app.py`` on a free port of 127.0.0.1, stopped at the session's end."""
    port = _free_port()
    log_path = tmp_path_factory.mktemp("streamlit") / "server.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
             "--server.address", "127.0.0.1", "--server.port", str(port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, server, log_path)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_healthy(url: str, server: subprocess.Popen, log_path: Path,
                  timeout_s: float = 60) -> None:
    """Return once ``/_stcore/health`` answers ok; fail with the server's log otherwise."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"the Streamlit server did not come up at {url}:\n"
                f"{log_path.read_text(errors='replace')[-3000:]}")
