"""Nightly schedule and the landing sensor."""

import dagster as dg

from ingest.intake import landed_partitions
from orchestration.defs.jobs import all_partitions_tags, ingest_job, pipeline_job
from orchestration.defs.partitions import district_partitions, partition_key
from orchestration.defs.resources import WarehouseResource


def _registry_requests(instance: dg.DagsterInstance, codes: list[str]) -> list:
    known = set(instance.get_dynamic_partitions(district_partitions.name))
    new = [c for c in codes if c not in known]
    return [district_partitions.build_add_request(new)] if new else []


def _landed_in_registry(warehouse: WarehouseResource) -> list[tuple[str, int]]:
    tenants = warehouse.tenants()
    # Folders named after unknown codes are not partitions; `uwh submit` reports them to the sender instead.
    return [(code, year) for code, year in landed_partitions(warehouse.layout.landing) if code in tenants]


@dg.schedule(cron_schedule="0 2 * * *", execution_timezone="Asia/Shanghai", job=pipeline_job,
             name="nightly_city_build", default_status=dg.DefaultScheduleStatus.RUNNING,
             description="02:00 Asia/Shanghai: the whole graph in one run over every district-year partition.")
def nightly_city_build(context: dg.ScheduleEvaluationContext):
    tags = all_partitions_tags(context.instance)
    if not tags:
        return dg.SkipReason("no district is registered yet (the landing sensor registers the tenant registry)")
    return dg.RunRequest(run_key=f"nightly-{context.scheduled_execution_time:%Y-%m-%d}", tags=tags)


@dg.sensor(job=ingest_job, minimum_interval_seconds=30, name="landing_sensor",
           default_status=dg.DefaultSensorStatus.RUNNING,
           description="Requests the district-year partition when a file appears in landing/<year>/<district>/.")
def landing_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    seen = dict(item.split("=", 1) for item in (context.cursor or "").split(";") if "=" in item)
    requests, cursor = [], {}
    landing = warehouse.layout.landing
    for code, year in _landed_in_registry(warehouse):
        folder = landing / str(year) / code
        stamp = str(max(p.stat().st_mtime_ns for p in folder.iterdir()))
        key = f"{code}|{year}"
        cursor[key] = stamp
        if seen.get(key) != stamp:
            requests.append(dg.RunRequest(run_key=f"{key}@{stamp}", partition_key=partition_key(code, year)))
    return dg.SensorResult(
        run_requests=requests, cursor=";".join(f"{k}={v}" for k, v in sorted(cursor.items())),
        dynamic_partitions_requests=_registry_requests(context.instance, list(warehouse.tenants())),
    )


# Everything below the raw layer is eager: after the landing sensor's district-year runs have finished, the daemon
# requests one rebuild (dbt → blocking city checks → reports → publication).
downstream_automation = dg.AutomationConditionSensorDefinition(
    "downstream_automation", target=dg.AssetSelection.all() - dg.AssetSelection.groups("ingest"),
    default_status=dg.DefaultSensorStatus.RUNNING, minimum_interval_seconds=30,
)
