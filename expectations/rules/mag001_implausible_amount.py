"""MAG001 — an amount no district union can have (a unit typed as 元 for 万元, digits run together, 1e30).

Fatal: one such figure would become the city's total. The ceiling is the installation's `max_amount_yuan`
(rules.toml; default 100亿元, more than a province federation spends in a year).
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from expectations.facts import fmt_yuan, is_amount
from expectations.rules.base import Finding, Rule, SubmissionContext


def check(ctx: SubmissionContext) -> Iterator[Finding]:
    ceiling = ctx.settings.max_amount_yuan
    for row in (r for r in ctx.rows if is_amount(r) and not r["derived"]):
        value = row["value"]
        if math.isfinite(value) and abs(value) <= ceiling:
            continue
        written = (row["source_text"] or "")[:60]
        size = (
            "数字过大，无法读出"
            if not math.isfinite(value)
            else f"为{fmt_yuan(value)}，超过合理上限{fmt_yuan(ceiling)}"
        )
        yield RULE.finding(
            f"「{row['label']}」{size}（原文：“{written}”）。请核对单位（元/万元）和数字是否写错。",
            fact_id=row["fact_id"],
            expected=ceiling,
            provided=value if math.isfinite(value) else None,
        )


RULE = Rule(
    id="MAG001",
    severity="fatal",
    title="Amount beyond any plausible district figure",
    description_zh="每一个金额都应在区县工会可能的范围内（默认不超过100亿元，可在 rules.toml 中设置）。",
    check=check,
    compared_zh=("合理上限", "报送金额"),
)
