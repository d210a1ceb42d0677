"""The structured Excel template the city hands out, and reading a filled one (or a CSV of the same columns).

A filled template yields the same facts as a narrative report; each fact's provenance is its cell reference
("支出!E5"), kept in `text` since a template has no sentence. Every problem names the sheet, the cell and what is
wrong, in Chinese, so the district can correct it.
"""

from __future__ import annotations

import csv
import math
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

from ingest.model import Document, Extraction, Fact, Problem
from ingest.readers import zip_bomb_problem
from ingest.submission_codes import TEMPLATE_CELL  # a cell the district must correct (rule TPL001)

CELL_PRECISION = 0.005  # template amounts are exact to the fen (分) they are typed in
MAX_ROWS = 2_000  # rows per sheet: a district's year has tens of items; more is a pasted export, not a report

# The template's drop-down vocabulary → taxonomy categories (ingest/taxonomy.py defines the categories).
CATEGORY_CHOICES: dict[str, dict[str, str]] = {
    "支出": {
        "文体活动": "activity.culture_sports",
        "劳动竞赛": "activity.competition",
        "劳模工作": "activity.model_worker",
        "职工培训": "activity.training",
        "其他活动": "activity.other",
        "三公经费": "spending.three_public",
        "其他项目支出": "spending.project",
    },
    "帮扶": {
        "困难职工帮扶": "aid.hardship",
        "医疗互助/大病救助": "aid.medical",
        "生活救助": "aid.living",
        "助学": "aid.education",
        "送温暖": "aid.warmth",
        "慰问": "aid.condolence",
        "防汛救灾": "aid.disaster",
        "其他帮扶": "aid.other",
    },
    "对下补助": {
        "对下补助": "subsidy.lower",
        "户外劳动者服务站点": "subsidy.station",
        "基层工会工作经费": "subsidy.grassroots_funding",
        "设施建设": "subsidy.facilities",
        "转拨上级资金": "subsidy.pass_through",
    },
}
MEASURE_CHOICES = {"实际支出": "actual", "预算": "budget"}
OVERVIEW_ROWS = [("部门整体支出", "spending.total"), ("基本支出", "spending.basic"), ("项目支出", "spending.project")]


@dataclass(frozen=True)
class Column:
    header: str
    width: int


DETAIL_COLUMNS = {
    "支出": [
        Column("序号", 6),
        Column("项目名称", 32),
        Column("类别", 16),
        Column("口径", 10),
        Column("金额（元）", 16),
        Column("上级序号", 10),
        Column("说明", 40),
    ],
    "帮扶": [
        Column("序号", 6),
        Column("项目名称", 32),
        Column("类别", 18),
        Column("口径", 10),
        Column("金额（元）", 16),
        Column("人次", 10),
        Column("户数", 10),
        Column("上级序号", 10),
        Column("说明", 40),
    ],
    "对下补助": [
        Column("序号", 6),
        Column("项目名称", 32),
        Column("类别", 18),
        Column("口径", 10),
        Column("金额（元）", 16),
        Column("受补助单位数", 14),
        Column("上级序号", 10),
        Column("说明", 40),
    ],
}
COUNT_COLUMNS = {"人次": "人次", "户数": "户", "受补助单位数": "个"}
REQUIRED_SHEETS = ["概况", *DETAIL_COLUMNS]


