"""Fingerprints of what an output file was built from, so a run rebuilds only the files whose inputs changed.

Used for the report files (reporting/fingerprints.py) and the per-district warehouse files (ingest/publish.py).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

STORE_NAME = ".fingerprints.json"


def content_hash(*parts: object) -> str:
    return hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()[:32]


class FingerprintStore:
    """<folder>/<name>: the fingerprint each file in the folder was last built (or verified) from, written
    atomically. A file that is missing is never current, whatever its recorded fingerprint."""

    def __init__(self, folder: Path, name: str = STORE_NAME):
        self.folder, self.path = folder, folder / name
        try:
            self.entries: dict[str, str] = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            self.entries = {}

    def _key(self, output: Path) -> str:
        return output.relative_to(self.folder).as_posix()  # relative: an installation may be moved

    def is_current(self, output: Path, fingerprint: str) -> bool:
        return self.entries.get(self._key(output)) == fingerprint and output.exists()

    def record(self, output: Path, fingerprint: str) -> None:
        self.entries[self._key(output)] = fingerprint

    def forget(self, output: Path) -> None:
        self.entries.pop(self._key(output), None)

    def save(self) -> None:
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(self.entries, indent=0, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)
