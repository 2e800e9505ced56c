"""Shared fixtures: the optional PyTorch oracle, hypothesis profiles, the shared references.

Optional parts skip with a reason that starts with a tag ("needs torch", "needs chromium").
CI sets CONVVIZ_REQUIRE_TORCH / CONVVIZ_REQUIRE_BROWSER, and then such a skip is a failure.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile("ci", max_examples=500, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REQUIRED = {"needs torch": "CONVVIZ_REQUIRE_TORCH", "needs chromium": "CONVVIZ_REQUIRE_BROWSER"}


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
def shared() -> Path:
    """The team's ../shared folder (reference figures, seed note), or a skip."""
    if not SHARED.is_dir():
        pytest.skip(f"needs ../shared: {SHARED} is absent on this machine")
    return SHARED
