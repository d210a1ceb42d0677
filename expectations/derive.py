"""Derived facts: 基本支出 + 项目支出 = 部门整体支出 (rule IDN001's identity). When only two of the three are stated as
actuals, the third is derived, stored with `derived = true` and a label that says so, and never summed into totals."""

from __future__ import annotations

from dataclasses import replace

from ingest.model import Extraction, Fact

IDENTITY = ("spending.total", "spending.basic", "spending.project")
LABELS = {"spending.total": "部门整体支出", "spending.basic": "基本支出", "spending.project": "项目支出"}


def _stated(extraction: Extraction, category: str) -> Fact | None:
    for fact in extraction.facts:
        if fact.kind == "amount" and fact.category == category and fact.measure == "actual" and not fact.derived:
            return fact
    return None


def with_derived_facts(extraction: Extraction) -> Extraction:
    total, basic, project = (_stated(extraction, c) for c in IDENTITY)
    if sum(f is not None for f in (total, basic, project)) != 2:
        return extraction
    next_id = f"f{len(extraction.facts) + 1}"
    if total is None:
        assert basic is not None and project is not None  # two of the three are stated
        value, category, parent = basic.value + project.value, "spending.total", None
        basis = f"由基本支出{basic.value:,.2f}元加项目支出{project.value:,.2f}元推算"
        precision = basic.precision + project.precision
    else:
        known = basic or project
        assert known is not None
        category = "spending.project" if project is None else "spending.basic"
        value, parent = total.value - known.value, total.id
        basis = f"由部门整体支出{total.value:,.2f}元减{LABELS[known.category]}{known.value:,.2f}元推算"
        precision = total.precision + known.precision
    if value < 0:
        return extraction  # IDN001 and BRK001 report the contradiction; nothing sensible to derive
    derived = Fact(
        id=next_id,
        kind="amount",
        label=f"{LABELS[category]}（推算）",
        value=round(value, 2),
        unit="元",
        category=category,
        measure="actual",
        parent=parent,
        section="（系统推算）",
        text=basis,
        span=None,
        precision=precision,
        derived=True,
    )
    return replace(extraction, facts=[*extraction.facts, derived])
