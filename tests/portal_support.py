"""A published installation for the portal's tests: the bundled samples without 珠晖区's 2022 report (the clerk
uploads it in the tests), taken in and published by a real `uwh run`, with the demo accounts."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient

from core.config import Layout
from core.settings import PROJECT_ROOT, Settings
from portal.app import create_app
from portal.demo_accounts import ensure_demo_accounts
from union_warehouse.demo import land_samples

ZHUHUI, YANFENG = "430405", "430406"
ZHUHUI_2022 = Path(__file__).resolve().parent / "fixtures" / "corpus" / "000_9080c3ed6720e0e2.txt"
UWH = str(Path(sys.executable).with_name("uwh"))


@dataclass
class Installation:
    layout: Layout
    env: dict[str, str]  # UWH_HOME and a private DAGSTER_HOME, for `uwh` subprocesses and the portal

    def uwh(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        return subprocess.run(
            [UWH, *args], env=self.env, capture_output=True, text=True, timeout=timeout, cwd=PROJECT_ROOT
        )

    def client(self, **settings) -> TestClient:
        return TestClient(
            create_app(self.layout, Settings(home=self.layout.home, **settings)), base_url="http://127.0.0.1"
        )


def published_installation(root: Path, before_run: Callable[[Layout], None] | None = None) -> Installation:
    home, dagster_home = root / "home", root / "dagster"
    layout = Layout(home).ensure()
    dagster_home.mkdir()
    shutil.copy(PROJECT_ROOT / "dagster_home" / "dagster.yaml", dagster_home / "dagster.yaml")
    land_samples(layout.landing)
    for landed in (layout.landing / "2022" / ZHUHUI).iterdir():
        landed.unlink()
    if before_run is not None:
        before_run(layout)  # what a test changes of the landed samples
    env = {**os.environ, "UWH_HOME": str(home), "DAGSTER_HOME": str(dagster_home)}
    installation = Installation(layout, env)
    run = installation.uwh("run")
    assert run.returncode == 0, run.stderr[-3000:]
    ensure_demo_accounts(layout)
    return installation


def log_in(client: TestClient, username: str, password: str) -> str:
    """Logs the client in; returns the session's CSRF token (from the page the login lands on)."""
    page = client.get("/login")
    token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
    landed = client.post("/login", data={"username": username, "password": password, "token": token, "next": ""})
    assert landed.status_code == 200, landed.text[:500]
    return csrf_of(landed.text)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


@contextmanager
def serving(installation: Installation) -> Iterator[str]:
    """`uwh portal` on a free port of 127.0.0.1 for the installation; yields its address, stops it after."""
    from tests.browser import free_port

    port = free_port()
    server = subprocess.Popen([UWH, "portal", "--port", str(port)], env=installation.env, start_new_session=True)
    address = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(f"{address}/login", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        server.kill()
        raise RuntimeError("uwh portal did not start")
    try:
        yield address
    finally:
        server.terminate()
        server.wait(timeout=20)
