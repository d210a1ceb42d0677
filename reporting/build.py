"""Every report file of a run: the city report per year, and each district's feedback page per year."""
from __future__ import annotations

from pathlib import Path

import duckdb

from reporting.city_report import render_city_report
from reporting.feedback import render_district_feedback


def render_all_reports(con: duckdb.DuckDBPyConnection, reports_dir: Path) -> list[Path]:
    written: list[Path] = []
    years = [y for (y,) in con.execute("SELECT DISTINCT year FROM reports.rpt_city_rollup ORDER BY year").fetchall()]
    for year in years:
        out_dir = reports_dir / str(year)
        written.extend(render_city_report(con, year, out_dir).values())
        districts = con.execute(
            "SELECT DISTINCT district_code FROM raw.submissions WHERE year = ? ORDER BY 1", [year]).fetchall()
        written.extend(render_district_feedback(con, year, code, out_dir) for (code,) in districts)
    return written
