"""Runs the Dagster definitions in this process: the whole graph, in one run over every year partition.

This is what `uwh run`, `uwh demo` and the end-to-end tests call; the nightly schedule requests the same run through
the daemon. One process, one DuckDB writer at a time.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import dagster as dg

from core.config import Layout
from intake.landing import landed_partitions
from orchestration.defs.jobs import all_partitions_tags, pipeline_job
from orchestration.defs.partitions import sync_partitions


@dataclass
class RunSummary:
    run_id: str
    success: bool
    failed_checks: list[str] = field(default_factory=list)  # "REC001: <message>"
    submissions: list[dict] = field(default_factory=list)  # new files: district_code, year, file, status, message
    file_counts: dict[str, int] = field(default_factory=dict)  # files seen by status (duplicate = seen before)
    error: str | None = None
    step_seconds: dict[str, float] = field(default_factory=dict)  # wall time of each Dagster step


def _step_seconds(instance: dg.DagsterInstance, run_id: str) -> dict[str, float]:
    """How long each step took, from the run's event log (what the benchmark reports as the cost of each part)."""
    starts, seconds = {}, {}
    events = {dg.DagsterEventType.STEP_START, dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE}
    for entry in instance.all_logs(run_id, of_type=events):
        if entry.dagster_event.event_type == dg.DagsterEventType.STEP_START:
            starts[entry.step_key] = entry.timestamp
        elif entry.step_key in starts:
            seconds[entry.step_key] = round(entry.timestamp - starts[entry.step_key], 3)
    return seconds


def _failed_checks(result: dg.ExecuteInProcessResult) -> list[str]:
    failed = []
    for event in result.all_events:
        if event.event_type_value == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR:
                message = evaluation.metadata.get("message")
                failed.append(f"{evaluation.check_name}: {message.value if message else ''}")
    return failed


def _intake(result: dg.ExecuteInProcessResult) -> tuple[list[dict], dict[str, int]]:
    """The new files' outcomes and the count of files by status, from the raw layer's materialization."""
    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization
        if materialization.asset_key == dg.AssetKey(["raw", "submissions"]):
            metadata = materialization.metadata
            new_files = metadata.get("new_files")
            counts = {
                k.removeprefix("files_"): int(v.value)
                for k, v in metadata.items()
                if k.startswith("files_") and k not in {"files_seen", "files_new"}
            }
            return (list(new_files.value) if new_files else []), counts
    return [], {}


# What each step is, for the person waiting on `uwh run` (30–40 s of silence read as a hang).
STEP_ZH = {
    "raw_by_year": "读取各区县报送文件并校验",
    "warehouse_models": "建立数据模型（dbt）",
    "city_reconciliation": "全市汇总核对",
    "reports__city_report_files": "生成汇总报告、Excel 和反馈页",
    "reports__city_report_files_REC003": "核对报告文件与数据仓库一致",
    "warehouse__published": "发布数据仓库",
}
PROGRESS_POLL_SECONDS = 1.0


def _report_progress(instance: dg.DagsterInstance, run_id: str, say: Callable[[str], None], done: threading.Event):
    """Says each step as it finishes, read from the run's own event log (the run itself is not touched)."""
    said: set[str] = set()
    events = {dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE}
    started = time.monotonic()
    while True:
        finished = done.wait(PROGRESS_POLL_SECONDS)
        for entry in instance.all_logs(run_id, of_type=events):
            key = entry.step_key or ""
            if key in said:
                continue
            said.add(key)
            failed = entry.dagster_event.event_type == dg.DagsterEventType.STEP_FAILURE
            name = STEP_ZH.get(key) or ("检查发布是否按时（每晚 02:00）" if key.startswith("freshness_check") else key)
            say(f"[{time.monotonic() - started:5.0f} 秒] {'失败' if failed else '完成'}：{name}")
        if finished:
            return


def run_pipeline(
    layout: Layout,
    instance: dg.DagsterInstance,
    *,
    codes: list[str],
    log_level: str = "WARNING",
    progress: Callable[[str], None] | None = None,
) -> RunSummary:
    from orchestration.definitions import build_definitions

    defs = build_definitions(layout)
    sync_partitions(instance, {year for code, year in landed_partitions(layout.landing) if code in codes})
    run_id, done = str(uuid.uuid4()), threading.Event()
    reporter = None
    if progress is not None:
        reporter = threading.Thread(target=_report_progress, args=(instance, run_id, progress, done), daemon=True)
        reporter.start()
    try:
        result = defs.resolve_job_def(pipeline_job.name).execute_in_process(
            instance=instance,
            run_id=run_id,
            tags=all_partitions_tags(instance),
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
        )
    finally:
        done.set()
        if reporter is not None:
            reporter.join()
    submissions, counts = _intake(result)
    summary = RunSummary(
        run_id=result.run_id,
        success=result.success,
        failed_checks=_failed_checks(result),
        submissions=submissions,
        file_counts=counts,
        step_seconds=_step_seconds(instance, result.run_id),
    )
    if not result.success:
        failures = [e.message for e in result.all_events if e.is_failure]
        summary.error = failures[-1] if failures else "run failed"
    return summary
