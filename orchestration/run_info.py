"""The last pipeline run and the next nightly one, as `uwh status` and the portal's city board show them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import dagster as dg

from core.db import BEIJING

NIGHTLY_HOUR = 2  # 02:00 Beijing time: after the day's submissions, before anyone opens the reports
NIGHTLY_CRON = f"0 {NIGHTLY_HOUR} * * *"
NIGHTLY_TIMEZONE = "Asia/Shanghai"

RUN_STATUS_ZH = {
    "SUCCESS": "成功",
    "FAILURE": "失败",
    "STARTED": "运行中",
    "STARTING": "正在启动",
    "QUEUED": "排队中",
    "NOT_STARTED": "未开始",
    "CANCELED": "已取消",
    "CANCELING": "正在取消",
}


@dataclass(frozen=True)
class RunInfo:
    run_id: str
    status: str  # Dagster's run status name
    started: datetime | None  # Beijing time
    ended: datetime | None

    @property
    def status_zh(self) -> str:
        return RUN_STATUS_ZH.get(self.status, self.status)


def last_run(instance: dg.DagsterInstance | None = None) -> RunInfo | None:
    instance = instance or dg.DagsterInstance.get()
    records = instance.get_run_records(limit=1)
    if not records:
        return None
    record = records[0]

    def beijing(ts: float | None) -> datetime | None:
        return datetime.fromtimestamp(ts, BEIJING) if ts else None

    return RunInfo(
        record.dagster_run.run_id, record.dagster_run.status.value, beijing(record.start_time), beijing(record.end_time)
    )


def next_nightly(now: datetime | None = None) -> datetime:
    """The next nightly run (Beijing time); it happens while `uwh serve` (the Dagster daemon) runs."""
    now = (now or datetime.now(BEIJING)).astimezone(BEIJING)
    nightly = now.replace(hour=NIGHTLY_HOUR, minute=0, second=0, microsecond=0)
    return nightly + timedelta(days=1) if nightly <= now else nightly
