"""Tables, whichever way they reach us: one model (rows × columns, header cells, a unit, what each column measures),
filled from three shapes of text and read into amounts in one place.

The genre is made of tables (部门整体支出绩效基础数据表, 自评表, 决算 tables, 三公经费 tables). They arrive as
- tab rows: a Word table (readers.read_docx) or a PDF table found by its ruling lines (readers.read_pdf), one line a
  row, cells separated by tabs;
- cells one per line: a PDF's or web page's text layer that lost the grid (row label, then its numbers, each on a
  line of its own; sometimes every cell ends in " |");
The unit is stated once, in a header (经费控制情况(万元), 单位：万元, 金额单位：元), so a cell's number has no unit
beside it and its fact carries no span (a span must read back as the value, and "1342.49" alone does not say 万元).

What a table says is read from its own structure:
- a column (or, in a transposed table, a row) header says what a figure measures: 2021年决算数 → prior,
  2022年预算数 → budget, 2022年决算数/执行数/金额 → actual, 决算对比/增减/比上年 → change;
- 行次/栏次 columns number rows and columns: they are not amounts;
- a row is a breakdown of an earlier one when the table marks it (其中, numbered items under a heading row, a label
  ending in a colon) or, unmarked, while it still fits inside an open total — decided on every column at once, so
  the column where the items add up exactly closes the breakdown for all of them;
- column groups (公务用车购置及运行费 over 小计 / 购置费 / 运行费) make 小计 the parent of its group and 合计 the
  parent of the groups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

MULTIPLIER = {"元": 1, "千元": 1_000, "万元": 10_000, "亿元": 100_000_000}
UNIT_DECLARATION = re.compile(r"(?:金额)?单位\s*[:：]\s*(亿元|万元|千元|元)|[（(]\s*(亿元|万元|千元|元)\s*[）)]")
OTHER_UNIT = re.compile(r"[（(]\s*(?:人|个|户|人次|㎡|m²|平方米|%|％|辆|台)\s*[）)]|单位\s*[:：]\s*(?:人|个|户|㎡)")
NUMBER_CELL = re.compile(r"^-?\d[\d,]*(?:\.\d*)?$")
PERCENT_CELL = re.compile(r"^-?\d+(?:\.\d+)?\s*[%％]$")
EMPTY_CELL = re.compile(r"^(?:—+|-{1,2}|/|－|——)$")
ANNOTATED_CELL = re.compile(r"^([\u4e00-\u9fff（）()]{2,16}?)\s*(-?\d[\d,]*(?:\.\d+)?)$")
NUMBERING_HEADER = re.compile(r"^(?:行次|栏次|序号|编号)$")
CORNER_HEADER = re.compile(r"项目|科目|名称|指标$|^内容$")
ROW_MARKER = re.compile(r"^\s*(?:其中\s*[:：]?|\d{1,2}\s*[、.．](?!\d)|[（(]\d{1,2}[）)]|[①②③④⑤⑥⑦⑧⑨⑩])")
LABEL_MARKERS = re.compile(
    r"^(?:\s*(?:其中\s*[:：]?|[一二三四五六七八九十]+\s*[、.．]|\d{1,2}\s*[、.．](?!\d)|\d{1,2}(?=[\u4e00-\u9fff])|"
    r"[（(]\s*[\d一二三四五六七八九十]{1,2}\s*[）)]|[①②③④⑤⑥⑦⑧⑨⑩])\s*)+"
)
TOTAL_LABEL = re.compile(r"合计|总计|总额|小计|共计|^总|总数")
SUBTOTAL = "小计"
CHANGE_WORDS = re.compile(r"对比|增减|差额|变动|比上年|较上年|同比|增长|增加|减少")
YEAR = re.compile(r"(20\d{2}|19\d{2})")
MEASURE_HEADER = re.compile(r"预算|决算|实际|执行|金额|\d{4}年|上年|本年|对比|增减|差额|变动|比上年|数$")
MEASURE_ROW = re.compile(
    r"^(?:(?:19|20)\d{2}\s*年度?)?\s*(?:预算|决算|实际|执行)数?$|^(?:决算|预算)?(?:对比|增减|差额|变动)"
    r"|^比上年"
)
MAX_LABEL = 40
PROSE = re.compile(r"[。；;]|[，,].{12,}")


@dataclass
class Column:
    label: str
    measure: str | None
    group: str = ""  # the header above it in a two-level header (公务用车购置及运行费)
    numbering: bool = False  # 行次 / 栏次: row numbers, not amounts


@dataclass
class Cell:
    value: Decimal
    text: str
    start: int  # offsets of the cell's number in the text read
    end: int
    note: str = ""  # words written in the cell before its number (以前年度结转资金9.83)


@dataclass
class Row:
    label: str  # as written, markers included
    start: int  # offset of the label
    end: int  # end of the row's last cell
    cells: list[Cell | None] = field(default_factory=list)

    @property
    def name(self) -> str:
        return LABEL_MARKERS.sub("", self.label).strip(" :：") or self.label.strip()

    @property
    def marked(self) -> bool:
        return bool(ROW_MARKER.match(self.label))


@dataclass
class Table:
    unit: str  # 元 / 千元 / 万元 / 亿元
    context: str  # the unit declaration and the corner header: what the table is about
    columns: list[Column]
    rows: list[Row]
    transposed: bool = False  # rows say what a figure measures, columns what it is
    numbering_cells: list[tuple[int, int]] = field(default_factory=list)  # 行次 / 栏次 numbers (not amounts)
    short_rows: set[int] = field(default_factory=set)  # rows that had fewer cells than columns (aligned right)
    doubts: list[str] = field(default_factory=list)  # readings the table's own arithmetic did not confirm


@dataclass(frozen=True)
class TableFigure:
    """One amount cell of a table, with everything a fact needs."""

    key: int  # index in the list returned by `table_figures`
    label: str
    value: float  # 元, positive for a change (direction says which way)
    unit: str
    precision: float
    measure: str | None
    direction: str | None
    column: str
    row_start: int  # the row as it stands in the text (label through its last cell)
    row_end: int
    cell_start: int
    cell_end: int
    context: str  # header, group and table context, for classification
    parent: int | None  # key of the figure this one breaks down


# ---- what a header says -------------------------------------------------------------------------------------------
def header_measure(header: str, doc_year: int | None) -> str | None:
    years = [int(y) for y in YEAR.findall(header)]
    earlier = bool(years and doc_year and years[0] < doc_year)
    if CHANGE_WORDS.search(header):
        return "change"
    if "上年" in header or earlier:
        return "prior"
    if "预算" in header:
        return "budget"
    if re.search(r"决算|实际|执行|金额|本年", header) or (years and doc_year and years[0] == doc_year):
        return "actual"
    return None


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "").rstrip("."))
    except InvalidOperation:
        return None


# ---- cells one per line (text layers) ----------------------------------------------------------------------------
@dataclass
class _Piece:
    text: str
    start: int
    end: int


def _pieces(text: str, start: int, end: int, piped: bool) -> list[_Piece]:
    """The cells of a flattened table: one per line, or (when cells end in '|') everything up to each '|'."""
    out: list[_Piece] = []
    separator = re.compile(r"\|") if piped else re.compile(r"\n")
    pos = start
    for m in list(separator.finditer(text, start, end)) + [None]:
        stop = m.start() if m else end
        raw = text[pos:stop]
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append(_Piece(re.sub(r"\s*\n\s*", "", stripped), pos + lead, pos + lead + len(stripped)))
        pos = m.end() if m else end
    return out


def _is_label(s: str) -> bool:
    return (
        bool(s)
        and len(s) <= MAX_LABEL
        and bool(re.search(r"[\u4e00-\u9fff]", s))
        and not PROSE.search(s)
        and not NUMBER_CELL.match(s)
    )


def _region_end(text: str, start: int) -> int:
    """A flattened table runs until prose resumes (a long sentence) or another unit is declared."""
    pos = start
    for m in re.finditer(r"[^\n]*\n?", text[start:]):
        line = m.group().strip()
        line_start = start + m.start()
        if m.group() == "":
            break
        if line and (
            len(line) > 60
            and PROSE.search(line)
            or line_start > start
            and (UNIT_DECLARATION.search(line) or OTHER_UNIT.search(line))
            and not line.endswith("|")
        ):
            if line_start > start:
                return line_start
        pos = start + m.end()
    return pos


def flattened_tables(text: str, doc_year: int | None) -> list[Table]:
    tables = []
    for m in UNIT_DECLARATION.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        line = text[line_start:line_end]
        if "\t" in line or len(line.strip()) > 60 and PROSE.search(line):
            continue  # a tab row (read elsewhere) or a sentence that names a unit
        region_end = _region_end(text, line_end + 1) if line_end < len(text) else line_end
        if region_end <= line_end:
            continue
        body = text[line_end + 1 : region_end]
        piped = body.count("|") >= 4 and body.count("|") >= body.count("\n") * 0.3
        unit = m.group(1) or m.group(2)
        table = _read_flattened(text, line_end + 1, region_end, piped, unit, line.strip(), doc_year)
        if table and table.rows:
            tables.append(table)
    return tables


def _read_flattened(
    text: str, start: int, end: int, piped: bool, unit: str, unit_line: str, doc_year: int | None
) -> Table | None:
    pieces = _pieces(text, start, end, piped)
    headers: list[str] = []
    corner = ""
    leaves: int | None = None
    numbering_cells: list[tuple[int, int]] = []
    rows: list[Row] = []
    i = 0
    while i < len(pieces):
        piece = pieces[i]
        j = i + 1
        cells: list[Cell | None] = []
        while j < len(pieces):
            p = pieces[j]
            if NUMBER_CELL.match(p.text) and (value := _decimal(p.text)) is not None:
                cells.append(Cell(value, p.text, p.start, p.end))
            elif EMPTY_CELL.match(p.text):
                cells.append(None)
            elif PERCENT_CELL.match(p.text):
                cells.append(None)  # a rate column (控制率, 执行率): not an amount
            elif cells and (a := ANNOTATED_CELL.match(p.text)) and (value := _decimal(a.group(2))) is not None:
                cells.append(Cell(value, p.text, p.start + a.start(2), p.start + a.end(2), note=a.group(1)))
            else:
                break
            j += 1
        if not _is_label(piece.text):
            i = j if j > i + 1 else i + 1
            continue
        if NUMBERING_HEADER.match(piece.text):
            leaves = len(cells) or leaves
            numbering_cells += [(c.start, c.end) for c in cells if c]
            i = j
            continue
        if any(c is not None for c in cells):
            rows.append(Row(piece.text, piece.start, pieces[j - 1].end, cells))
        elif rows:
            rows.append(Row(piece.text, piece.start, piece.end, []))  # a row whose cells are all empty
        elif CORNER_HEADER.search(piece.text) and not MEASURE_HEADER.search(piece.text) and not headers:
            corner = piece.text
        else:
            headers.append(piece.text)
        i = j
    if not rows:
        return None
    transposed = sum(bool(MEASURE_ROW.search(r.name)) for r in rows if r.cells) >= max(2, len(rows) // 2)
    width = max(max(len(r.cells) for r in rows), leaves or 0)
    short_rows = set()
    for r, row in enumerate(rows):
        # a row with fewer cells lost its leading ones (上年 left blank) — or, transposed, its trailing ones
        missing: list[Cell | None] = [None] * (width - len(row.cells))
        if missing and row.cells:
            short_rows.add(r)
        row.cells = row.cells + missing if transposed else missing + row.cells
    columns = _columns(headers, width, transposed, doc_year)
    return Table(unit, f"{unit_line} {corner}".strip(), columns, rows, transposed, numbering_cells, short_rows)


def _columns(headers: list[str], width: int, transposed: bool, doc_year: int | None) -> list[Column]:
    """Leaf columns from header cells. A two-level header lists its top cells, then the cells under the groups, each
    group starting with 小计: the last top cells are the groups' headers."""
    cells = [h for h in headers if not NUMBERING_HEADER.match(h)]
    if not transposed:
        cells = [h for h in headers if MEASURE_HEADER.search(h) or NUMBERING_HEADER.match(h)]
    if len(cells) > width and SUBTOTAL in cells:
        first_sub = cells.index(SUBTOTAL)
        top, subs = cells[:first_sub], cells[first_sub:]
        groups: list[list[str]] = []
        for sub in subs:
            if sub == SUBTOTAL or not groups:
                groups.append([])
            groups[-1].append(sub)
        if len(groups) <= len(top) and len(top) - len(groups) + len(subs) == width:
            plain, group_heads = top[: len(top) - len(groups)], top[len(top) - len(groups) :]
            columns = [Column(h, header_measure(h, doc_year)) for h in plain]
            for head, members in zip(group_heads, groups):
                columns += [
                    Column(head + m if m == SUBTOTAL else m, header_measure(m, doc_year), group=head) for m in members
                ]
            return columns
    cells = cells[-width:] if len(cells) >= width else [""] * (width - len(cells)) + cells
    return [Column(h, header_measure(h, doc_year), numbering=bool(NUMBERING_HEADER.match(h))) for h in cells]


