"""How dbt is run for an installation: the executable of this environment, a telemetry-free environment, and the
installation's own profile (its work file's path written into it, so nothing has to set os.environ at run time).
The manifest dagster-dbt loads is produced by `dbt parse` (`make bootstrap`; `DbtProject.prepare_if_dev` under
`dagster dev`), never written by hand."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from core.config import DBT_PROJECT_DIR

DBT_ENV = {"DBT_SEND_ANONYMOUS_USAGE_STATS": "False", "DO_NOT_TRACK": "1"}
# the dbt of this environment, found without relying on PATH (cron, the Dagster daemon and `make` differ)
DBT_EXECUTABLE = str(Path(sys.executable).with_name("dbt"))


def dbt_vars() -> str:
    """What dbt is told by --vars: the Chinese labels of core.labels (one table for Python and SQL) and whether the
    city's sums take figures the city has not reviewed (Settings.sum_unreviewed)."""
    from core.labels import DISTRICT_YEAR_ZH, REVIEW_STATE_ZH
    from core.settings import installation_settings

    return json.dumps(
        {
            "district_year_zh": DISTRICT_YEAR_ZH,
            "review_state_zh": {str(k): v for k, v in REVIEW_STATE_ZH.items()},
            "sum_unreviewed": installation_settings().sum_unreviewed,
        },
        ensure_ascii=False,
    )


def dbt_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, **DBT_ENV, **extra}
    env.setdefault("UWH_WORK_DB", str(DBT_PROJECT_DIR / "target" / "parse-only.duckdb"))
    return env


PROFILE = """union_warehouse:
  target: work
  outputs:
    work:
      type: duckdb
      path: "{work_db}"
      schema: main
      threads: 2
"""


def installation_profile(work_db: Path) -> Path:
    """The folder of a profile whose one target is this installation's work file (rewritten when it differs)."""
    folder = work_db.parent / "dbt_profile"
    folder.mkdir(parents=True, exist_ok=True)
    text = PROFILE.format(work_db=work_db.resolve().as_posix())
    target = folder / "profiles.yml"
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return folder