def write_template(
    path: Path, *, union_name: str, district_code: str, year: int, previous: dict[str, float] | None = None
) -> Path:
    """The blank template for one district-year: units stated in headers, drop-downs on every coded column.
    `previous` (category → 元): last year's accepted figures, shown beside the cells for reference, never as values."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    head = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    overview = wb.active
    overview.title = "概况"
    overview.append(["项目", "内容", "说明"] + ([f"{year - 1}年度数（元，仅供参考）"] if previous else []))
    overview.append(["报送单位", union_name, "请勿修改"])
    overview.append(["行政区划代码", district_code, "请勿修改"])
    overview.append(["年度", year, "请勿修改"])
    for label, category in OVERVIEW_ROWS:
        reference = [(previous or {}).get(category)] if previous else []
        overview.append([f"{label}（元）", None, "填写本年度实际数，单位：元", *reference])
    money = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        error="请填写不小于0的数字（单位：元）",
        showErrorMessage=True,
    )
    overview.add_data_validation(money)
    money.add(f"B5:B{4 + len(OVERVIEW_ROWS)}")
    overview.column_dimensions["A"].width, overview.column_dimensions["B"].width = 22, 30
    overview.column_dimensions["C"].width = 36
    if previous:
        overview.column_dimensions["D"].width = 26
        for row in overview.iter_rows(min_row=5, max_row=4 + len(OVERVIEW_ROWS), min_col=4, max_col=4):
            row[0].number_format = "#,##0.00"
    for sheet_name, columns in DETAIL_COLUMNS.items():
        ws = wb.create_sheet(sheet_name)
        ws.append([c.header for c in columns])
        for i, column in enumerate(columns, start=1):
            ws.cell(row=1, column=i).font, ws.cell(row=1, column=i).fill = head, fill
            ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = column.width
        ws.freeze_panes = "A2"
        letters = {c.header: ws.cell(row=1, column=i).column_letter for i, c in enumerate(columns, start=1)}
        choices = DataValidation(
            type="list",
            formula1='"' + ",".join(CATEGORY_CHOICES[sheet_name]) + '"',
            allow_blank=True,
            showErrorMessage=True,
            error="请从下拉列表中选择类别",
        )
        measures = DataValidation(
            type="list",
            formula1='"' + ",".join(MEASURE_CHOICES) + '"',
            allow_blank=True,
            showErrorMessage=True,
            error="请选择 实际支出 或 预算",
        )
        amount = DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            showErrorMessage=True,
            error="金额应为不小于0的数字（单位：元）",
        )
        counts = DataValidation(
            type="whole",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            showErrorMessage=True,
            error="人次、户数、单位数应为非负整数",
        )
        for validation in (choices, measures, amount, counts):
            ws.add_data_validation(validation)
        choices.add(f"{letters['类别']}2:{letters['类别']}500")
        measures.add(f"{letters['口径']}2:{letters['口径']}500")
        amount.add(f"{letters['金额（元）']}2:{letters['金额（元）']}500")
        for header in COUNT_COLUMNS:
            if header in letters:
                counts.add(f"{letters[header]}2:{letters[header]}500")
    notes = wb.create_sheet("填表说明")
    for line in [
        "金额一律以“元”为单位填写数字，不要带单位或文字。",
        "“口径”选择 实际支出 或 预算；预算数不计入汇总。",
        "明细项目请在“上级序号”中填写其所属合计项目的序号，合计项目本身留空。",
        "人次、户数、受补助单位数填写非负整数。",
        "请勿增删工作表或修改表头。",
    ]:
        notes.append([line])
    notes.column_dimensions["A"].width = 70
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


class _Reader:
    """Accumulates facts and problems while reading rows; one instance per file."""

    def __init__(self) -> None:
        self.facts: list[Fact] = []
        self.problems: list[Problem] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem("fatal", TEMPLATE_CELL, f"{where}：{message}"))

    def number(self, where: str, raw, *, whole: bool = False) -> float | None:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        if isinstance(raw, str) and raw.startswith("="):
            # a formula whose result Excel never stored: the figure is not in the file at all
            self.problem(
                where,
                f"是公式（{raw[:40]}）但文件中没有计算结果，请在Excel中打开、重新计算并保存后再报送，或直接填写数字",
            )
            return None
        try:
            value = float(str(raw).replace(",", "").strip()) if not isinstance(raw, (int, float)) else float(raw)
        except (ValueError, OverflowError):
            self.problem(where, f"应填写数字，实际为“{raw}”")
            return None
        if not math.isfinite(value):  # 1e400, Infinity, nan: no amount or count is that
            self.problem(where, f"不是有效的数字（“{raw}”），请填写实际金额或人数")
            return None
        if value < 0:
            self.problem(where, f"不能为负数（{raw}）")
            return None
        if whole and value != int(value):
            self.problem(where, f"应为整数（{raw}）")
            return None
        return value

    def add(self, **kw) -> Fact:
        fact = Fact(id=f"f{len(self.facts) + 1}", **kw)
        self.facts.append(fact)
        return fact

    def overview_rows(self, rows: Iterable[tuple[str, object, str]]) -> None:
        categories = {f"{label}（元）": (label, cat) for label, cat in OVERVIEW_ROWS}
        for label_cell, value, where in rows:
            if label_cell in categories:
                label, category = categories[label_cell]
                amount = self.number(where, value)
                if amount is not None:
                    self.add(
                        kind="amount",
                        label=label,
                        value=amount,
                        unit="元",
                        category=category,
                        measure="actual",
                        section="概况",
                        text=f"{where}：{label} = {amount:,.2f}元",
                        precision=CELL_PRECISION,
                    )

    def detail_rows(self, sheet: str, rows: Iterable[tuple[int, dict]], cell) -> None:
        by_number: dict[str, Fact] = {}
        pending_parent: list[tuple[Fact, str, str]] = []
        for row_no, row in rows:
            name = str(row.get("项目名称") or "").strip()
            if not name and row.get("金额（元）") in (None, ""):
                continue
            where = cell(row_no, "金额（元）")
            choice = str(row.get("类别") or "").strip()
            category = CATEGORY_CHOICES[sheet].get(choice)
            if category is None:
                self.problem(cell(row_no, "类别"), f"类别“{choice}”不在下拉列表中")
                category = "unclassified"
            measure = MEASURE_CHOICES.get(str(row.get("口径") or "实际支出").strip())
            if measure is None:
                self.problem(cell(row_no, "口径"), f"口径“{row.get('口径')}”应为 实际支出 或 预算")
            amount = self.number(where, row.get("金额（元）"))
            counts = {h: self.number(cell(row_no, h), row.get(h), whole=True) for h in COUNT_COLUMNS if h in row}
            if amount is None:
                continue
            fact = self.add(
                kind="amount",
                label=name or choice,
                value=amount,
                unit="元",
                category=category,
                measure=measure,
                section=sheet,
                text=f"{where}：{name} = {amount:,.2f}元",
                precision=CELL_PRECISION,
            )
            by_number[str(row.get("序号") or "").strip()] = fact
            parent = str(row.get("上级序号") or "").strip()
            if parent:
                pending_parent.append((fact, parent, cell(row_no, "上级序号")))
            for header, count in counts.items():
                if count is not None:
                    unit = COUNT_COLUMNS[header]
                    self.add(
                        kind="count",
                        label=f"{name}{header}",
                        value=count,
                        unit=unit,
                        category=category,
                        measure=None,
                        parent=fact.id,
                        section=sheet,
                        text=f"{cell(row_no, header)}：{name} {header} = {count:g}",
                        precision=0.0,
                    )
        for fact, parent, where in pending_parent:
            if parent in by_number and by_number[parent] is not fact:
                fact.parent = by_number[parent].id
            else:
                self.problem(where, f"上级序号“{parent}”在本表中不存在")


def _document(overview: dict[str, object], text: str) -> Document:
    stated = overview.get("年度")
    try:
        year = int(str(stated)) if stated is not None else None
    except (TypeError, ValueError):
        year = None
    return Document(org=str(overview.get("报送单位") or "") or None, year=year, kind="统一报表模板", text=text)


def read_template(path: Path) -> Extraction:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        # openpyxl unpacks whatever the archive holds: a 351 KB workbook of 1.4 GB shared strings must stop here
        problem = zip_bomb_problem(path)
        if problem:
            return _unreadable(path, problem.split("：", 1)[1])
        wb = load_workbook(path, data_only=True, read_only=True)
        # A formula's text is needed only where Excel stored no result; a workbook without formulas is read once.
        formulas = load_workbook(path, data_only=False, read_only=True) if _has_formulas(path) else None
    except Exception as exc:  # openpyxl raises many types for a broken file
        return _unreadable(path, f"无法打开Excel文件（{type(exc).__name__}）")
    missing = [s for s in REQUIRED_SHEETS if s not in wb.sheetnames]
    if missing:
        return _unreadable(path, f"缺少工作表：{'、'.join(missing)}（请使用市总工会下发的模板，不要删除工作表）")
    reader = _Reader()
    try:
        sheets = {
            name: _with_formulas(wb[name], formulas[name] if formulas else None, min_row=1) for name in REQUIRED_SHEETS
        }
    except TooManyRows as exc:
        return _unreadable(
            path, f"工作表“{exc}”填写的行数超过上限{MAX_ROWS}行。模板每表只需填写实际项目，请删除多余的行后报送"
        )
    overview_rows = sheets["概况"][1:]
    overview = {str(r[0]).strip(): r[1] for r in overview_rows if r and r[0] is not None}
    reader.overview_rows(
        (str(r[0]).strip(), r[1], f"概况!B{i}") for i, r in enumerate(overview_rows, start=2) if r and r[0] is not None
    )
    for sheet in DETAIL_COLUMNS:
        rows = sheets[sheet]
        headers = [str(h).strip() if h is not None else "" for h in (rows[0] if rows else [])]
        letters = {h: get_column_letter(i) for i, h in enumerate(headers, start=1)}
        missing_cols = [c.header for c in DETAIL_COLUMNS[sheet] if c.header not in letters]
        if missing_cols:
            reader.problem(f"{sheet}!1", f"缺少表头：{'、'.join(missing_cols)}")
            continue
        reader.detail_rows(
            sheet,
            ((n, dict(zip(headers, r))) for n, r in enumerate(rows[1:], start=2)),
            lambda n, h, s=sheet, L=letters: f"{s}!{L[h]}{n}",
        )
    wb.close()
    if formulas:
        formulas.close()
    return Extraction(_document(overview, _provenance_text(reader.facts)), reader.facts, reader.problems)


_FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[\s>/]")  # <f>, <f t="shared" …/>, <x:f>: a cell's formula


def _has_formulas(path: Path) -> bool:
    with zipfile.ZipFile(path) as zf:
        return any(
            _FORMULA_ELEMENT.search(zf.read(name))
            for name in zf.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        )


class TooManyRows(ValueError):
    """A sheet with more filled rows than a template ever needs (the name of the sheet)."""


def _with_formulas(values_sheet, formula_sheet, *, min_row: int) -> list[tuple]:
    """The sheet's rows as Excel last computed them; a formula cell with no stored result keeps its formula text
    (=SUM(E2:E5)), so the reader can name the cell instead of losing the figure. Rows stay numbered as in Excel
    (empty ones are kept); more than MAX_ROWS filled rows is refused before anything is read."""
    rows, filled = [], 0
    value_rows = values_sheet.iter_rows(min_row=min_row, values_only=True)
    formula_rows = formula_sheet.iter_rows(min_row=min_row, values_only=True) if formula_sheet else repeat(None)
    for values, formulas in zip(value_rows, formula_rows):
        row = (
            values
            if formulas is None
            else tuple(
                f if v is None and isinstance(f, str) and f.startswith("=") else v for v, f in zip(values, formulas)
            )
        )
        if any(cell is not None for cell in row):
            filled += 1
            if filled > MAX_ROWS:
                raise TooManyRows(values_sheet.title)
        rows.append(row)
    while rows and all(cell is None for cell in rows[-1]):
        rows.pop()  # formatted but empty rows at the end
    return rows


def read_template_csv(path: Path) -> Extraction:
    """A CSV export of the template: a `表` column names the sheet, the other columns are the sheets' headers."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_bytes().decode("gb18030", errors="strict")
    rows = list(csv.DictReader(text.splitlines()))
    if len(rows) > MAX_ROWS * len(REQUIRED_SHEETS):
        return _unreadable(
            path, f"CSV 行数（{len(rows)}行）超过上限{MAX_ROWS * len(REQUIRED_SHEETS)}行，请只填写实际项目"
        )
    if not rows or "表" not in rows[0]:
        return _unreadable(path, "CSV 缺少“表”列（应为 概况/支出/帮扶/对下补助）")
    reader = _Reader()
    overview = {r.get("项目名称", ""): r.get("金额（元）") for r in rows if r["表"] == "概况"}
    reader.overview_rows(
        (f"{label}（元）", overview.get(label), f"CSV第{i}行")
        for i, (label, _) in enumerate(OVERVIEW_ROWS, start=2)
        if label in overview
    )
    for sheet in DETAIL_COLUMNS:
        numbered = [(n, r) for n, r in enumerate(rows, start=2) if r["表"] == sheet]
        reader.detail_rows(sheet, numbered, lambda n, h: f"CSV第{n}行“{h}”")
    doc_meta = {r.get("项目名称"): r.get("说明") for r in rows if r["表"] == "概况"}
    return Extraction(
        _document({"报送单位": doc_meta.get("报送单位"), "年度": doc_meta.get("年度")}, _provenance_text(reader.facts)),
        reader.facts,
        reader.problems,
    )


def _provenance_text(facts: list[Fact]) -> str:
    """One line per cell read; each amount's span points at its figure within its line, as for narrative reports."""
    lines, offset = [], 0
    for fact in facts:
        if fact.kind == "amount":
            figure = f"{fact.value:,.2f}元"
            start = offset + fact.text.rindex(figure)
            fact.span = (start, start + len(figure))
        lines.append(fact.text)
        offset += len(fact.text) + 1
    return "\n".join(lines)


def _unreadable(path: Path, why: str) -> Extraction:
    return Extraction(
        Document(None, None, "统一报表模板", ""), [], [Problem("fatal", "unreadable_template", f"{path.name}：{why}")]
    )
