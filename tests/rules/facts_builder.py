"""Builds raw.facts frames for rule tests: each test states its figures the way a report would."""

from __future__ import annotations

import polars as pl

from intake.warehouse import FACT_COLUMNS


def fact(
    fact_id: str,
    label: str,
    value: float,
    category: str,
    *,
    kind: str = "amount",
    measure: str | None = "actual",
    parent: str | None = None,
    unit: str = "元",
    precision: float = 0.5,
    derived: bool = False,
) -> dict:
    return {
        "submission_id": "test",
        "fact_id": fact_id,
        "kind": kind,
        "label": label,
        "value": float(value),
        "unit": unit,
        "measure": measure,
        "parent_fact_id": parent,
        "category": category,
        "section": "",
        "source_text": f"{label}{value}{unit}",
        "span_start": None,
        "span_end": None,
        "value_precision": precision,
        "approx": False,
        "derived": derived,
        "direction": None,
        "restates_fact_id": None,
        "scope": None,
    }


def frame(*facts: dict) -> pl.DataFrame:
    return pl.DataFrame(list(facts), schema=FACT_COLUMNS)
