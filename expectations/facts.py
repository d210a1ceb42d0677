"""Small, shared questions rules ask of one submission's facts (raw.facts rows, SubmissionContext.rows)."""

from __future__ import annotations

import math

from expectations.intervals import Interval


def area_of(category: str | None) -> str:
    return (category or "").split(".", 1)[0]


def is_amount(row: dict) -> bool:
    return row["kind"] == "amount"


def interval(row: dict) -> Interval:
    return Interval.stated(row["value"], row["value_precision"])


def stated_actual_amounts(rows: list[dict]) -> list[dict]:
    return [r for r in rows if r["kind"] == "amount" and r["measure"] == "actual" and not r["derived"]]


def headline(rows: list[dict], category: str) -> dict | None:
    """The stated actual figure for an exact category (the largest if it is repeated, e.g. in a summary and a table)."""
    found = [r for r in stated_actual_amounts(rows) if r["category"] == category]
    return max(found, key=lambda r: r["value"]) if found else None


def top_level_in_area(rows: list[dict], areas: set[str]) -> list[dict]:
    """Stated actual amounts in the given areas whose parent is not itself in the same area (no double counting)."""
    area_by_id = {r["fact_id"]: area_of(r["category"]) for r in rows}
    return [
        r
        for r in stated_actual_amounts(rows)
        if area_of(r["category"]) in areas and area_by_id.get(r["parent_fact_id"] or "") != area_of(r["category"])
    ]


def fmt_yuan(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.2f}元" if math.isfinite(value) else "（数字过大，无法读出）"
