"""The dbt project as Dagster assets: each model an asset keyed [schema, model], each dbt test an asset check."""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from core.config import DBT_PROJECT_DIR
from core.dbt_manifest import dbt_vars
from expectations import city_suite
from orchestration.defs.resources import WarehouseResource

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()  # under `dagster dev`, a fresh manifest; elsewhere `make bootstrap` made it


class WarehouseTranslator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)  # raw.* via meta.dagster.asset_key
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_automation_condition(self, dbt_resource_props: Mapping[str, Any]) -> dg.AutomationCondition | None:
        return dg.AutomationCondition.eager()

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props.get("schema") or "dbt"


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=WarehouseTranslator(),
)
def warehouse_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    # One target folder per installation, kept between runs: dbt's partial parsing then reuses the last parse
    # (dagster-dbt's default, a fresh folder per invocation, re-parses the whole project every run: ~2 s).
    target = warehouse.layout.work_db.parent / "dbt_target"
    city_suite.prewarm()  # the blocking city checks come next; their import overlaps dbt's subprocess
    # Unit tests check the SQL against fixed rows, not the night's data: they run where the code changes (`make test`,
    # tests/test_dbt_models.py, on DuckDB and PostgreSQL), as dbt advises, not in every run of every installation.
    args = ["build", "--vars", dbt_vars(), "--exclude-resource-type", "unit_test"]
    yield from dbt.cli(args, context=context, target_path=target).stream()
