"""BUD001 — a breakdown mixes budget figures with actual spending: they must never be summed together."""

from __future__ import annotations

from collections.abc import Iterator

from expectations.facts import is_amount
from expectations.rules.base import Finding, Rule, SubmissionContext

_KEPT_APART = {"actual", "budget"}


def check(ctx: SubmissionContext) -> Iterator[Finding]:
    amounts = [r for r in ctx.rows if is_amount(r)]
    measure_of = {r["fact_id"]: r["measure"] for r in amounts}
    for row in amounts:
        parent_measure = measure_of.get(row["parent_fact_id"])
        if {row["measure"], parent_measure} == _KEPT_APART:
            yield RULE.finding(
                f"「{row['label']}」是{'预算数' if row['measure'] == 'budget' else '实际支出'}，"
                f"却列在{'预算数' if parent_measure == 'budget' else '实际支出'}之下；预算与实际支出不能相加，请分开表述。",
                fact_id=row["fact_id"],
            )


RULE = Rule(
    id="BUD001",
    severity="warning",
    title="Budget and actual figures mixed in one breakdown",
    description_zh="预算数与实际支出应分开列示，不能相加。",
    check=check,
)
