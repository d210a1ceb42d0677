"""BRK002 — the items of a breakdown add up to less than their total: fine when not every item is listed, but worth a look."""

from __future__ import annotations

from collections.abc import Iterator

from expectations.facts import fmt_yuan, interval
from expectations.intervals import interval_sum
from expectations.rules.base import Finding, Rule, SubmissionContext
from expectations.rules.brk001_breakdown_exceeds_parent import breakdowns, is_headline_identity


def check(ctx: SubmissionContext) -> Iterator[Finding]:
    for parent, kids in breakdowns(ctx.rows, with_derived=True):
        if is_headline_identity(parent, kids):
            continue
        total = interval_sum(interval(k) for k in kids)
        if total.entirely_below(interval(parent)):
            yield RULE.finding(
                f"「{parent['label']}」所列明细合计{fmt_yuan(total.mid)}，少于其总数{fmt_yuan(parent['value'])}"
                f"（相差{fmt_yuan(parent['value'] - total.mid)}），请确认是否有未列出的明细。",
                fact_id=parent["fact_id"],
                expected=parent["value"],
                provided=total.mid,
            )


RULE = Rule(
    id="BRK002",
    severity="warning",
    title="Breakdown items sum to less than their parent total",
    description_zh="“其中”等明细之和小于合计数时提示核对，可能有未列出的明细。",
    check=check,
    compared_zh=("合计", "明细之和"),
)
