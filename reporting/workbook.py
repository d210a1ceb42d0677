"""city_report.xlsx: the report's tables as sheets, numbers as numbers in 元, ready for the finance office."""

from __future__ import annotations

import os
import re
from pathlib import Path

from core.labels import SEVERITY_ZH
from expectations.catalogue import compared_zh
from ingest.taxonomy import category_zh
from reporting.data import MEASURE_ZH, YearData

YUAN_FORMAT = '#,##0.00"元"'
COUNT_FORMAT = "#,##0"
# A sheet per district reads well for a city's dozen; a province's hundreds are filtered by 区县 on the fact sheets.
MAX_DISTRICT_SHEETS = 30
WIDTH_SAMPLE = 2000  # rows a column's width is taken from (measuring 60,000 costs more than it shows)
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def _width(value) -> int:
    text = "" if value is None else (f"{value:,.2f}" if isinstance(value, float) else str(value))
    return len(text) + len(CJK.findall(text))  # a CJK character is two columns wide


class _Book:
    """An xlsxwriter workbook in constant-memory mode: rows stream to disk (a national year is 60,000+ fact rows, and
    xlsxwriter writes them several times faster than openpyxl)."""

    def __init__(self, path: Path):
        import xlsxwriter

        path.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = path.with_name(f".{path.name}.tmp")
        self.path = path
        self.wb = xlsxwriter.Workbook(str(self.tmp), {"constant_memory": True, "nan_inf_to_errors": True})
        self.header = self.wb.add_format({"bold": True, "bg_color": "#DDEBF7"})
        self.formats = {fmt: self.wb.add_format({"num_format": fmt}) for fmt in (YUAN_FORMAT, COUNT_FORMAT)}

    def sheet(self, title: str, headers: list[tuple[str, str | None]], rows: list[list]) -> None:
        """headers: (name, number format or None)."""
        ws = self.wb.add_worksheet(title[:31])
        sample = rows[:WIDTH_SAMPLE]
        for col, (name, fmt) in enumerate(headers):
            widest = max([_width(name)] + [_width(r[col]) for r in sample])
            ws.set_column(col, col, min(max(widest + 2, 8), 60), self.formats.get(fmt))
        ws.write_row(0, 0, [name for name, _ in headers], self.header)
        for n, row in enumerate(rows, start=1):
            ws.write_row(n, 0, row)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, len(rows), len(headers) - 1)  # filter by 区县 instead of scrolling thousands of rows

    def close(self) -> Path:
        self.wb.close()
        os.replace(self.tmp, self.path)
        return self.path


DERIVED_ZH = {"total_spending": "部门整体支出", "basic_spending": "基本支出", "project_spending": "项目支出"}


def derived_note(row: dict) -> str:
    """Which headline figures of a district are （推算） (not stated; from the other two)."""
    named = [zh for key, zh in DERIVED_ZH.items() if row.get(f"{key}_derived")]
    return f"{'、'.join(named)}为推算数（报告未直接列出）" if named else ""


def write_workbook(d: YearData, path: Path) -> Path:
    wb = _Book(path)
    names = {r["district_code"]: r["district_name"] for r in d.rollup}
    wb.sheet(
        "汇总",
        [
            ("区县代码", None),
            ("区县", None),
            ("状态", None),
            ("部门整体支出", YUAN_FORMAT),
            ("基本支出", YUAN_FORMAT),
            ("项目支出", YUAN_FORMAT),
            ("文体活动", YUAN_FORMAT),
            ("困难帮扶", YUAN_FORMAT),
            ("帮扶人次", COUNT_FORMAT),
            ("对下补助", YUAN_FORMAT),
            ("登记编号", None),
            ("版本", None),
            ("说明", None),
        ],
        [
            [
                r["district_code"],
                r["district_name"],
                r["status_zh"],
                r["total_spending_yuan"],
                r["basic_spending_yuan"],
                r["project_spending_yuan"],
                r["activity_yuan"],
                r["aid_yuan"],
                r["aid_person_times"],
                r["subsidy_yuan"],
                r["submission_id"],
                r["version"],
                derived_note(r),
            ]
            for r in d.rollup
        ],
    )
    fact_headers = [
        ("区县", None),
        ("类别", None),
        ("项目", None),
        ("口径", None),
        ("金额", YUAN_FORMAT),
        ("人次", COUNT_FORMAT),
        ("人数/单位数", COUNT_FORMAT),
        ("登记编号", None),
        ("数字编号", None),
        ("原文", None),
    ]

    def fact_rows(rows):
        return [
            [
                f["district_name"],
                category_zh(f["category"]),
                f["item"],
                MEASURE_ZH.get(f["measure"]),
                f["amount_yuan"],
                f["person_times"],
                f["recipients"],
                f["submission_id"],
                f["fact_id"],
                f["source_text"],
            ]
            for f in rows
        ]

    wb.sheet("支出", fact_headers, fact_rows(d.spending))
    wb.sheet("帮扶", fact_headers, fact_rows(d.beneficiaries))
    wb.sheet("对下补助", fact_headers, fact_rows(d.subsidies))
    wb.sheet(
        "数据质量",
        [
            ("区县代码", None),
            ("区县", None),
            ("规则", None),
            ("级别", None),
            ("说明", None),
            ("比较项一", None),
            ("数值一", YUAN_FORMAT),
            ("比较项二", None),
            ("数值二", YUAN_FORMAT),
            ("差额", YUAN_FORMAT),
        ],
        [
            [
                f["district_code"],
                names.get(f["district_code"], f["district_code"]),
                f["rule_id"],
                SEVERITY_ZH.get(f["severity"], f["severity"]),
                f["message"],
                compared_zh(f["rule_id"])[0],
                f["expected"],
                compared_zh(f["rule_id"])[1],
                f["provided"],
                f["difference"],
            ]
            for f in d.findings
        ],
    )
    accepted = [r for r in d.rollup if r["status"] == "accepted"]
    if len(accepted) <= MAX_DISTRICT_SHEETS:
        own: dict[str, dict] = {r["district_code"]: {} for r in accepted}
        for f in d.spending + d.beneficiaries + d.subsidies:
            if f["district_code"] in own:
                own[f["district_code"]][(f["submission_id"], f["fact_id"])] = f
        for r in accepted:
            wb.sheet(r["district_name"], fact_headers, fact_rows(list(own[r["district_code"]].values())))
    return wb.close()