# ---- tab rows (Word and PDF tables) -------------------------------------------------------------------------------
def tab_tables(text: str, doc_year: int | None) -> list[Table]:
    """Blocks of consecutive tab rows; the unit from a header cell, the table's own first rows or the lines just
    before it."""
    tables: list[Table] = []
    block: list[tuple[int, str]] = []
    offset = 0
    lines = text.split("\n")
    for line in lines + [""]:
        if "\t" in line:
            block.append((offset, line))
        elif block:
            before = text[max(0, block[0][0] - 200) : block[0][0]]
            table = _read_tab_block(block, before, doc_year)
            if table:
                tables.append(table)
            block = []
        offset += len(line) + 1
    return tables


def _split_row(offset: int, line: str) -> list[_Piece]:
    out, pos = [], offset
    for part in line.split("\t"):
        stripped = part.strip()
        lead = len(part) - len(part.lstrip())
        out.append(_Piece(stripped, pos + lead, pos + lead + len(stripped)))
        pos += len(part) + 1
    return out


def _read_tab_block(block: list[tuple[int, str]], before: str, doc_year: int | None) -> Table | None:
    split = [_split_row(o, line) for o, line in block]
    unit = None
    context = ""
    for source in [before.split("\n")[-3:]] + [[p.text for p in row] for row in split[:3]]:
        for s in source:
            m = UNIT_DECLARATION.search(s)
            if m and unit is None:
                unit, context = m.group(1) or m.group(2), s.strip()
    if unit is None:
        return None
    header_rows: list[list[_Piece]] = []
    rows: list[Row] = []
    numbering_cells: list[tuple[int, int]] = []
    for pieces in split:
        label, rest = pieces[0], pieces[1:]
        numeric = [p for p in rest if NUMBER_CELL.match(p.text)]
        if not rows:
            numbering = NUMBERING_HEADER.match(label.text) or (
                not label.text and numeric and all(re.fullmatch(r"\d{1,2}", p.text) for p in numeric)
            )
            if numbering:
                numbering_cells += [(p.start, p.end) for p in numeric]
                continue
            if not numeric:
                header_rows.append(pieces)
                continue
        if not _is_label(label.text):
            continue
        cells: list[Cell | None] = []
        for p in rest:
            value = _decimal(p.text) if NUMBER_CELL.match(p.text) else None
            cells.append(Cell(value, p.text, p.start, p.end) if value is not None else None)
        rows.append(Row(label.text, label.start, pieces[-1].end, cells))
    if not rows:
        return None
    width = max(len(r.cells) for r in rows)
    labels = [""] * width
    groups = [""] * width
    for k, header in enumerate(header_rows):
        texts = [p.text for p in header[1:]] + [""] * width
        last = ""
        for c in range(width):
            t = texts[c]
            if k < len(header_rows) - 1:  # an upper header row: a merged cell spans the empty ones after it
                last = t or last
                groups[c] = last
            else:
                labels[c] = t or labels[c]
    columns = []
    for c in range(width):
        heading = labels[c] or groups[c]
        full = f"{groups[c]}{labels[c]}" if groups[c] and labels[c] and groups[c] != labels[c] else heading
        numbering = bool(NUMBERING_HEADER.match(heading))
        columns.append(
            Column(
                full,
                header_measure(full, doc_year) or (None if numbering else "actual"),
                group=groups[c] if groups[c] != heading else "",
                numbering=numbering,
            )
        )
    corner = header_rows[0][0].text if header_rows else ""
    transposed = sum(bool(MEASURE_ROW.search(r.name)) for r in rows) >= max(2, len(rows) // 2)
    if transposed:
        for col in columns:
            col.measure = None
    return Table(unit, f"{context} {corner}".strip(), columns, rows, transposed, numbering_cells)


# ---- from a table to figures ----------------------------------------------------------------------------------------
def _row_parents(table: Table) -> list[int | None]:
    """Which earlier row each row breaks down (None: top level), decided on all columns at once."""
    money = [c for c, col in enumerate(table.columns) if not col.numbering]

    def values(row: Row) -> dict[int, Decimal]:
        return {c: cell.value for c in money if c < len(row.cells) and (cell := row.cells[c]) is not None}

    def tolerance(*rows: Row) -> Decimal:
        decimals = [
            len(cell.text.split(".", 1)[1]) if "." in cell.text else 0
            for r in rows
            for cell in r.cells
            if cell is not None
        ]
        return Decimal(1).scaleb(-max(decimals, default=0)) * len(rows)

    parents: list[int | None] = [None] * len(table.rows)
    closed_by: dict[int, set[int]] = {}  # group row → columns whose items add up exactly
    open_groups: list[tuple[int, dict[int, Decimal]]] = []  # (row index, used per column)
    for i, row in enumerate(table.rows):
        mine = values(row)
        if not mine:
            continue  # an empty row (a heading inside a breakdown) leaves the breakdowns open
        placed = None
        if not row.marked:
            # an unmarked row that completes an open breakdown exactly belongs to it, however deep the breakdowns
            # opened since (基本支出 / 其中：公用经费 / 项目支出: 项目支出 completes 支出总额)
            for depth in range(len(open_groups) - 1, -1, -1):
                p, used = open_groups[depth]
                total = values(table.rows[p])
                tol = tolerance(table.rows[p], row)
                if mine and all(c in total and abs(used.get(c, 0) + v - total[c]) <= tol for c, v in mine.items()):
                    del open_groups[depth + 1 :]
                    break
        while open_groups:
            p, used = open_groups[-1]
            total = values(table.rows[p])
            tol = tolerance(table.rows[p], row)
            complete = any(c in used and used[c] >= total[c] - tol for c in total)
            fits = any(c in total for c in mine) and all(
                used.get(c, 0) + v <= total[c] + tol for c, v in mine.items() if c in total
            )
            zero = all(v == 0 for v in mine.values())  # a zero line adds nothing: it may close a list
            if fits and (row.marked or not complete or zero):
                placed = p
                break
            open_groups.pop()
        parents[i] = placed
        if placed is not None:
            used = open_groups[-1][1]
            for c, v in mine.items():
                used[c] = used.get(c, 0) + v
            total = values(table.rows[placed])
            closed_by[placed] = {
                c for c in total if c in used and abs(used[c] - total[c]) <= tolerance(table.rows[placed], row)
            }
        # a row opens a breakdown when it is a total, ends in a colon, is followed by 其中, or its next figures
        # stand in numbered rows (a numbered row with no figures is a sibling heading, not its part)
        nxt = table.rows[i + 1] if i + 1 < len(table.rows) else None
        following = next((r for r in table.rows[i + 1 :] if values(r)), None)
        opens = (
            bool(TOTAL_LABEL.search(row.name))
            or row.label.rstrip().endswith((":", "："))
            or (nxt is not None and nxt.label.lstrip().startswith("其中"))
            or (following is not None and following.marked and not row.marked)
        )
        if opens:
            open_groups.append((i, {}))
    _say_doubts(table, parents, closed_by)
    return parents


def _say_doubts(table: Table, parents: list[int | None], closed_by: dict[int, set[int]]) -> None:
    """A row that lost cells was read right-aligned; that reading stands confirmed only where the row is part of a
    breakdown whose items add up exactly in a column the row has a figure in. Otherwise the doubt is said."""
    for r in sorted(table.short_rows):
        row = table.rows[r]
        filled = {c for c, cell in enumerate(row.cells) if cell is not None}
        parent = parents[r]
        if parent is not None and filled & closed_by.get(parent, set()):
            continue
        columns = "、".join(table.columns[c].label or f"第{c + 1}栏" for c in sorted(filled))
        table.doubts.append(
            f"表格“{row.name}”一行只有{len(filled)}个数，已按靠右对齐读作{columns}，请核对是否有栏目空缺"
        )


def table_figures(table: Table, doc_year: int | None) -> list[TableFigure]:
    figures: list[TableFigure] = []
    multiplier = MULTIPLIER[table.unit]
    row_parents = [None] * len(table.rows) if table.transposed else _row_parents(table)
    key_at: dict[tuple[int, int], int] = {}
    group_subtotal = {col.group: c for c, col in enumerate(table.columns) if col.group and col.label.endswith(SUBTOTAL)}
    total_column = next(
        (c for c, col in enumerate(table.columns) if TOTAL_LABEL.search(col.label) and not col.group), None
    )
    for r, row in enumerate(table.rows):
        row_measure = header_measure(row.name, doc_year) if table.transposed else None
        for c, cell in enumerate(row.cells):
            if cell is None or c >= len(table.columns) and not table.transposed:
                continue
            column = table.columns[c] if c < len(table.columns) else Column("", None)
            if column.numbering or (
                cell.value == cell.value.to_integral()
                and "." not in cell.text
                and _looks_like_row_number(table, column, cell)
            ):
                table.numbering_cells.append((cell.start, cell.end))
                continue
            measure = row_measure if table.transposed else column.measure
            if table.transposed:
                label = f"{column.label}（{row.name}）" if column.label else row.name
                parent_cell: tuple[int, int | None] | None = None
                if column.group and c != group_subtotal.get(column.group):
                    parent_cell = (r, group_subtotal.get(column.group))
                elif total_column is not None and c != total_column:
                    parent_cell = (r, total_column)
            else:
                label = row.name
                parent_row = row_parents[r]
                parent_cell = (parent_row, c) if parent_row is not None else None
            if cell.note:
                # words written in the cell (以前年度结转资金9.83) say what the figure is: not the column's own
                # value, so it is no part of the column's breakdown
                label, parent_cell = f"{cell.note}（{label}）", None
            value = cell.value
            direction = None
            if measure == "change":
                direction = "decrease" if value < 0 else "increase"
                value = abs(value)
            decimals = len(cell.text.split(".", 1)[1]) if "." in cell.text else 0
            key = len(figures)
            key_at[(r, c)] = key
            parent = None
            if parent_cell is not None and parent_cell[1] is not None:
                parent = key_at.get((parent_cell[0], parent_cell[1]))
            figures.append(
                TableFigure(
                    key=key,
                    label=label,
                    value=float(value * multiplier),
                    unit=table.unit,
                    precision=float(Decimal("0.5").scaleb(-decimals) * multiplier),
                    measure=measure,
                    direction=direction,
                    column=column.label if not table.transposed else row.name,
                    row_start=row.start,
                    row_end=row.end,
                    cell_start=cell.start,
                    cell_end=cell.end,
                    context=f"{column.group} {column.label} {table.context}",
                    parent=parent,
                )
            )
    return figures


def _looks_like_row_number(table: Table, column: Column, cell: Cell) -> bool:
    """A small whole number right after the label, in a table whose header names a 行次 column, numbers the row."""
    return any(col.numbering for col in table.columns) and column.label == "" and cell.value < 100


# ---- a whole table on one line, cells separated by spaces (a spreadsheet's text on a mirror page) ---------------------
MONEY_TOKEN = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^-?\d+\.\d{2}$")
ROW_NUMBER_TOKEN = re.compile(r"^\d{1,3}$")
SPACE_TOKEN = re.compile(r"\S+")
TABLE_WORDS = re.compile(r"^(?:项目|行次|栏次|金额|收入|支出|合计|项目[（(].*[）)])$|表$|^部门[:：]|^公开\d*表$")
NOTE_START = re.compile(r"^(?:注|说明)[:：]")
MIN_TOKENS = 12
UNIT_AFTER_NUMBER = re.compile(r"\d\s?(?:亿|万|千)?元")


@dataclass(frozen=True)
class LineFigure:
    """An amount of a one-line table, before it becomes a TableFigure."""

    label: str
    area: str  # 收入 / 支出: the half of the statement it stands in
    row_known: bool
    start: int  # where its row (or its run of amounts) starts and ends
    end: int
    cell: _Piece


def line_table_figures(text: str, doc_year: int | None) -> tuple[list[TableFigure], list[tuple[int, int]], list[str]]:
    """Tables whose rows were printed on one line: `label 行次 amount` cells, or the amounts of several rows printed
    together after all their labels. An amount after its own label and row number belongs to it; a run of amounts
    after several labels is assigned where the table's own arithmetic decides (a 合计 row that equals the sum of the
    unplaced amounts) and otherwise kept with its row unknown, never guessed."""
    figures: list[TableFigure] = []
    numbering: list[tuple[int, int]] = []
    doubts: list[str] = []
    offset = 0
    for line in text.split("\n"):
        if line.count(" ") < MIN_TOKENS - 1:
            offset += len(line) + 1
            continue
        unit_match = UNIT_DECLARATION.search(line)
        tokens = [_Piece(m.group(), offset + m.start(), offset + m.end()) for m in SPACE_TOKEN.finditer(line)]
        if (
            unit_match
            and len(tokens) >= MIN_TOKENS
            and sum(bool(MONEY_TOKEN.match(t.text)) for t in tokens) >= 2
            and not UNIT_AFTER_NUMBER.search(line)
        ):  # numbers with their units are prose, however long
            found, rows = _line_figures(tokens)
            numbering += rows
            figures += _place_line_figures(
                found, unit_match.group(1) or unit_match.group(2), doc_year, len(figures), doubts
            )
        offset += len(line) + 1
    return figures, numbering, doubts


def _line_figures(tokens: list[_Piece]) -> tuple[list[LineFigure], list[tuple[int, int]]]:
    found: list[LineFigure] = []
    numbering: list[tuple[int, int]] = []
    pending: list[_Piece] = []  # labels since the last amount
    area = ""
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if NOTE_START.match(t.text):
            pending, i = [], i + 1
            while i < len(tokens) and not re.search(r"[。]$", tokens[i - 1].text):
                i += 1
            continue
        if t.text in ("收入", "支出"):
            area, pending = t.text, []
        elif MONEY_TOKEN.match(t.text):
            run = [t]
            while i + 1 < len(tokens) and MONEY_TOKEN.match(tokens[i + 1].text):
                i += 1
                run.append(tokens[i])
            if len(run) == 1 and pending:
                found.append(LineFigure(pending[-1].text, area, True, pending[-1].start, t.end, t))
            else:
                last = pending[-1] if pending else None
                for k, cell in enumerate(run):
                    if k == len(run) - 1 and last is not None and TOTAL_LABEL.search(last.text):
                        found.append(LineFigure(last.text, area, True, last.start, cell.end, cell))
                    else:
                        found.append(LineFigure("", area, False, run[0].start, run[-1].end, cell))
                if last is not None:
                    # the labels of this stretch, for the arithmetic below
                    found[-len(run) :] = [
                        f
                        if f.row_known
                        else LineFigure("|".join(p.text for p in pending), f.area, False, f.start, f.end, f.cell)
                        for f in found[-len(run) :]
                    ]
            pending = []
        elif ROW_NUMBER_TOKEN.match(t.text):
            numbering.append((t.start, t.end))
        elif re.search(r"[\u4e00-\u9fff]", t.text) and not TABLE_WORDS.search(t.text):
            pending.append(t)
        i += 1
    return found, numbering


def _place_line_figures(
    found: list[LineFigure], unit: str, doc_year: int | None, first_key: int, doubts: list[str]
) -> list[TableFigure]:
    """Unknown rows become known where a 合计 among their stretch's labels equals the sum of earlier unplaced
    amounts of the same half; what stays unknown keeps a label that says so."""
    multiplier = MULTIPLIER[unit]
    out: list[TableFigure] = []
    unplaced: list[int] = []  # indices into `out` of amounts whose row is unknown
    for f in found:
        value = _decimal(f.cell.text) or Decimal(0)
        decimals = len(f.cell.text.split(".", 1)[1]) if "." in f.cell.text else 0
        label, parent = f.label, None
        children: list[int] = []
        if not f.row_known:
            labels = f.label.split("|") if f.label else []
            total_label = next((lb for lb in labels if TOTAL_LABEL.search(lb) and "总计" not in lb), None)
            same_half = [k for k in unplaced if out[k].context.startswith(f.area)]
            if (
                total_label
                and same_half
                and abs(sum(Decimal(str(out[k].value)) for k in same_half) - value * multiplier)
                <= multiplier * Decimal("0.005") * len(same_half)
            ):
                label, children = total_label, same_half
            else:
                label = f"{f.area}项目（行次不明，第{len(unplaced) + 1}个数）"
        name = LABEL_MARKERS.sub("", label).strip() or label
        key = first_key + len(out)
        out.append(
            TableFigure(
                key=key,
                label=name,
                value=float(value * multiplier),
                unit=unit,
                precision=float(Decimal("0.5").scaleb(-decimals) * multiplier),
                measure=header_measure("金额", doc_year),
                direction=None,
                column="金额",
                row_start=f.start,
                row_end=f.end,
                cell_start=f.cell.start,
                cell_end=f.cell.end,
                context=f"{f.area} {f.area}项目",
                parent=parent,
            )
        )
        if "行次不明" in label:
            unplaced.append(len(out) - 1)
            doubts.append(
                f"表格中“{f.cell.text}”印在各行名称之后，无法确定属于哪一行，已记为{f.area or '未知'}项目，请核对"
            )
        for k in children:
            out[k] = TableFigure(**{**out[k].__dict__, "parent": key})
            unplaced.remove(k)
    return out


def read_tables(text: str, doc_year: int | None) -> list[Table]:
    return flattened_tables(text, doc_year) + tab_tables(text, doc_year)
