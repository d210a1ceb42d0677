"""Debian's chromium driven by Debian's chromedriver (no download), headless; and a free local port."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
HAVE_BROWSER = CHROMIUM is not None and shutil.which("chromedriver") is not None
NO_BROWSER = "Debian chromium/chromium-driver not installed (make test installs them as root)"


def chrome(profile: Path, *, width: int = 1366, height: int = 768):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
    ):
        options.add_argument(flag)
    options.binary_location = CHROMIUM
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
