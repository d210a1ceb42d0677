"""BRK001 — the items of a breakdown (其中/分别为/…) add up to more than their stated total."""

from __future__ import annotations

from collections.abc import Iterator

from expectations.facts import fmt_yuan, interval, is_amount
from expectations.intervals import interval_sum
from expectations.rules.base import Finding, Rule, SubmissionContext


def breakdowns(rows: list[dict], *, with_derived: bool = False) -> Iterator[tuple[dict, list[dict]]]:
    """(parent, children) for every stated amount that has amount children of the same measure (stated ones only,
    unless `with_derived`: a derived item completes a breakdown but never makes one exceed its total). Changes are
    left out: their parts are signed (决算对比 +2.88 = −0.07 + 2.95), so their sizes need not add up."""
    amounts = [r for r in rows if is_amount(r) and (with_derived or not r["derived"])]
    by_id = {r["fact_id"]: r for r in amounts}
    children: dict[str, list[dict]] = {}
    for row in amounts:
        parent = by_id.get(row["parent_fact_id"])
        if parent is not None and not parent["derived"] and parent["measure"] == row["measure"] != "change":
            children.setdefault(parent["fact_id"], []).append(row)
    for parent_id, kids in children.items():
        yield by_id[parent_id], kids


HEADLINE_PARTS = ["spending.basic", "spending.project"]


def is_headline_identity(parent: dict, kids: list[dict]) -> bool:
    """整体支出 broken down into exactly 基本支出 and 项目支出: IDN001 checks that identity, with its own message;
    the breakdown rules leave it, so one discrepancy gives one finding (not BRK001 and IDN001 for the same 200,000)."""
    return (
        parent["category"] == "spending.total"
        and parent["measure"] == "actual"
        and not any(k["derived"] for k in kids)
        and sorted(k["category"] for k in kids) == HEADLINE_PARTS
    )


def check(ctx: SubmissionContext) -> Iterator[Finding]:
    for parent, kids in breakdowns(ctx.rows):
        if is_headline_identity(parent, kids):
            continue
        total = interval_sum(interval(k) for k in kids)
        if total.entirely_above(interval(parent)):
            yield RULE.finding(
                f"「{parent['label']}」所列明细合计{fmt_yuan(total.mid)}，超过其总数{fmt_yuan(parent['value'])}"
                f"（超出{fmt_yuan(total.mid - parent['value'])}）。请核对总数或各明细数字。",
                fact_id=parent["fact_id"],
                expected=parent["value"],
                provided=total.mid,
            )


RULE = Rule(
    id="BRK001",
    severity="fatal",
    title="Breakdown items sum to more than their parent total",
    description_zh="“其中”等明细之和不得超过其合计数（按所列数字的精度比较）。",
    check=check,
    compared_zh=("合计", "明细之和"),
)
