"""city_report.xlsx: the report's tables as sheets, numbers as numbers in 元, ready for the finance office."""

from __future__ import annotations

import os
import re
from pathlib import Path

from core.db import beijing_minute
from core.labels import SEVERITY_ZH
from expectations.catalogue import compared_zh
from ingest.taxonomy import category_zh
from reporting.data import FIGURE_ZH, MEASURE_ZH, YearData
from reporting.formatting import comparable_yoy, district_yoy, reading_note, review_mark
from reporting.xlsx_body import BodySheet, column_letter

YUAN_FORMAT = '#,##0.00"元"'
COUNT_FORMAT = "#,##0"
# A sheet per district reads well for a city's dozen; a province's hundreds are filtered by 区县 on the fact sheets.
MAX_DISTRICT_SHEETS = 30
WIDTH_SAMPLE = 2000  # rows a column's width is taken from (measuring 60,000 costs more than it shows)
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def _width(value) -> int:
    text = "" if value is None else (f"{value:,.2f}" if isinstance(value, float) else str(value))
    return len(text) + len(CJK.findall(text))  # a CJK character is two columns wide


FONT = "等线"  # Office's default CJK face; LibreOffice falls back to Noto Sans CJK (a Latin face would box the text)
PERCENT_FORMAT = "+0.0%;-0.0%;0.0%"
TOTAL_LABEL = "全市合计"
SUMMED_COLUMN = 4  # 汇总 sheet: 计入合计 (是/否), the rows its totals take
FIRST_FIGURE_COLUMN = 5  # 汇总 sheet: 部门整体支出, then the other rollup figures in FIGURE_ZH's order
TABLE_FIRST_ROW = 3  # title, unit and date, a note or a blank line, then the table


class _Book:
    """An xlsxwriter workbook whose sheets are Excel tables under a title block, printed landscape on A4 at one page
    wide with the header repeated; each table's body rows are rendered in one pass (reporting/xlsx_body.py)."""

    def __init__(self, path: Path, *, title: str, subtitle: str, maker: str):
        import xlsxwriter

        path.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = path.with_name(f".{path.name}.tmp")
        self.path = path
        self.title, self.subtitle, self.maker = title, subtitle, maker
        self.wb = xlsxwriter.Workbook(
            str(self.tmp),
            {"nan_inf_to_errors": True, "default_format_properties": {"font_name": FONT, "font_size": 11}},
        )
        self.title_format = self.wb.add_format({"bold": True, "font_size": 14, "font_name": FONT})
        self.subtitle_format = self.wb.add_format({"font_color": "#555555", "font_name": FONT})
        self.formats: dict[str | None, object] = {  # a column without a number format looks up None: no format
            fmt: self.wb.add_format({"num_format": fmt, "font_name": FONT})
            for fmt in (YUAN_FORMAT, COUNT_FORMAT, PERCENT_FORMAT)
        }
        self.tables = 0

    def sheet(
        self,
        title: str,
        headers: list[tuple[str, str | None]],
        rows: list[list],
        *,
        totals: dict[int, str | tuple[str, int]] | None = None,
        total_label: str = "",
        note: str = "",
    ) -> None:
        """headers: (name, number format or None); totals: {column: 'sum' | ('sum_where', flag column) | a fixed
        text} for a total row whose sums are SUM formulas over the column, or SUMIF over the rows whose flag column
        says 是 (their cached values computed here, for readers that do not calculate)."""
        ws = self.wb.add_worksheet(title[:31], worksheet_class=BodySheet)
        sample = rows[:WIDTH_SAMPLE]
        for col, (name, fmt) in enumerate(headers):
            widest = max([_width(name)] + [_width(r[col]) for r in sample])
            ws.set_column(col, col, min(max(widest + 2, 8), 60), self.formats.get(fmt))
        ws.write(0, 0, f"{self.title}——{title}", self.title_format)
        ws.write(1, 0, self.subtitle, self.subtitle_format)
        if note:
            ws.write(2, 0, note, self.subtitle_format)
        first, last = TABLE_FIRST_ROW, TABLE_FIRST_ROW + max(len(rows), 1) + (1 if totals else 0)
        columns = []
        for col, (name, fmt) in enumerate(headers):
            column: dict = {"header": name, "format": self.formats.get(fmt)}
            if totals and col == 0:
                column["total_string"] = total_label
            elif totals and totals.get(col) == "sum":
                letter = column_letter(col)
                column["total_function"] = f"SUM({letter}{first + 2}:{letter}{first + 1 + len(rows)})"
                column["total_value"] = sum(r[col] for r in rows if isinstance(r[col], int | float))
            elif totals and isinstance(totals.get(col), tuple):
                top, bottom = first + 2, first + 1 + len(rows)
                letter, flag = column_letter(col), column_letter(totals[col][1])
                column["total_function"] = f'SUMIF({flag}{top}:{flag}{bottom},"是",{letter}{top}:{letter}{bottom})'
                column["total_value"] = sum(
                    r[col] for r in rows if isinstance(r[col], int | float) and r[totals[col][1]] == "是"
                )
            elif totals and col in totals:
                column["total_string"] = totals[col]
            columns.append(column)
        self.tables += 1
        ws.add_table(
            first,
            0,
            last,
            len(headers) - 1,
            {
                "name": f"Table{self.tables}",
                "columns": columns,
                "total_row": bool(totals),
                "style": "Table Style Light 9",
            },
        )
        ws.set_body(first + 1, rows, [self.formats.get(fmt) for _, fmt in headers])
        ws.freeze_panes(first + 1, 0)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)  # one page wide, as many tall as it takes
        ws.repeat_rows(first)
        ws.set_footer(f"&L&8制表单位：{self.maker}&R&8第 &P 页，共 &N 页")

    def close(self) -> Path:
        self.wb.close()
        os.replace(self.tmp, self.path)
        return self.path


