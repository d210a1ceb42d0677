"""XSC001 — programme spending reported in the performance section exceeds the department's stated total spending.

Real reports do this (珠晖区 2022: activities, aid and subsidies 1,337,715 元 against a total of 1,077,000 元, paid partly
from union-dues surpluses and higher-level subsidies); it is worth a question, not a rejection.
"""

from __future__ import annotations

from collections.abc import Iterator

from expectations.facts import fmt_yuan, headline, interval, top_level_in_area
from expectations.intervals import interval_sum
from expectations.rules.base import Finding, Rule, SubmissionContext

PROGRAMME_AREAS = {"activity", "aid", "subsidy"}


def check(ctx: SubmissionContext) -> Iterator[Finding]:
    total = headline(ctx.rows, "spending.total")
    if not total:
        return
    programmes = top_level_in_area(ctx.rows, PROGRAMME_AREAS)
    if not programmes:
        return
    spent = interval_sum(interval(r) for r in programmes)
    if spent.entirely_above(interval(total)):
        yield RULE.finding(
            f"绩效情况中列出的活动、帮扶和对下补助支出合计{fmt_yuan(spent.mid)}，超过部门整体支出"
            f"{fmt_yuan(total['value'])}。如有工会经费结余或上级补助等其他资金来源，请在报告中说明。",
            fact_id=total["fact_id"],
            expected=total["value"],
            provided=spent.mid,
        )


RULE = Rule(
    id="XSC001",
    severity="warning",
    title="Programme spending exceeds the department's total spending",
    description_zh="文体活动、困难帮扶、对下补助等项目支出之和不应超过部门整体支出，超过时需说明资金来源。",
    check=check,
    compared_zh=("整体支出", "各项目之和"),
)
