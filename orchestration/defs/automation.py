"""Nightly schedule and the landing sensor."""

import dagster as dg

from ingest.intake import landed_partitions
from orchestration.defs.jobs import all_partitions_tags, ingest_job, pipeline_job
from orchestration.defs.partitions import (acceptable_years, district_partitions, missing_partitions, partition_key,
                                           year_partitions)
from orchestration.defs.resources import WarehouseResource


def _partition_requests(instance: dg.DagsterInstance, codes: list[str], years) -> list:
    by_name = {district_partitions.name: district_partitions, year_partitions.name: year_partitions}
    return [by_name[name].build_add_request(new) for name, new in missing_partitions(instance, codes, years).items()]


def _landed_in_registry(warehouse: WarehouseResource) -> list[tuple[str, int]]:
    tenants = warehouse.tenants()
    # Folders of unknown codes or impossible years are no partitions; `uwh run` lists them as not taken in.
    years = set(acceptable_years(year for _, year in landed_partitions(warehouse.layout.landing)))
    return [(code, year) for code, year in landed_partitions(warehouse.layout.landing)
            if code in tenants and str(year) in years]


@dg.schedule(cron_schedule="0 2 * * *", execution_timezone="Asia/Shanghai", job=pipeline_job,
             name="nightly_city_build", default_status=dg.DefaultScheduleStatus.RUNNING,
             description="02:00 Asia/Shanghai: the whole graph in one run over every district-year partition.")
def nightly_city_build(context: dg.ScheduleEvaluationContext):
    tags = all_partitions_tags(context.instance)
    if not tags:
        return dg.SkipReason("no district-year is registered yet (the landing sensor registers them)")
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
        dynamic_partitions_requests=_partition_requests(context.instance, list(warehouse.tenants()),
                                                        {year for _, year in _landed_in_registry(warehouse)}),
    )


# Everything below the raw layer is eager: after the landing sensor's district-year runs have finished, the daemon
# requests one rebuild (dbt → blocking city checks → reports → publication).
downstream_automation = dg.AutomationConditionSensorDefinition(
    "downstream_automation", target=dg.AssetSelection.all() - dg.AssetSelection.groups("ingest"),
    default_status=dg.DefaultSensorStatus.RUNNING, minimum_interval_seconds=30,
)
