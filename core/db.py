"""DuckDB and time helpers every layer uses: one way to read a query into a frame, one clock."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import polars as pl


def now_utc() -> datetime:
    """Naive UTC, as every timestamp is stored."""
    return datetime.now(UTC).replace(tzinfo=None)


def query_frame(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pl.DataFrame:
    """A query's result as a polars frame (relation API: DuckDB 2's execute() result would copy the rows once more)."""
    return con.sql(sql, params=params or None).pl()
