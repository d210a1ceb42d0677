"""Jobs. The whole graph runs as one run over the range of year partitions (the ingest asset has a single-run
backfill policy), so a nightly or full run costs one Dagster run, not one per year."""

from __future__ import annotations

import dagster as dg

from orchestration.defs.partitions import year_partitions

RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"

ingest_job = dg.define_asset_job(
    "ingest_district_year",
    selection=dg.AssetSelection.groups("ingest"),
    description="Take in the files landed for one year partition (what the landing sensor requests).",
)
city_job = dg.define_asset_job(
    "build_city_report",
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups("ingest"),
    description="dbt build → city checks (blocking) → reports → atomic publication.",
)
pipeline_job = dg.define_asset_job(
    "city_pipeline",
    selection=dg.AssetSelection.all(),
    description="Everything: every landed year, then dbt, city checks, reports and publication.",
)


def all_partitions_tags(instance: dg.DagsterInstance) -> dict[str, str]:
    """Run tags that make one run cover every year partition (files already taken in are skipped cheaply)."""
    keys = year_partitions.get_partition_keys(dynamic_partitions_store=instance)
    return {RANGE_START: keys[0], RANGE_END: keys[-1]} if keys else {}
