"""Two jobs: take in one district-year, and rebuild everything downstream of the raw layer."""
from __future__ import annotations

import dagster as dg

ingest_job = dg.define_asset_job(
    "ingest_district_year", selection=dg.AssetSelection.groups("ingest"),
    description="Take in the files landed for one district-year partition.",
)
city_job = dg.define_asset_job(
    "build_city_report", selection=dg.AssetSelection.all() - dg.AssetSelection.groups("ingest"),
    description="dbt build → city checks (blocking) → reports → atomic publication.",
)
