"""After a crash (kill -9, a power cut): the Dagster runs it left STARTED are failed, so the queue (one run at a time)
moves again and the schedule's next run starts instead of waiting forever behind a run that no longer exists.

Every run that reaches the ingest step records its process id as a run tag; a run still marked STARTED whose process
is gone is dead. Checked by `uwh run` before it starts and by the landing sensor at every tick.
"""

from __future__ import annotations

import os

import dagster as dg

from intake.work_lock import process_alive

RUN_PID_TAG = "uwh/pid"
UNFINISHED = [dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.CANCELING]


def record_run_process(context: dg.AssetExecutionContext) -> None:
    context.instance.add_run_tags(context.run.run_id, {RUN_PID_TAG: str(os.getpid())})


def fail_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark failed every unfinished run whose process is gone; the ids of those runs."""
    failed = []
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=UNFINISHED)):
        pid = run.tags.get(RUN_PID_TAG)
        if pid and pid.isdigit() and int(pid) != os.getpid() and not process_alive(int(pid)):
            instance.report_run_failed(
                run, message="运行进程已终止（可能被强制结束或断电），已标记为失败；下一次运行会接着处理"
            )
            failed.append(run.run_id)
    return failed
