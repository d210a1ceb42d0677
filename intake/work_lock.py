"""One writer of the work file at a time, across processes: `uwh run`, a scheduled or sensor run, `uwh submit`.

DuckDB lets one process write a file and answers a second with a raw "Could not set lock on file". The lock here is
taken first (an advisory `flock` beside the work file), so a second run is told in Chinese who holds it and since
when; the kernel drops it when its process dies, so a crashed run never leaves a stale lock. Within one process it is
re-entrant: `uwh run` holds it for the whole run and the run's steps, in the same process, pass.
"""

from __future__ import annotations

import fcntl
import os
import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

BEIJING = timezone(timedelta(hours=8))
_HELD: dict[str, int] = {}  # lock file → depth, for this process


class WorkBusy(RuntimeError):
    """Another process is writing the work file; the message says who and since when, in Chinese."""


def _lock_path(work_db: Path) -> Path:
    return work_db.parent / "work.lock"


@contextmanager
def work_lock(work_db: Path, *, wait: bool, who: str) -> Iterator[None]:
    path = _lock_path(work_db)
    key = str(path)
    if key in _HELD:
        _HELD[key] += 1
        try:
            yield
        finally:
            _HELD[key] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", errors="replace").strip() or "另一进程"
            raise WorkBusy(f"另一次运行正在写入数据仓库（{holder}），请等它结束后再试。") from None
        _end_what_a_dead_holder_left(os.pread(fd, 200, 0).decode("utf-8", errors="replace"))
        os.ftruncate(fd, 0)
        os.pwrite(
            fd,
            f"{who}，进程 {os.getpid()}，进程组 {os.getpgid(0)}，开始于 {datetime.now(BEIJING):%Y-%m-%d %H:%M}".encode(),
            0,
        )
        _HELD[key] = 1
        try:
            yield
        finally:
            del _HELD[key]
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def process_alive(pid: int) -> bool:
    """Whether a process of that id exists (one of another user's counts as alive)."""
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def _end_what_a_dead_holder_left(previous: str) -> None:
    """A holder that exited cleanly empties the lock file. One that was killed (kill -9, a power cut) leaves its
    line: if it led its own process group (`uwh run` does), its children — a `dbt build`, examiner workers — may
    still run against the work file; they are ended before anyone writes again."""
    pid, group = re.search(r"进程 (\d+)", previous), re.search(r"进程组 (\d+)", previous)
    if not pid or not group or pid.group(1) != group.group(1) or process_alive(int(pid.group(1))):
        return
    try:
        os.killpg(int(group.group(1)), signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def clean_stale_temporaries(*folders: Path) -> list[Path]:
    """Half-written files of processes that no longer run (.city.duckdb.<pid>.tmp, .<name>.<pid>.tmp), removed by
    the next holder of the lock: a crash must leave nothing behind that a later run or a person trips over."""
    removed = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in folder.rglob(".*.tmp"):
            m = re.search(r"\.(\d+)\.tmp$", path.name)
            if m and not process_alive(int(m.group(1))):
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


def is_busy(work_db: Path) -> bool:
    """Whether another process holds the lock now (this process's own hold does not count)."""
    try:
        with work_lock(work_db, wait=False, who="检查"):
            return False
    except WorkBusy:
        return True
