"""IDN001 — 基本支出 + 项目支出 = 部门整体支出, where all three are stated as actuals."""

from __future__ import annotations

from collections.abc import Iterator

from expectations.facts import fmt_yuan, headline, interval
from expectations.rules.base import Finding, Rule, SubmissionContext


def check(ctx: SubmissionContext) -> Iterator[Finding]:
    total = headline(ctx.rows, "spending.total")
    basic = headline(ctx.rows, "spending.basic")
    project = headline(ctx.rows, "spending.project")
    if not (total and basic and project):
        return
    parts = interval(basic) + interval(project)
    if not parts.overlaps(interval(total)):
        yield RULE.finding(
            f"基本支出{fmt_yuan(basic['value'])}与项目支出{fmt_yuan(project['value'])}之和{fmt_yuan(parts.mid)}，"
            f"不等于部门整体支出{fmt_yuan(total['value'])}。请核对三者。",
            fact_id=total["fact_id"],
            expected=total["value"],
            provided=parts.mid,
        )


RULE = Rule(
    id="IDN001",
    severity="fatal",
    title="Basic plus project spending does not equal total spending",
    description_zh="基本支出与项目支出之和应等于部门整体支出（三者均为实际数时）。",
    check=check,
    compared_zh=("整体支出", "基本支出+项目支出"),
)
