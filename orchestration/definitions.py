"""All Dagster definitions, assembled in one place (`dagster dev -m orchestration.definitions`)."""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtCliResource

from core.config import Layout
from core.dbt_manifest import DBT_EXECUTABLE, installation_profile
from orchestration.defs.automation import downstream_automation, landing_sensor, nightly_city_build
from orchestration.defs.city_checks import city_reconciliation
from orchestration.defs.dbt_assets import dbt_project, warehouse_models
from orchestration.defs.freshness import published_freshness, published_freshness_job, published_freshness_sensor
from orchestration.defs.ingest_assets import raw_by_year
from orchestration.defs.jobs import city_job, ingest_job
from orchestration.defs.report_assets import city_report_files, published_warehouse, report_files_match_warehouse
from orchestration.defs.resources import WarehouseResource


def build_definitions(layout: Layout | None = None) -> dg.Definitions:
    layout = layout or Layout.from_env()
    return dg.Definitions(
        assets=[raw_by_year, warehouse_models, city_report_files, published_warehouse],
        asset_checks=[city_reconciliation, report_files_match_warehouse, *published_freshness],
        jobs=[ingest_job, city_job, published_freshness_job],
        schedules=[nightly_city_build],
        sensors=[landing_sensor, downstream_automation, published_freshness_sensor],
        resources={
            "warehouse": WarehouseResource(home=str(layout.home)),
            # the installation's own profile (its work file), and settings as --vars: nothing sets os.environ
            "dbt": DbtCliResource(
                project_dir=dbt_project,
                dbt_executable=DBT_EXECUTABLE,
                profiles_dir=str(installation_profile(layout.work_db)),
            ),
        },
    )


defs = build_definitions()
