"""CNT001 — a count of people, households or organisations that is not a whole number, or is negative."""

from __future__ import annotations

from collections.abc import Iterator

from expectations.rules.base import Finding, Rule, SubmissionContext


def check(ctx: SubmissionContext) -> Iterator[Finding]:
    for row in ctx.rows:
        if row["kind"] == "count" and (row["value"] < 0 or row["value"] != int(row["value"])):
            yield RULE.finding(
                f"「{row['label']}」为{row['value']:g}{row['unit']}，人数、户数、单位数应为非负整数。",
                fact_id=row["fact_id"],
                provided=row["value"],
            )


RULE = Rule(
    id="CNT001",
    severity="warning",
    title="Count is not a non-negative whole number",
    description_zh="人次、户数、单位数等计数应为非负整数。",
    check=check,
)
