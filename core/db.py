"""DuckDB and time helpers every layer uses: one way to read a query into a frame, one clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import duckdb
import polars as pl


def now_utc() -> datetime:
    """Naive UTC, as every timestamp is stored."""
    return datetime.now(UTC).replace(tzinfo=None)


BEIJING = timezone(timedelta(hours=8), "北京时间")


def beijing_minute(moment: datetime | None = None) -> str:
    """A stored (naive UTC) or aware moment as people here read it: Beijing time, to the minute."""
    moment = moment or now_utc()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def query_frame(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pl.DataFrame:
    """A query's result as a polars frame (relation API: DuckDB 2's execute() result would copy the rows once more).
    Money is summed as DECIMAL in the warehouse; Python reads it as floats to compare and show (exact to the fen up to
    ~90 trillion 元), so no rule or page mixes Decimal with float arithmetic."""
    return con.sql(sql, params=params or None).pl().with_columns(pl.col(pl.Decimal).cast(pl.Float64))
