"""The states a submission can be in and the severities of findings, each with its one Chinese label.

One table for every page, receipt, workbook and message — and for the SQL: dbt receives these tables as --vars
(core.dbt_manifest.dbt_vars), so rpt_city_rollup.status_zh is written from here too.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    RECEIVED = "received"  # recorded, being examined
    ACCEPTED = "accepted"
    REJECTED = "rejected"  # filed, to be corrected (a fatal finding)
    QUARANTINED = "quarantined"  # filed under no district (unreadable, another union's, another year)
    SUPERSEDED = "superseded"  # an accepted version replaced by a later accepted one
    DUPLICATE = "duplicate"  # the same bytes again: nothing new
    REFUSED = "refused"  # not taken in at all (where it was put, its size, its name)


class Severity(StrEnum):
    FATAL = "fatal"
    WARNING = "warning"
    CITY = "city"  # blocks the city report


STATUS_ZH: dict[str, str] = {
    Status.RECEIVED: "已收到",
    Status.ACCEPTED: "已接收",
    Status.REJECTED: "待更正",
    Status.QUARANTINED: "已隔离",
    Status.SUPERSEDED: "已被新版本替代",
    Status.DUPLICATE: "重复报送（未重复登记）",
    Status.REFUSED: "未接收",
}
# A district-year in the city's rollup: an accepted version, only versions to be corrected, or nothing received.
DISTRICT_YEAR_ZH: dict[str, str] = {"accepted": "已接收", "rejected": "待更正", "missing": "未报送"}
SEVERITY_ZH: dict[str, str] = {Severity.FATAL: "须更正", Severity.WARNING: "提示", Severity.CITY: "阻断发布"}


class ReviewState(StrEnum):
    """Where a version's figures stand on their way into the city's sums: 报送 → 确认 → 审核 (or 退回)."""

    UNCONFIRMED = "unconfirmed"  # taken in; the district has not confirmed the figures (or changed them since)
    CONFIRMED = "confirmed"  # the district confirmed the figures; the city has not reviewed them
    APPROVED = "approved"  # the city approved the confirmed figures: locked for the report
    RETURNED = "returned"  # the city sent them back with a comment


REVIEW_STATE_ZH: dict[str, str] = {
    ReviewState.UNCONFIRMED: "待确认",
    ReviewState.CONFIRMED: "已确认待审核",
    ReviewState.APPROVED: "已审核",
    ReviewState.RETURNED: "已退回",
}
# What a clerk can say of a figure the reader meant to sum, and what each means for the warehouse: some are a measure
# the contract already has (其他年度 → prior, 标准 → rate), 转拨 is the pass-through category, the rest are excluded.
NOT_SUMMED_ZH: dict[str, str] = {
    "cumulative": "累计数（非本年）",
    "other_year": "其他年度",
    "other_org": "其他单位的数",
    "pass_through": "转拨资金",
    "standard": "标准（每人/每户）",
}

# What the reader itself leaves out of the rollup (Fact.restates, Fact.scope), as a clerk's 不计入 reads: a clerk who
# disagrees says 计入 (not_summed ''), which clears the reader's mark
READER_NOT_SUMMED_ZH: dict[str, str] = {
    "restated": "重复表述（读取判断）",
    "all_levels": "各级工会合计（读取判断）",
}

# What a district corrected of a fact (rpt_reading_accuracy.correction; the ledger's fields, 不计入 and 补录)
CORRECTION_ZH = {
    "value": "数值",
    "category": "类别",
    "measure": "口径",
    "parent": "所属上级数字",
    "not_summed": "不计入",
    "added": "补录（漏读）",
}

# The city rollup's figures (rpt_city_rollup columns, dbt macro rollup_figures) and measures, as people read them.
FIGURE_ZH = {
    "total_spending_yuan": "部门整体支出",
    "basic_spending_yuan": "基本支出",
    "project_spending_yuan": "项目支出",
    "activity_yuan": "文体活动",
    "aid_yuan": "困难帮扶",
    "aid_person_times": "帮扶人次",
    "subsidy_yuan": "对下补助",
    "pass_through_yuan": "转拨上级资金",
}
MEASURE_ZH = {"actual": "实际", "budget": "预算", "change": "增减", "prior": "上年", "rate": "标准", None: "—"}
