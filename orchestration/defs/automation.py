"""Nightly schedule and the landing sensor."""

import hashlib

import dagster as dg

from intake.landing import landed_partitions, partitions_already_taken_in
from orchestration.defs.jobs import all_partitions_tags, ingest_job, pipeline_job
from orchestration.defs.partitions import acceptable_years, missing_years, year_partitions
from orchestration.defs.resources import WarehouseResource
from orchestration.recovery import fail_dead_runs
from orchestration.run_info import NIGHTLY_CRON, NIGHTLY_TIMEZONE


def _landed_in_registry(warehouse: WarehouseResource) -> list[tuple[str, int]]:
    tenants = warehouse.tenants()
    # Folders of unknown codes or impossible years are no partitions; `uwh run` lists them as not taken in.
    landed = landed_partitions(warehouse.layout.landing)
    years = set(acceptable_years(year for _, year in landed))
    return [(code, year) for code, year in landed if code in tenants and str(year) in years]


@dg.schedule(
    cron_schedule=NIGHTLY_CRON,
    execution_timezone=NIGHTLY_TIMEZONE,
    job=pipeline_job,
    name="nightly_city_build",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="02:00 Asia/Shanghai: the whole graph in one run over every year partition.",
)
def nightly_city_build(context: dg.ScheduleEvaluationContext):
    tags = all_partitions_tags(context.instance)
    if not tags:
        return dg.SkipReason("no year is registered yet (the landing sensor registers them)")
    return dg.RunRequest(run_key=f"nightly-{context.scheduled_execution_time:%Y-%m-%d}", tags=tags)


@dg.sensor(
    job=ingest_job,
    minimum_interval_seconds=30,
    name="landing_sensor",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Requests the year partition when a file appears in landing/<year>/<district>/.",
)
def landing_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    """The cursor keeps one fingerprint per year (newest mtime of each district folder), so a tick costs a directory
    scan and a year with several new files is one run. Runs a crash left STARTED are failed first, so the queue
    (one run at a time) never waits behind a run that no longer exists."""
    for run_id in fail_dead_runs(context.instance):
        context.log.warning(f"run {run_id} had no process left: marked failed")
    seen = dict(item.split("=", 1) for item in (context.cursor or "").split(";") if "=" in item)
    landing = warehouse.layout.landing
    stamps: dict[str, list[str]] = {}
    for code, year in _landed_in_registry(warehouse):
        folder = landing / str(year) / code
        stamps.setdefault(str(year), []).append(f"{code}:{max(p.stat().st_mtime_ns for p in folder.iterdir())}")
    cursor = {year: hashlib.sha256(",".join(s).encode()).hexdigest()[:16] for year, s in stamps.items()}
    changed = {year for year, stamp in cursor.items() if seen.get(year) != stamp}
    # a year whose every file the published warehouse already holds unchanged needs no run (first tick after a demo)
    landed = [(code, year) for code, year in _landed_in_registry(warehouse) if str(year) in changed]
    taken_in = partitions_already_taken_in(warehouse.layout.published_db, landing, landed)
    to_run = {str(year) for code, year in landed if (code, year) not in taken_in}
    requests = [
        dg.RunRequest(run_key=f"{year}@{stamp}", partition_key=year)
        for year, stamp in sorted(cursor.items())
        if year in to_run
    ]
    new_years = missing_years(context.instance, stamps)
    return dg.SensorResult(
        run_requests=requests,
        cursor=";".join(f"{k}={v}" for k, v in sorted(cursor.items())),
        dynamic_partitions_requests=[year_partitions.build_add_request(new_years)] if new_years else [],
    )


# Everything below the raw layer is eager: after the landing sensor's runs have finished, the daemon requests one
# rebuild (dbt → blocking city checks → reports → publication).
downstream_automation = dg.AutomationConditionSensorDefinition(
    "downstream_automation",
    target=dg.AssetSelection.all() - dg.AssetSelection.groups("ingest"),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
)
