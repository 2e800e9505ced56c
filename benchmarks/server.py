"""A Streamlit server for the benchmarks, and what it costs: CPU seconds and resident memory,
read from ``/proc`` (Linux).

    server = Server(Path("app.py"))       # streamlit run on a free port of 127.0.0.1
    server.url, server.cpu_s(), server.rss_mb()
    server.stop()
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from socket import socket

ROOT = Path(__file__).resolve().parent.parent


class Server:
    """``streamlit run <script>`` on a free port of 127.0.0.1, with the app's config."""

    def __init__(self, script: Path) -> None:
        with socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.address",
             "127.0.0.1", "--server.port", str(self.port), "--server.headless", "true",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        self.log.seek(0)
        sys.exit(f"the server did not start:\n{self.log.read().decode(errors='replace')}")

    def cpu_s(self) -> float:
        """User + system CPU seconds the server has used (all its threads)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mb(self) -> float:
        """The server's resident memory, MB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
