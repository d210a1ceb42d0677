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
