"""Tables whose unit is stated once, in a header: flattened one cell per line (copied from web pages and PDFs)
or one row per line with tab-separated cells (Word tables, see readers.read_docx).

Each numeric cell under a money header becomes an amount; its column header says what it measures
(2021年决算数 → prior, 2022年预算数 → budget, 2022年决算数 → actual). Such a figure has no unit beside it, so
its fact carries no span: a span must read back as the value, and "1342.49" alone does not say 万元.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

UNIT_HEADER = re.compile(r"[（(]\s*(亿元|万元|千元|元)\s*[）)]|单位\s*[:：]\s*(亿元|万元|千元|元)")
NUMERIC = re.compile(r"^\s*-?\d[\d,]*(?:\.\d+)?\s*$")
MULTIPLIER = {"元": 1, "千元": 1_000, "万元": 10_000, "亿元": 100_000_000}
COLUMN_WORDS = re.compile(r"年|预算|决算|实际|执行|金额|数")
LABEL_PREFIX = re.compile(r"^(?:其中[:：]?|\d{1,2}\s*[、.．]?|[（(]\d{1,2}[）)])\s*")
YEAR = re.compile(r"(20\d{2})")
MAX_LABEL = 40


@dataclass(frozen=True)
class TableCell:
    line_start: int          # offset of the row's label line
    label: str
    value: float             # 元
    unit: str
    precision: float
    measure: str | None
    column: str
    row_text: str            # the row as it stands in the text (label and its cells)
    header_context: str      # the unit header line, for classification


def _lines(text: str) -> list[tuple[int, str]]:
    out, offset = [], 0
    for line in text.split("\n"):
        out.append((offset, line))
        offset += len(line) + 1
    return out


def column_measure(column: str, doc_year: int | None) -> str | None:
    years = [int(y) for y in YEAR.findall(column)]
    if "预算" in column:
        return "budget" if not (years and doc_year and years[0] < doc_year) else "prior"
    if years and doc_year and years[0] < doc_year:
        return "prior"
    if re.search(r"决算|实际|执行|金额", column) or years:
        return "actual"
    return None


def _cell(value_text: str, unit: str) -> tuple[float, float]:
    plain = value_text.strip().replace(",", "")
    decimals = len(plain.split(".", 1)[1]) if "." in plain else 0
    return float(Decimal(plain) * MULTIPLIER[unit]), 0.5 * 10 ** -decimals * MULTIPLIER[unit]


def _is_label(line: str) -> bool:
    s = line.strip()
    return bool(s) and not NUMERIC.match(s) and len(s) <= MAX_LABEL and bool(re.search(r"[\u4e00-\u9fff]", s)) \
        and not UNIT_HEADER.search(s)


def table_cells(text: str, doc_year: int | None) -> list[TableCell]:
    return _cells_one_per_line(text, doc_year) + _cells_tab_rows(text, doc_year)


def _cells_one_per_line(text: str, doc_year: int | None) -> list[TableCell]:
    lines = [(o, l) for o, l in _lines(text) if l.strip()]
    cells: list[TableCell] = []
    unit, header_line, columns_pool = None, "", []
    i = 0
    while i < len(lines):
        offset, line = lines[i]
        header = UNIT_HEADER.search(line)
        if header and "\t" not in line:
            unit, header_line, columns_pool = header.group(1) or header.group(2), line.strip(), []
            i += 1
            continue
        if unit is None:
            i += 1
            continue
        numbers = []
        j = i + 1
        while j < len(lines) and NUMERIC.match(lines[j][1]):
            numbers.append(lines[j])
            j += 1
        if _is_label(line) and len(numbers) >= 2:
            columns = columns_pool[-len(numbers):] if len(columns_pool) >= len(numbers) else [""] * len(numbers)
            label = LABEL_PREFIX.sub("", line.strip()) or line.strip()
            row_text = text[offset:numbers[-1][0] + len(numbers[-1][1])]
            for column, (_, cell_text) in zip(columns, numbers):
                value, precision = _cell(cell_text, unit)
                cells.append(TableCell(offset, label, value, unit, precision, column_measure(column, doc_year),
                                       column, row_text, header_line))
            i = j
            continue
        if not cells or cells[-1].line_start < offset:
            if COLUMN_WORDS.search(line) and _is_label(line) and not numbers:
                columns_pool.append(line.strip())
        i += 1
    return cells


def _cells_tab_rows(text: str, doc_year: int | None) -> list[TableCell]:
    cells: list[TableCell] = []
    unit, columns, header_line = None, [], ""
    for offset, line in _lines(text):
        if "\t" not in line:
            continue
        parts = [p.strip() for p in line.split("\t")]
        numeric = [p for p in parts[1:] if NUMERIC.match(p)]
        if not numeric:
            header = UNIT_HEADER.search(line)
            if header:
                unit, columns, header_line = header.group(1) or header.group(2), parts[1:], line
            continue
        if unit is None or not _is_label(parts[0]):
            continue
        label = LABEL_PREFIX.sub("", parts[0]) or parts[0]
        for k, cell_text in enumerate(parts[1:]):
            if not NUMERIC.match(cell_text):
                continue
            column = columns[k] if k < len(columns) else ""
            if column and not UNIT_HEADER.search(column) and not COLUMN_WORDS.search(column):
                continue
            value, precision = _cell(cell_text, unit)
            cells.append(TableCell(offset, label, value, unit, precision, column_measure(column, doc_year) or "actual",
                                   column, line, header_line))
    return cells
