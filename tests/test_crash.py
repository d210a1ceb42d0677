"""A crash must not stop the schedule: `kill -9` of a real `uwh run` in the middle of its work, then the next run.

The next run completes and publishes; the dead run is marked failed (the one-run queue moves again); nothing the
dead run started is still running; no half-written file is left; every submission has its receipt."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from core.config import PROJECT_ROOT, Layout
from orchestration.recovery import RUN_PID_TAG, fail_dead_runs
from union_warehouse.demo import land_samples

pytestmark = pytest.mark.e2e


def _uwh_run(home: Path, dagster_home: Path) -> subprocess.Popen:
    env = {**os.environ, "UWH_HOME": str(home), "DAGSTER_HOME": str(dagster_home)}
    return subprocess.Popen(
        [str(Path(sys.executable).with_name("uwh")), "run"],
        env=env,
        cwd=home,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


def test_kill_9_mid_run_then_the_next_run_completes(tmp_path):
    home, dagster_home = tmp_path / "home", tmp_path / "dagster"
    layout = Layout(home).ensure()
    land_samples(layout.landing)
    dagster_home.mkdir()
    shutil.copy(PROJECT_ROOT / "dagster_home" / "dagster.yaml", dagster_home / "dagster.yaml")
    # create the instance's SQLite storages before the run does: two processes creating the same fresh storage at once
    # both stamp its alembic_version, and every later open of it fails ("more than one head")
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        instance.get_runs(limit=1)
        instance.all_instigator_state()
        instance.fetch_materializations(dg.AssetKey("any"), limit=1)

    first = _uwh_run(home, dagster_home)
    # kill it once it is inside the run: the ingest step has tagged the run with its process
    deadline = time.monotonic() + 240
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        while time.monotonic() < deadline:
            runs = instance.get_runs(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))
            if any(RUN_PID_TAG in r.tags for r in runs):
                break
            assert first.poll() is None, first.stdout.read()
            time.sleep(0.5)
        time.sleep(2)  # well inside intake or dbt
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
        (dead,) = instance.get_runs(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))

    second = _uwh_run(home, dagster_home)
    out, _ = second.communicate(timeout=900)
    assert second.returncode == 0, out[-3000:]
    assert layout.published_db.exists() and "report" in out

    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        assert instance.get_run_by_id(dead.run_id).status == dg.DagsterRunStatus.FAILURE  # the queue can move
        assert fail_dead_runs(instance) == []
        assert not instance.get_runs(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))
    assert not _group_alive(first.pid)  # nothing the dead run started still runs
    assert not list(layout.warehouse.rglob(".*.tmp")) and not list(layout.landing.rglob(".*.tmp"))
    submitted = {p.name for p in layout.landing.rglob("*") if p.is_file()}
    assert len(submitted) >= 35
    receipts = list(layout.receipts.glob("*.txt"))
    assert len(receipts) >= len(submitted)  # every submission has its 回执
