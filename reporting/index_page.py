"""reports/index.html: the way into every report a person reads — each year's city report, workbook and district
pages (named, with their status), and the validation page."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from core.db import beijing_minute
from reporting.render import environment


def render_index_page(con: duckdb.DuckDBPyConnection, reports_dir: Path) -> Path:
    rows = con.execute(
        """SELECT year, district_code, district_name, status, status_zh FROM reports.rpt_city_rollup
           ORDER BY year DESC, district_code"""
    ).fetchall()
    years: dict[int, list[dict]] = {}
    for year, code, name, status, status_zh in rows:
        years.setdefault(year, []).append({"code": code, "name": name, "status": status, "status_zh": status_zh})
    (city,) = con.execute("SELECT coalesce(any_value(city_name), '') FROM marts.dim_district").fetchone()
    html = (
        environment()
        .get_template("index.html.j2")
        .render(
            city_name=city,
            years=years,
            has=lambda relative: (reports_dir / relative).exists(),
            generated_at=beijing_minute(),
        )
    )
    out = reports_dir / "index.html"
    reports_dir.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(".index.html.tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, out)
    return out
