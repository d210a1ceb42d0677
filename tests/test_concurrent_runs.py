"""Runs at the same time: a second `uwh run` is told in Chinese who is writing and since when (not DuckDB's raw lock
error), `uwh submit` during a run lands the file for the run to take in, `uwh history` still answers — all against a
real second process holding the work file."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from intake import warehouse
from union_warehouse.cli import main

HOLD = """
import sys, time, duckdb
from pathlib import Path
from intake.work_lock import work_lock
db = Path(sys.argv[1])
with work_lock(db, wait=False, who="uwh run"):
    con = duckdb.connect(str(db))           # the writer DuckDB itself locks
    print("holding", flush=True)
    sys.stdin.readline()
    con.close()
"""


@pytest.fixture()
def running(tmp_path, monkeypatch):
    """A real other process that holds the run lock and the work file, as a run in progress does."""
    monkeypatch.setenv("UWH_HOME", str(tmp_path))
    work_db = tmp_path / ".work" / "city.duckdb"
    warehouse.connect(work_db).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(work_db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "holding"
    yield tmp_path
    holder.stdin.write("\n")
    holder.stdin.close()
    holder.wait(timeout=30)


def test_a_second_run_is_refused_with_who_and_since_when(running, capsys):
    assert main(["run"]) == 1
    err = capsys.readouterr().err
    assert "另一次运行正在写入数据仓库" in err and "uwh run" in err and "进程" in err
    assert "Could not set lock" not in err


def test_submit_during_a_run_lands_the_file_for_the_run(running, tmp_path, capsys):
    report = tmp_path / "报告.txt"
    report.write_text("珠晖区总工会2022年度部门整体支出绩效报告\n部门整体支出为107.70万元。", encoding="utf-8")
    assert main(["submit", str(report), "--district", "430405", "--year", "2022"]) == 0
    out = capsys.readouterr().out
    assert "已放入接收目录" in out and "自动处理" in out
    assert (running / "landing" / "2022" / "430405" / "报告.txt").exists()


def test_history_answers_during_a_run(running, capsys):
    started = time.monotonic()
    code = main(["history", "--district", "430405", "--year", "2022"])
    assert code in (0, 1) and time.monotonic() - started < 30
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and ("运行正在进行" in captured.out + captured.err)
