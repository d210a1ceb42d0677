"""`uwh docs`: a browsable, offline page of every model and column (dbt docs, generated as one static file)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from core.config import DBT_PROJECT_DIR
from core.dbt_manifest import DBT_EXECUTABLE, dbt_env, dbt_vars


def write_schema_docs(published_db: Path, out_dir: Path) -> Path:
    """dbt reads the catalog from a copy of the published file, so analysts' read-only connections are untouched."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "catalog.duckdb"
        shutil.copyfile(published_db, copy)
        target = Path(tmp) / "target"
        result = subprocess.run(
            [
                DBT_EXECUTABLE,
                "docs",
                "generate",
                "--static",
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
                "--target-path",
                str(target),
                "--vars",
                dbt_vars(),
            ],
            env=dbt_env(UWH_WORK_DB=str(copy)),
            capture_output=True,
            text=True,
            cwd=DBT_PROJECT_DIR,
        )
        if result.returncode != 0:
            raise RuntimeError(f"dbt docs generate failed:\n{result.stdout[-2000:]}")
        page = out_dir / "index.html"
        shutil.copyfile(target / "static_index.html", page)
    return page
