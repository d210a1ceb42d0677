"""Which report files are out of date: a fingerprint of the warehouse rows each file is built from.

A run re-renders a year's city report only when that year's rows (or an earlier year's totals, which its trend chart
shows) changed, and a district's feedback page only when its submissions did — so a run after one new file costs one
district-year, not every stored year. Facts and findings never change under a submission_id (a correction is a new
version), so a submission's id and status stand for all its rows. The fingerprints include a hash of the reporting
code and templates: changing how reports look re-renders them all.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import duckdb

from core.fingerprints import content_hash

REPORTING = Path(__file__).resolve().parent


@cache
def code_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted([*REPORTING.glob("*.py"), *(REPORTING / "templates").glob("*")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def rollup_hashes(con: duckdb.DuckDBPyConnection) -> dict[int, str]:
    """Per year, a hash of its rows in reports.rpt_city_rollup (what the workbook's 汇总 sheet shows)."""
    return dict(
        con.execute("""SELECT year, md5(string_agg(CAST(r AS VARCHAR), '|' ORDER BY district_code))
                               FROM reports.rpt_city_rollup r GROUP BY year""").fetchall()
    )


def city_report_fingerprints(con: duckdb.DuckDBPyConnection) -> dict[int, str]:
    """Per year: its rollup rows, its submissions' ids and statuses, the registry, and every earlier year's totals."""
    rollup = rollup_hashes(con)
    submissions = dict(
        con.execute("""SELECT year, md5(string_agg(submission_id || ':' || status, '|'
                                                                  ORDER BY submission_id))
                                      FROM raw.submissions GROUP BY year""").fetchall()
    )
    (registry,) = con.execute("""SELECT md5(coalesce(string_agg(CAST(d AS VARCHAR), '|' ORDER BY district_code), ''))
                                 FROM marts.dim_district d""").fetchall()[0]
    totals = con.execute("SELECT year, CAST(t AS VARCHAR) FROM reports.rpt_city_totals t ORDER BY year").fetchall()
    out = {}
    for year in sorted(rollup):
        history = [row for y, row in totals if y <= year]
        out[year] = content_hash(code_hash(), rollup[year], submissions.get(year), registry, *history)
    return out


def feedback_fingerprints(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, int], str]:
    """Per district-year: every version's id, status and reason, the union's registered name, and where the figures
    the city sums stand (review state and the city's comment)."""
    rows = con.execute("""SELECT s.district_code, s.year,
                                 md5(string_agg(concat_ws(':', s.submission_id, s.status, s.status_reason), '|'
                                                ORDER BY s.version)), any_value(d.union_name),
                                 any_value(concat_ws(':', r.review_state, r.return_comment))
                          FROM raw.submissions s LEFT JOIN marts.dim_district d USING (district_code)
                          LEFT JOIN reports.rpt_city_rollup r ON r.district_code = s.district_code AND r.year = s.year
                          GROUP BY ALL""").fetchall()
    pages = {(code, year): content_hash(code_hash(), h, name, review) for code, year, h, name, review in rows}
    # a district that has not reported gets its page too: what to send, by when, to whom
    for code, year, name in con.execute(
        "SELECT district_code, year, district_name FROM reports.rpt_city_rollup WHERE status = 'missing'"
    ).fetchall():
        pages.setdefault((code, year), content_hash(code_hash(), "missing", name))
    return pages
