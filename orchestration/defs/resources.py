"""The one resource every asset shares: where this installation keeps its files and its DuckDB work file."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import dagster as dg
import duckdb

from ingest import warehouse
from ingest.tenants import Tenant, load_tenants
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
        """The work file's single writer; closed before the next step (dbt) opens it."""
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
