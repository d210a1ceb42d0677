"""PBN001 — aid per 人次 outside a plausible band (configurable: rules.toml, core.settings.RuleThresholds)."""

from __future__ import annotations

from collections.abc import Iterator

from expectations.facts import area_of, fmt_yuan, is_amount
from expectations.rules.base import Finding, Rule, SubmissionContext

PERSON_TIMES_UNITS = ["人次", "户次", "人", "名", "户"]


def check(ctx: SubmissionContext) -> Iterator[Finding]:
    low, high = ctx.settings.aid_per_person_band
    amounts = {
        r["fact_id"]: r
        for r in ctx.rows
        if is_amount(r) and r["measure"] == "actual" and area_of(r["category"]) == "aid"
    }
    for row in ctx.rows:
        amount = amounts.get(row["parent_fact_id"] or "")
        if row["kind"] != "count" or row["unit"] not in PERSON_TIMES_UNITS or amount is None or row["value"] <= 0:
            continue
        row = {**row, "value_amount": amount["value"], "label_amount": amount["label"]}
        per_person = row["value_amount"] / row["value"]
        if not low <= per_person <= high:
            yield RULE.finding(
                f"「{row['label_amount']}」{fmt_yuan(row['value_amount'])}对应{row['value']:g}{row['unit']}，"
                f"人均{fmt_yuan(per_person)}，超出常见范围（{low:,.0f}–{high:,.0f}元），请核对金额或人次。",
                fact_id=row["fact_id"],
                expected=None,
                provided=per_person,
            )


RULE = Rule(
    id="PBN001",
    severity="warning",
    title="Aid per beneficiary outside the plausible band",
    description_zh="帮扶金额除以人次的人均数应在合理范围内。",
    check=check,
    compared_zh=("", "人均金额"),
)
