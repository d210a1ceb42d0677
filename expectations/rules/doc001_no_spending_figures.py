"""DOC001 — no spending figure could be read from the submission: nothing to consolidate."""

from __future__ import annotations

from collections.abc import Iterator

from expectations.facts import area_of, is_amount
from expectations.rules.base import Finding, Rule, SubmissionContext

SPENDING_AREAS = {"spending", "activity", "aid", "subsidy"}


def check(ctx: SubmissionContext) -> Iterator[Finding]:
    if not any(is_amount(r) and area_of(r["category"]) in SPENDING_AREAS for r in ctx.rows):
        yield RULE.finding(
            "未能从报送文件中读出任何支出数字。请确认文件是否为本单位的部门整体支出绩效报告，或改用统一报表模板报送。"
        )


RULE = Rule(
    id="DOC001",
    severity="fatal",
    title="No spending figures found in the submission",
    description_zh="报送文件中应至少包含一项支出数字。",
    check=check,
)
