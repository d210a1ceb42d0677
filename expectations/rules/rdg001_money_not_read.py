"""RDG001 — a sentence holds money the reading could not read (ingest/audit.py: every number accounted for).

A warning, not a rejection: the district is told which sentences to look at (a figure written in an unusual way, a
table that lost its layout) so that the city's figures are not silently short of them.
"""

from expectations.rules.base import reading_problem_rule
from ingest.submission_codes import UNREAD_MONEY

RULE = reading_problem_rule(
    id="RDG001",
    severity="warning",
    code=UNREAD_MONEY,
    title="Money in the text that could not be read",
    description_zh="报告中的每一个金额都应能被读出；未能读出的金额所在句子会被列出，请核对写法。",
    advice_zh="。请核对该处金额的写法（数字与单位写在一起，如“12.5万元”），或改用统一报表模板报送。",
)
