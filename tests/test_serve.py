"""`uwh serve`: the Dagster UI comes up on 127.0.0.1 with our definitions and shuts down cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_starts_and_stops_cleanly(tmp_path):
    port = free_port()
    dagster_home = tmp_path / "dagster"
    dagster_home.mkdir()
    (dagster_home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    env = {**os.environ, "UWH_HOME": str(tmp_path), "DAGSTER_HOME": str(dagster_home)}
    uwh = Path(sys.executable).with_name("uwh")
    proc = subprocess.Popen(
        [str(uwh), "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline, body = time.monotonic() + 120, None
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2) as response:
                    body = response.read().decode()
            except OSError:
                time.sleep(1)
        assert body and "dagster_webserver_version" in body
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        stopped_after = time.monotonic() - started
        assert stopped_after < 20, f"uwh serve took {stopped_after:.0f} s to stop"
        # nothing of it is left: the port is free and no dagster process of this port survives
        with socket.socket() as s:  # no one listens on it any more (TIME_WAIT of our own requests aside)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", port))
            s.listen()
        left = subprocess.run(["pgrep", "-f", f"--port {port}"], capture_output=True, text=True).stdout.split()
        assert left == []
    finally:
        if proc.poll() is None:
            proc.kill()
