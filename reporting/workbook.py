"""city_report.xlsx: the report's tables as sheets, numbers as numbers in 元, ready for the finance office."""
from __future__ import annotations

import re
from pathlib import Path

from ingest.taxonomy import category_zh
from reporting.data import MEASURE_ZH, SEVERITY_ZH, YearData

YUAN_FORMAT = '#,##0.00"元"'
COUNT_FORMAT = "#,##0"
# A sheet per district reads well for a city's dozen; a province's hundreds are filtered by 区县 on the fact sheets.
MAX_DISTRICT_SHEETS = 30
WIDTH_SAMPLE = 2000           # rows a column's width is taken from (measuring 60,000 costs more than it shows)
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def _width(value) -> int:
    text = "" if value is None else (f"{value:,.2f}" if isinstance(value, float) else str(value))
    return len(text) + len(CJK.findall(text))          # a CJK character is two columns wide


def _sheet(wb, title: str, headers: list[tuple[str, str | None]], rows: list[list]) -> None:
    """headers: (name, number format or None). Streams rows (write-only workbook): a province's year is 60,000+."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title[:31])
    sample = rows[:WIDTH_SAMPLE]
    for col, (name, _) in enumerate(headers, start=1):
        widest = max([_width(name)] + [_width(r[col - 1]) for r in sample])
        ws.column_dimensions[get_column_letter(col)].width = min(max(widest + 2, 8), 60)
    ws.freeze_panes = "A2"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")

    def header(name: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=name)
        cell.font, cell.fill = bold, fill
        return cell

    ws.append([header(name) for name, _ in headers])
    formats = [fmt for _, fmt in headers]
    for row in rows:
        ws.append([_formatted(ws, value, fmt) for value, fmt in zip(row, formats)])
    # filter by 区县 instead of scrolling thousands of rows
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"


def _formatted(ws, value, fmt: str | None):
    if fmt is None or value is None:
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = fmt
    return cell


def write_workbook(d: YearData, path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    _sheet(wb, "汇总", [("区县代码", None), ("区县", None), ("状态", None), ("部门整体支出", YUAN_FORMAT),
                      ("基本支出", YUAN_FORMAT), ("项目支出", YUAN_FORMAT), ("文体活动", YUAN_FORMAT),
                      ("困难帮扶", YUAN_FORMAT), ("帮扶人次", COUNT_FORMAT), ("对下补助", YUAN_FORMAT),
                      ("登记编号", None), ("版本", None)],
           [[r["district_code"], r["district_name"], r["status_zh"], r["total_spending_yuan"], r["basic_spending_yuan"],
             r["project_spending_yuan"], r["activity_yuan"], r["aid_yuan"], r["aid_person_times"], r["subsidy_yuan"],
             r["submission_id"], r["version"]] for r in d.rollup])
    fact_headers = [("区县", None), ("类别", None), ("项目", None), ("口径", None), ("金额", YUAN_FORMAT),
                    ("人次", COUNT_FORMAT), ("人数/单位数", COUNT_FORMAT), ("登记编号", None), ("数字编号", None),
                    ("原文", None)]

    def fact_rows(rows):
        return [[f["district_name"], category_zh(f["category"]), f["item"],
                 MEASURE_ZH.get(f["measure"]), f["amount_yuan"], f["person_times"], f["recipients"],
                 f["submission_id"], f["fact_id"], f["source_text"]] for f in rows]

    _sheet(wb, "支出", fact_headers, fact_rows(d.spending))
    _sheet(wb, "帮扶", fact_headers, fact_rows(d.beneficiaries))
    _sheet(wb, "对下补助", fact_headers, fact_rows(d.subsidies))
    _sheet(wb, "数据质量", [("区县代码", None), ("规则", None), ("级别", None), ("说明", None), ("应为", YUAN_FORMAT),
                        ("报送", YUAN_FORMAT), ("差额", YUAN_FORMAT)],
           [[f["district_code"], f["rule_id"], SEVERITY_ZH.get(f["severity"], f["severity"]), f["message"],
             f["expected"], f["provided"], f["difference"]] for f in d.findings])
    accepted = [r for r in d.rollup if r["status"] == "accepted"]
    if len(accepted) <= MAX_DISTRICT_SHEETS:
        own: dict[str, dict] = {r["district_code"]: {} for r in accepted}
        for f in d.spending + d.beneficiaries + d.subsidies:
            if f["district_code"] in own:
                own[f["district_code"]][(f["submission_id"], f["fact_id"])] = f
        for r in accepted:
            _sheet(wb, r["district_name"], fact_headers, fact_rows(list(own[r["district_code"]].values())))
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
