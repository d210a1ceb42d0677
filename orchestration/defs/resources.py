"""The one resource every asset shares: where this installation keeps its files and its DuckDB work file."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import dagster as dg
import duckdb

from ingest import warehouse
from ingest.tenants import Tenant, load_tenants
from ingest.work_lock import work_lock
from union_warehouse.config import Layout


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
