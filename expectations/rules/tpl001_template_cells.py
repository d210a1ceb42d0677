"""TPL001 — a cell of the structured template holds something that is not what its column asks for."""
from __future__ import annotations

from typing import Iterator

from expectations.rules.base import Finding, Rule, SubmissionContext
from ingest.submission_codes import TEMPLATE_CELL


def check(ctx: SubmissionContext) -> Iterator[Finding]:
    for problem in ctx.problems:
        if problem.code == TEMPLATE_CELL:
            yield RULE.finding(f"{problem.message}，请更正后重新报送。")


RULE = Rule(
    id="TPL001",
    severity="fatal",
    title="Template cell with an invalid value",
    description_zh="统一报表模板中，金额须为非负数字，人次、户数须为非负整数，类别和口径须从下拉列表选择。",
    check=check,
)
