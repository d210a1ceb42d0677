"""The one resource every asset shares: where this installation keeps its files and its DuckDB work file."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from core.config import Layout
from ingest.tenants import Tenant, load_tenants
from intake import warehouse
from intake.work_lock import work_lock


class WarehouseResource(dg.ConfigurableResource):
    home: str

    @property
    def layout(self) -> Layout:
        return Layout(Path(self.home)).ensure()

    def tenants(self) -> dict[str, Tenant]:
        return load_tenants(self.layout.registry)

    @contextmanager
    def writer(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The work file's single writer; closed before the next step (dbt) opens it. A run waits for another
        process's write to end (`uwh run` started by hand, a `uwh submit`) instead of failing on DuckDB's lock."""
        with work_lock(self.layout.work_db, wait=True, who="Dagster 运行"):
            con = warehouse.connect(self.layout.work_db)
            try:
                yield con
            finally:
                con.close()

    @contextmanager
    def reader(self) -> Iterator[duckdb.DuckDBPyConnection]:
        con = warehouse.connect(self.layout.work_db, read_only=True)
        try:
            yield con
        finally:
            con.close()


def resources_for(layout: Layout) -> dict:
    """The installation's resources: its files, and dbt with the installation's own profile (its work file) —
    settings reach dbt as --vars, nothing sets os.environ."""
    from dagster_dbt import DbtCliResource

    from core.dbt_manifest import DBT_EXECUTABLE, installation_profile
    from orchestration.defs.dbt_assets import dbt_project

    return {
        "warehouse": WarehouseResource(home=str(layout.home)),
        "dbt": DbtCliResource(
            project_dir=dbt_project,
            dbt_executable=DBT_EXECUTABLE,
            profiles_dir=str(installation_profile(layout.work_db)),
        ),
    }


@dg.definitions
def resources() -> dg.Definitions:
    """Loaded with the rest of defs/ (dg.load_from_defs_folder): the installation the settings name."""
    return dg.Definitions(resources=resources_for(Layout.from_env()))
