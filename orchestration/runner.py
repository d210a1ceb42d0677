"""Runs the Dagster definitions in this process: every landed partition, then the city build.

This is what `uwh run`, `uwh demo` and the end-to-end tests call; the nightly schedule and the landing sensor
request the same jobs through the daemon. One process, one DuckDB writer at a time.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import dagster as dg

from ingest.intake import landed_partitions
from orchestration.defs.jobs import city_job, ingest_job
from orchestration.defs.partitions import partition_key, sync_district_partitions
from union_warehouse.config import Layout


@dataclass
class RunSummary:
    partitions: list[str] = field(default_factory=list)
    failed_partitions: list[str] = field(default_factory=list)
    city_success: bool = False
    failed_checks: list[str] = field(default_factory=list)   # "REC001: <message>"
    error: str | None = None

    @property
    def success(self) -> bool:
        return self.city_success and not self.failed_partitions


def _failed_checks(result: dg.ExecuteInProcessResult) -> list[str]:
    failed = []
    for event in result.all_events:
        if event.event_type_value == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data.asset_check_evaluation
            if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR:
                message = evaluation.metadata.get("message")
                failed.append(f"{evaluation.check_name}: {message.value if message else ''}")
    return failed


def run_pipeline(layout: Layout, instance: dg.DagsterInstance, *, codes: list[str],
                 only: list[tuple[str, int]] | None = None) -> RunSummary:
    from orchestration.definitions import build_definitions

    defs = build_definitions(layout)
    sync_district_partitions(instance, codes)
    summary = RunSummary()
    ingest = defs.resolve_job_def(ingest_job.name)
    for code, year in only if only is not None else landed_partitions(layout.landing):
        if code not in codes:
            continue
        key = partition_key(code, year)
        result = ingest.execute_in_process(partition_key=key, instance=instance, raise_on_error=False)
        summary.partitions.append(str(key))
        if not result.success:
            summary.failed_partitions.append(str(key))
    city = defs.resolve_job_def(city_job.name).execute_in_process(instance=instance, raise_on_error=False)
    summary.city_success = city.success
    summary.failed_checks = _failed_checks(city)
    if not city.success:
        failures = [e.message for e in city.all_events if e.is_failure]
        summary.error = failures[-1] if failures else "city build failed"
    return summary
