"""dagster-dbt needs target/manifest.json; it is produced by `dbt parse`, never written by hand."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from core.config import DBT_PROJECT_DIR

DBT_ENV = {"DBT_SEND_ANONYMOUS_USAGE_STATS": "False", "DO_NOT_TRACK": "1"}
# the dbt of this environment, found without relying on PATH (cron, the Dagster daemon and `make` differ)
DBT_EXECUTABLE = str(Path(sys.executable).with_name("dbt"))


def dbt_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, **DBT_ENV, **extra}
    env.setdefault("UWH_WORK_DB", str(DBT_PROJECT_DIR / "target" / "parse-only.duckdb"))
    return env


def _stale(manifest: Path) -> bool:
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    sources = [
        p
        for p in DBT_PROJECT_DIR.rglob("*")
        if p.suffix in {".sql", ".yml", ".csv"} and "target" not in p.parts and "logs" not in p.parts
    ]
    return any(p.stat().st_mtime > built for p in sources)


def ensure_manifest(manifest: Path) -> Path:
    if _stale(manifest):
        subprocess.run(
            [
                DBT_EXECUTABLE,
                "parse",
                "--quiet",
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
            ],
            check=True,
            env=dbt_env(),
            cwd=DBT_PROJECT_DIR,
        )
    return manifest
