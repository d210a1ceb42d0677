"""Read-only SQL on the published warehouse: one query, a file export, or an interactive prompt."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import duckdb
import polars as pl


def _write_xlsx(frame: pl.DataFrame, out: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "查询结果"
    ws.append(frame.columns)
    for row in frame.iter_rows():
        ws.append(list(row))
    ws.freeze_panes = "A2"
    wb.save(out)


EXPORTERS = {".csv": pl.DataFrame.write_csv, ".parquet": pl.DataFrame.write_parquet, ".xlsx": _write_xlsx}


# An analyst's SQL reads the warehouse and nothing else: no file on the machine (read_text('/etc/passwd'),
# glob('/root/**')), no COPY … TO anywhere, no ATTACH of the work file — and the query cannot turn that back on.
SANDBOX = {"enable_external_access": False, "lock_configuration": True}


def query(db: Path, sql: str, *, allow_files: bool = False) -> pl.DataFrame | None:
    con = duckdb.connect(str(db), read_only=True, config={} if allow_files else SANDBOX)
    try:
        relation = con.sql(sql)
        return relation.pl() if relation is not None else None
    finally:
        con.close()


LONG_VALUE = 120  # characters of one value shown in a row block (a document's whole text is for --output)
WIDE_COLUMNS = 8  # more columns than this no longer read as a table on a terminal: one block per row instead


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def in_beijing_time(frame: pl.DataFrame) -> pl.DataFrame:
    """Stored timestamps are naive UTC; people read Beijing time, to the minute (the column name says so)."""
    moments = [name for name, dtype in frame.schema.items() if isinstance(dtype, pl.Datetime)]
    return (
        frame.with_columns(
            pl.col(name)
            .dt.replace_time_zone("UTC" if frame.schema[name].time_zone is None else frame.schema[name].time_zone)
            .dt.convert_time_zone("Asia/Shanghai")
            .dt.strftime("%Y-%m-%d %H:%M")
            .alias(f"{name}（北京时间）")
            for name in moments
        ).drop(moments)
        if moments
        else frame
    )


def print_frame(frame: pl.DataFrame, limit: int = 50) -> None:
    """A narrow result as a table; a wide one as one block per row (column: value), as psql's \\x does."""
    order = frame.columns
    frame = in_beijing_time(frame)
    frame = frame.select([c if c in frame.columns else f"{c}（北京时间）" for c in order])
    if frame.width <= WIDE_COLUMNS:
        with pl.Config(tbl_rows=limit, tbl_cols=-1, fmt_str_lengths=60, tbl_width_chars=200, float_precision=2):
            print(frame)
        return
    width = max(_display_width(c) for c in frame.columns)
    for number, row in enumerate(frame.head(limit).iter_rows(named=True), start=1):
        print(f"-[ 第{number}行 ]" + "-" * 30)
        for name, value in row.items():
            shown = f"{value:,.2f}" if isinstance(value, float) else ("" if value is None else str(value))
            shown = shown.replace("\n", " ⏎ ")
            if len(shown) > LONG_VALUE:
                shown = f"{shown[:LONG_VALUE]}…（共{len(shown)}字）"
            print(f"{name}{' ' * (width - _display_width(name))} | {shown}")
    if frame.height > limit:
        print(f"（共 {frame.height} 行，只显示前 {limit} 行；用 --limit 或 --output 取全部）")


def export(frame: pl.DataFrame, out: Path) -> Path:
    writer = EXPORTERS.get(out.suffix.lower())
    if writer is None:
        raise ValueError(f"cannot write {out.suffix or 'files without a suffix'}; use one of {', '.join(EXPORTERS)}")
    writer(frame, out)
    return out


def run_query(db: Path, sql: str, *, output: Path | None = None, limit: int = 50, allow_files: bool = False) -> int:
    try:
        frame = query(db, sql, allow_files=allow_files)
    except duckdb.PermissionException as exc:
        print(
            f"查询被拒绝：只能查询数据仓库本身，不能读写本机其他文件（{exc}）。"
            "确需读取本机文件时，由管理员在本机使用 --allow-files。",
            file=sys.stderr,
        )
        return 1
    except duckdb.Error as exc:
        print(f"query failed: {exc}", file=sys.stderr)
        return 1
    if frame is None:
        return 0
    if output:
        try:
            export(frame, output)
        except (ValueError, OSError) as exc:
            print(f"export failed: {exc}", file=sys.stderr)
            return 1
        print(f"{frame.height} rows written to {output}")
    else:
        print_frame(frame, limit)
    return 0


def sql_prompt(db: Path, *, allow_files: bool = False) -> int:
    """A minimal read-only prompt: statements end with ';', `.tables` lists tables, `.quit` leaves."""
    print(f"{db} (read-only). End statements with ';'. .tables lists tables, .quit leaves.")
    buffer: list[str] = []
    while True:
        try:
            line = input("uwh> " if not buffer else " ...> ")
        except EOFError:
            print()
            return 0
        stripped = line.strip()
        if not buffer and stripped in {".quit", ".exit"}:
            return 0
        if not buffer and stripped == ".tables":
            stripped = (
                "SELECT table_schema, table_name FROM information_schema.tables "
                "WHERE table_schema NOT IN ('information_schema', 'pg_catalog') ORDER BY 1, 2;"
            )
        buffer.append(stripped)
        if stripped.endswith(";"):
            run_query(db, " ".join(buffer), allow_files=allow_files)
            buffer.clear()
