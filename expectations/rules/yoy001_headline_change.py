"""YOY001 — the headline total changes by more than a configurable share from the district's previous year."""

from __future__ import annotations

from collections.abc import Iterator

from expectations.facts import fmt_yuan, headline
from expectations.rules.base import Finding, Rule, SubmissionContext


def check(ctx: SubmissionContext) -> Iterator[Finding]:
    if ctx.prior_rows is None:
        return
    now, before = headline(ctx.rows, "spending.total"), headline(ctx.prior_rows, "spending.total")
    if not (now and before) or before["value"] <= 0:
        return
    share = (now["value"] - before["value"]) / before["value"]
    if abs(share) > ctx.settings.yoy_max_change:
        yield RULE.finding(
            f"部门整体支出{fmt_yuan(now['value'])}，比上年{fmt_yuan(before['value'])}"
            f"{'增长' if share > 0 else '下降'}{abs(share):.0%}，变化较大，请说明原因或核对数字。",
            fact_id=now["fact_id"],
            expected=before["value"],
            provided=now["value"],
        )


RULE = Rule(
    id="YOY001",
    severity="warning",
    title="Headline total changed sharply from the previous year",
    description_zh="部门整体支出与上年相比变化超过设定比例时提示核对。",
    check=check,
    compared_zh=("上年整体支出", "本年整体支出"),
)
