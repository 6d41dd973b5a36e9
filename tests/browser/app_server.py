"""Start the app with `streamlit run` on a free localhost port, and the Chromium settings that work here.

Shared by the browser tests and the benchmarks that drive a real browser.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

from cnn import config

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# What works in this sandbox: no GPU, no sandboxing as root, no network beyond localhost.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_app(port: int, extra_env: dict | None = None) -> subprocess.Popen:
    """Start `streamlit run streamlit_app.py` on `port` and wait until it answers."""
    (config.PROJECT_DIR / "artifacts").mkdir(exist_ok=True)
    log = open(config.PROJECT_DIR / "artifacts" / f"streamlit-{port}.log", "w")  # noqa: SIM115 - lives as long as the server
    env = {**os.environ, **(extra_env or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=config.PROJECT_DIR, stdout=log, stderr=subprocess.STDOUT, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}; see {log.name}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError("streamlit did not start within 90 s")


def stop_app(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