HEADLINE = ("total_spending", "basic_spending", "project_spending")  # the figures that may be （推算）


def _short_change(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio:+.1%}（可比口径）"


def summary_note(row: dict) -> str:
    """What a 汇总 row's figures need said: which are （推算） (not stated; from the other two), why 同比 is empty."""
    named = [FIGURE_ZH[f"{key}_yuan"] for key in HEADLINE if row.get(f"{key}_derived")]
    notes = [f"{'、'.join(named)}为推算数（报告未直接列出）"] if named else []
    if row["status"] == "accepted" and row["total_spending_yoy_ratio"] is None:
        notes.append(district_yoy(None, row["prior_status"]))
    return "；".join(notes)


def _finding_row(f: dict, names: dict[str, str]) -> list:
    first, second = compared_zh(f["rule_id"])  # what the two figures are, without saying which is right
    return [
        f["district_code"],
        names.get(f["district_code"], f["district_code"]),
        f["rule_id"],
        SEVERITY_ZH.get(f["severity"], f["severity"]),
        f["message"],
        first,
        f["expected"],
        second,
        f["provided"],
        f["difference"],
    ]


def write_workbook(d: YearData, path: Path) -> Path:
    maker = f"{d.city_name}总工会"
    wb = _Book(
        path,
        title=f"{maker}{d.year}年度区县工会部门整体支出",
        subtitle=f"单位：元（人次、个除外）　数据截至：{beijing_minute()}（北京时间）　制表单位：{maker}",
        maker=maker,
    )
    names = {r["district_code"]: r["district_name"] for r in d.rollup}
    partial = any(r["status"] == "accepted" and not r["summed"] for r in d.rollup)  # unreviewed figures left out
    summary_headers = [
        ("区县代码", None),
        ("区县", None),
        ("状态", None),
        ("审核", None),
        ("计入合计", None),
        ("部门整体支出", YUAN_FORMAT),
        ("基本支出", YUAN_FORMAT),
        ("项目支出", YUAN_FORMAT),
        ("文体活动", YUAN_FORMAT),
        ("困难帮扶", YUAN_FORMAT),
        ("帮扶人次", COUNT_FORMAT),
        ("对下补助", YUAN_FORMAT),
        ("上年部门整体支出", YUAN_FORMAT),
        ("整体支出同比", PERCENT_FORMAT),
        ("登记编号", None),
        ("版本", None),
        ("说明", None),
    ]
    wb.sheet(
        "汇总",
        summary_headers,
        [
            [
                r["district_code"],
                r["district_name"],
                r["status_zh"],
                review_mark(r),
                "是" if r["summed"] else "否",
                r["total_spending_yuan"],
                r["basic_spending_yuan"],
                r["project_spending_yuan"],
                r["activity_yuan"],
                r["aid_yuan"],
                r["aid_person_times"],
                r["subsidy_yuan"],
                r["prior_total_spending_yuan"] if r["status"] == "accepted" else None,
                r["total_spending_yoy_ratio"] if r["status"] == "accepted" else None,
                r["submission_id"],
                r["version"],
                summary_note(r),
            ]
            for r in d.rollup
        ],
        totals={
            # the city's totals take the rows marked 计入合计: a plain SUM while they are all the figures shown
            **{
                col: ("sum_where", SUMMED_COLUMN) if partial else "sum"
                for col in range(FIRST_FIGURE_COLUMN, FIRST_FIGURE_COLUMN + 7)
            },
            1: f"{d.totals.get('districts_accepted', 0)}个已接收",
            3: f"{d.totals.get('districts_approved', 0)}个已审核",
            13: _short_change(d.totals.get("comparable_total_spending_yoy_ratio")),
        },
        total_label=TOTAL_LABEL,
        note=f"全市部门整体支出{comparable_yoy(d.totals, 'total_spending')}" if d.totals else "",
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
        ("区县更正（原读取）", None),
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
                f["source_text"] + (f"（扫描件第{f['scan_page']}页，文字识别）" if f.get("scan_page") else ""),
                reading_note(f),
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
        [_finding_row(f, names) for f in d.findings],
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
