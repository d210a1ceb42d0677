"""What the reports read from the warehouse, as plain rows (one query per table, filtered by year)."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from core.db import query_frame
from core.labels import FIGURE_ZH, MEASURE_ZH

__all__ = ["AREA_ZH", "FIGURE_ZH", "MEASURE_ZH"]

AREA_ZH = {"spending": "部门支出", "activity": "文体活动", "aid": "困难帮扶", "subsidy": "对下补助"}


@dataclass
class YearData:
    year: int
    city_name: str
    totals: dict
    rollup: list[dict]
    spending: list[dict]
    beneficiaries: list[dict]
    subsidies: list[dict]
    findings: list[dict]
    prior_years: list[dict]
    sources: list[dict] = field(default_factory=list)  # reports.rpt_rollup_sources: what each rollup figure sums


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    return query_frame(con, sql, params).to_dicts()


def load_year(con: duckdb.DuckDBPyConnection, year: int, districts: list[str] | None = None) -> YearData:
    """The year's rows; with `districts`, only those districts' rollup, facts, findings and sources (a district's
    detail page after its new file reads its own rows, not a province's), the city's totals as they are."""
    # the figure as written is cut from the document inside DuckDB: a row carries its few characters, never the
    # whole text (with thousands of figures of a long report, the whole text per row grew memory with figures × size)
    # a figure read from a scan brings the image of its line (a few KB; only scanned submissions have any)
    facts_sql = """SELECT f.*, substring(s.document_text, f.span_start + 1, f.span_end - f.span_start) AS written,
                          p.crop_png AS scan_png
                   FROM (SELECT * FROM {table} WHERE year = ? {only}) f JOIN raw.submissions s USING (submission_id)
                   LEFT JOIN raw.scan_places p USING (submission_id, fact_id)
                   ORDER BY f.district_code, f.fact_id"""
    params: list = [year] if districts is None else [year, districts]
    # the districts as a list parameter joined by hash (list_contains would scan the list once per row)
    only = "" if districts is None else "AND district_code IN (SELECT unnest(?::VARCHAR[]))"
    fact_tables = {
        name: _rows(con, facts_sql.format(table=f"marts.{name}", only=only), params)
        for name in ("fct_spending", "fct_beneficiaries", "fct_subsidies")
    }
    totals = _rows(con, "SELECT * FROM reports.rpt_city_totals WHERE year = ?", [year])
    city = _rows(con, "SELECT any_value(city_name) AS city FROM marts.dim_district")
    return YearData(
        year=year,
        city_name=(city[0]["city"] if city and city[0]["city"] else ""),
        totals=totals[0] if totals else {},
        rollup=_rows(
            con, f"SELECT * FROM reports.rpt_city_rollup WHERE year = ? {only} ORDER BY district_code", params
        ),
        spending=fact_tables["fct_spending"],
        beneficiaries=fact_tables["fct_beneficiaries"],
        subsidies=fact_tables["fct_subsidies"],
        findings=_rows(
            con,
            f"""SELECT * FROM marts.dq_findings WHERE year = ? {only}
                ORDER BY CASE severity WHEN 'fatal' THEN 0 ELSE 1 END, district_code, rule_id""",
            params,
        ),
        prior_years=_rows(con, "SELECT * FROM reports.rpt_city_totals WHERE year <= ? ORDER BY year", [year]),
        sources=_rows(
            con,
            f"""SELECT * FROM reports.rpt_rollup_sources WHERE year = ? {only}
               ORDER BY district_code, figure, try_cast(ltrim(fact_id, 'f') AS INTEGER), fact_id""",
            params,
        ),
    )
