"""REC003 (city) — the report files say what the warehouse says: every figure of each workbook's 汇总 sheet equals
reports.rpt_city_rollup, so nothing is published that a reader could not trace back to the facts.

A workbook that passed is not read again while neither its bytes (size, mtime) nor its year's rollup rows changed:
reports/.rec003.json remembers what was verified, so a run after one new file reads one workbook, not every year's.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from core.fingerprints import FingerprintStore
from reporting.fingerprints import rollup_hashes
from reporting.workbook import FIRST_FIGURE_COLUMN, TABLE_FIRST_ROW, TOTAL_LABEL

RULE_ID = "REC003"
MESSAGE_ZH = "报告文件中的数字与数据仓库汇总表不一致，暂不发布。"
# 汇总 sheet column (0-based) → rpt_city_rollup column
COLUMNS = {
    FIRST_FIGURE_COLUMN + i: name
    for i, name in enumerate(
        ["total_spending_yuan", "basic_spending_yuan", "project_spending_yuan", "activity_yuan", "aid_yuan",
         "aid_person_times", "subsidy_yuan"]
    )
}  # fmt: skip
TOLERANCE = 0.01
VERIFIED_NAME = ".rec003.json"


def _stamp(path: Path, rollup_hash: str | None) -> str:
    stat = path.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}:{rollup_hash}"


def reconcile_workbooks(con: duckdb.DuckDBPyConnection, reports_dir: Path) -> tuple[int, list[str]]:
    """(figures compared, differences described) over every reports/<year>/city_report.xlsx not verified before."""
    from openpyxl import load_workbook

    compared, problems = 0, []
    # the warehouse's exact decimals, as the floats a workbook cell holds (compared within TOLERANCE)
    rows = con.execute(
        f"SELECT year, district_code, summed, {', '.join(COLUMNS.values())} FROM reports.rpt_city_rollup"
    ).fetchall()
    rollup = {(year, code): [None if v is None else float(v) for v in row] for year, code, _, *row in rows}
    summed = {(year, code) for year, code, is_summed, *_ in rows if is_summed}  # what the total row takes
    hashes, verified = rollup_hashes(con), FingerprintStore(reports_dir, VERIFIED_NAME)
    for path in sorted(reports_dir.glob("*/city_report.xlsx")):
        year = int(path.parent.name)
        stamp, before = _stamp(path, hashes.get(year)), len(problems)
        if verified.is_current(path, stamp):
            continue
        # data_only: the total row's SUM formulas are read as the values stored with them, which a reader sees
        sheet = load_workbook(path, read_only=True, data_only=True)["汇总"]
        seen = set()
        width = max(COLUMNS) + 1
        year_sums = [
            sum(row[i] for key, row in rollup.items() if key[0] == year and key in summed and row[i] is not None)
            for i in range(len(COLUMNS))
        ]
        for row in sheet.iter_rows(min_row=TABLE_FIRST_ROW + 2, values_only=True):
            row = tuple(row) + (None,) * (width - len(row))  # a streamed sheet omits trailing empty cells
            code = row[0]
            if code == TOTAL_LABEL:
                for (col, name), want in zip(COLUMNS.items(), year_sums):
                    compared += 1
                    if row[col] is None or abs(row[col] - want) > TOLERANCE:
                        problems.append(f"{path}: {TOTAL_LABEL} {name} shows {row[col]}, warehouse sums to {want}")
                continue
            seen.add(code)
            expected = rollup.get((year, code))
            if expected is None:
                problems.append(f"{path}: {code} is not in rpt_city_rollup for {year}")
                continue
            for (col, name), want in zip(COLUMNS.items(), expected):
                compared += 1
                got = row[col]
                if (got is None) != (want is None) or (got is not None and abs(got - want) > TOLERANCE):
                    problems.append(f"{path}: {code} {name} shows {got}, warehouse has {want}")
        missing = {code for (y, code) in rollup if y == year} - seen
        problems += [f"{path}: district {code} missing from 汇总" for code in sorted(missing)]
        if len(problems) == before:
            verified.record(path, stamp)
        else:
            verified.forget(path)
    verified.save()
    return compared, problems
