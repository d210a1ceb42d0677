"""A file uploaded for checking waits here until its clerk confirms it (or a day passes).

<home>/portal_data/staging/<random token><suffix by content> and <token>.json; nothing a user typed is ever part of a path.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from intake.file_types import suffix_by_content
from intake.landing import sha256_of

KEEP_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


@dataclass(frozen=True)
class Staged:
    token: str
    username: str
    district_code: str
    year: int
    claimed_name: str  # as the clerk's computer named it: shown, never used as a path
    suffix: str
    sha256: str
    size: int

    def path(self, staging: Path) -> Path:
        return staging / f"{self.token}{self.suffix}"


def stage(staging: Path, data: bytes, claimed_name: str, *, username: str, district_code: str, year: int) -> Staged:
    """Raises intake.file_types.NotAllowed (Chinese) for content that is no report type."""
    suffix = suffix_by_content(data, claimed_name)
    staging.mkdir(parents=True, exist_ok=True)
    _forget_old(staging)
    staged = Staged(
        secrets.token_urlsafe(24),
        username,
        district_code,
        year,
        claimed_name[-200:],
        suffix,
        sha256_of(data),
        len(data),
    )
    staged.path(staging).write_bytes(data)
    (staging / f"{staged.token}.json").write_text(json.dumps(asdict(staged), ensure_ascii=False), encoding="utf-8")
    return staged


def staged(staging: Path, token: str, *, username: str, district_code: str, year: int) -> Staged | None:
    """The upload behind a token, only for the clerk, district and year it was checked for."""
    if not _TOKEN.match(token):
        return None
    meta = staging / f"{token}.json"
    if not meta.exists():
        return None
    found = Staged(**json.loads(meta.read_text(encoding="utf-8")))
    if (found.username, found.district_code, found.year) != (username, district_code, year):
        return None
    return found if found.path(staging).exists() else None


def discard(staging: Path, found: Staged) -> None:
    found.path(staging).unlink(missing_ok=True)
    (staging / f"{found.token}.json").unlink(missing_ok=True)


def _forget_old(staging: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    for path in staging.iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


@dataclass(frozen=True)
class ProgressFile:
    """Where the examining worker (another process) says which page of a scan it is reading: "3/20"."""

    path: Path

    def __call__(self, page: int, pages: int) -> None:
        part = self.path.with_name(self.path.name + ".part")
        part.write_text(f"{page}/{pages}", encoding="utf-8")
        os.replace(part, self.path)

    def read(self) -> tuple[int, int] | None:
        try:
            page, pages = self.path.read_text(encoding="utf-8").split("/")
            return int(page), int(pages)
        except (OSError, ValueError):
            return None


def progress_file(staging: Path, staged: Staged) -> ProgressFile:
    return ProgressFile(staging / f"{staged.token}.progress")
