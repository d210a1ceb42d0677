"""DOC001 — no spending figure could be read from the submission: nothing to consolidate."""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from expectations.facts import AMOUNT
from expectations.rules.base import Finding, Rule, SubmissionContext

SPENDING_AREAS = ["spending", "activity", "aid", "subsidy"]


def check(ctx: SubmissionContext) -> Iterator[Finding]:
    spending = ctx.facts.filter(AMOUNT & pl.col("category").str.split(".").list.first().is_in(SPENDING_AREAS))
    if spending.height == 0:
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
