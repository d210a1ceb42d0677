"""A filled copy of the city's Excel template (ingest/template.py) for one district-year, with its truth record.

Some districts answer with the template instead of a narrative; the benchmark mixes both, as a real year would.
The truth has the narrative truth's shape: amounts in 元 with their parent, counts with their unit; `text` is the cell.
"""

from __future__ import annotations

from pathlib import Path

from ingest.template import write_template
from synth.figures import Breakdown, Figures

# (sheet, category choice for the total, category choice for the items, truth kind)
SHEETS = {
    "activity": ("支出", "文体活动", "文体活动", "activity"),
    "hardship": ("帮扶", "困难职工帮扶", "其他帮扶", "hardship"),
    "subsidy": ("对下补助", "对下补助", "基层工会工作经费", "subsidy_lower"),
}
COUNT_HEADER = {"人次": "人次", "户": "户数", "个": "受补助单位数", "家": "受补助单位数"}


def _row(headers: list[str], values: dict[str, object]) -> list[object]:
    return [values.get(h) for h in headers]


def fill_template(
    path: Path, *, union_name: str, district_code: str, year: int, figures: Figures
) -> tuple[Path, list[dict], list[dict]]:
    """Write the filled template; return (path, amount facts, count facts) as truth."""
    from openpyxl import load_workbook

    path = write_template(path.with_suffix(".xlsx"), union_name=union_name, district_code=district_code, year=year)
    wb = load_workbook(path)
    facts: list[dict] = []
    counts: list[dict] = []
    overview = wb["概况"]
    for row, (label, value, kind) in enumerate(
        [
            ("部门整体支出", figures.total, "total_spending"),
            ("基本支出", figures.basic, "basic_spending"),
            ("项目支出", figures.project, "project_spending"),
        ],
        start=5,
    ):
        overview.cell(row=row, column=2, value=value)
        fact = {
            "label": label,
            "value_yuan": value,
            "unit_in_text": "元",
            "text": f"概况!B{row}",
            "measure": "actual",
            "kind": kind,
        }
        facts.append(fact if kind == "total_spending" else {**fact, "parent": "部门整体支出"})
    breakdowns: dict[str, Breakdown] = {
        "activity": figures.activity,
        "hardship": figures.hardship,
        "subsidy": figures.subsidy,
    }
    for key, (sheet_name, total_choice, item_choice, kind) in SHEETS.items():
        ws, b = wb[sheet_name], breakdowns[key]
        headers = [c.value for c in ws[1]]
        ws.append(
            _row(
                headers,
                {
                    "序号": 1,
                    "项目名称": f"{b.topic}支出",
                    "类别": total_choice,
                    "口径": "实际支出",
                    "金额（元）": b.total,
                },
            )
        )
        facts.append(
            {
                "label": f"{b.topic}支出",
                "value_yuan": b.total,
                "unit_in_text": "元",
                "text": f"{sheet_name}!E2",
                "measure": "actual",
                "kind": kind,
            }
        )
        for n, item in enumerate(b.items, start=2):
            values = {
                "序号": n,
                "项目名称": item.label,
                "类别": item_choice,
                "口径": "实际支出",
                "金额（元）": item.amount,
                "上级序号": 1,
            }
            header = COUNT_HEADER.get(item.count_unit or "")
            if item.count is not None and header in headers:
                values[header] = item.count
                counts.append(
                    {
                        "label": f"{item.label}{item.count_noun}",
                        "value": item.count,
                        "unit": item.count_unit,
                        "text": f"{sheet_name}!{n + 1}",
                        "kind": "beneficiaries",
                    }
                )
            ws.append(_row(headers, values))
            facts.append(
                {
                    "label": item.label,
                    "value_yuan": item.amount,
                    "unit_in_text": "元",
                    "text": f"{sheet_name}!E{n + 1}",
                    "measure": "actual",
                    "kind": kind,
                    "parent": f"{b.topic}支出",
                }
            )
    wb.save(path)
    return path, facts, counts
