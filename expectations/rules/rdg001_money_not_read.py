"""RDG001 — a sentence holds money the reading could not read (ingest/audit.py: every number accounted for).

A warning, not a rejection: the district is told which sentences to look at (a figure written in an unusual way, a
table that lost its layout) so that the city's figures are not silently short of them.
"""
from __future__ import annotations

from typing import Iterator

from expectations.rules.base import Finding, Rule, SubmissionContext
from ingest.submission_codes import UNREAD_MONEY


def check(ctx: SubmissionContext) -> Iterator[Finding]:
    for problem in ctx.problems:
        if problem.code == UNREAD_MONEY:
            yield RULE.finding(f"{problem.message}。请核对该处金额的写法（数字与单位写在一起，如“12.5万元”），"
                               "或改用统一报表模板报送。")


RULE = Rule(
    id="RDG001",
    severity="warning",
    title="Money in the text that could not be read",
    description_zh="报告中的每一个金额都应能被读出；未能读出的金额所在句子会被列出，请核对写法。",
    check=check,
)
