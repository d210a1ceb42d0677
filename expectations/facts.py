"""Small, shared questions rules ask of one submission's facts (a polars frame with raw.facts columns)."""

from __future__ import annotations

import math

import polars as pl

from expectations.intervals import Interval

AMOUNT = pl.col("kind") == "amount"
ACTUAL = pl.col("measure") == "actual"
STATED = ~pl.col("derived")


def area(category_col: str = "category") -> pl.Expr:
    return pl.col(category_col).str.split(".").list.first()


def interval(row: dict) -> Interval:
    return Interval.stated(row["value"], row["value_precision"])


def stated_actual_amounts(facts: pl.DataFrame) -> pl.DataFrame:
    return facts.filter(AMOUNT & ACTUAL & STATED)


def headline(facts: pl.DataFrame, category: str) -> dict | None:
    """The stated actual figure for an exact category (the largest if it is repeated, e.g. in a summary and a table)."""
    rows = stated_actual_amounts(facts).filter(pl.col("category") == category).sort("value", descending=True)
    return rows.row(0, named=True) if rows.height else None


def top_level_in_area(facts: pl.DataFrame, areas: set[str]) -> pl.DataFrame:
    """Stated actual amounts in the given areas whose parent is not itself in the same area (no double counting)."""
    amounts = stated_actual_amounts(facts).with_columns(area().alias("area"))
    parents = facts.select(pl.col("fact_id").alias("parent_fact_id"), area().alias("parent_area"))
    joined = amounts.join(parents, on="parent_fact_id", how="left")
    return joined.filter(
        pl.col("area").is_in(list(areas))
        & (pl.col("parent_area").is_null() | (pl.col("parent_area") != pl.col("area")))
    )


def fmt_yuan(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.2f}元" if math.isfinite(value) else "（数字过大，无法读出）"
