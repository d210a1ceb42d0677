"""What the portal shows, read from the published files only (never the work database a run writes).

A clerk's pages read their own district's file (warehouse/tenants/<code>.duckdb), which holds no other district's
rows; the city's pages read the city's published warehouse. Both are opened read-only per request: publication
replaces them atomically, so a request sees either the old or the new file, never half of one.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from core.config import Layout
from core.labels import DISTRICT_YEAR_ZH, STATUS_ZH
from core.settings import installation_settings
from ingest.model import ScanPlace
from ingest.template import OVERVIEW_ROWS
from ingest.tenants import Tenant
from intake.review_source import open_review, year_reviews
from intake.submission import prior_facts_in

QUARANTINED_ZH = STATUS_ZH["quarantined"]


_open: dict[Path, tuple[tuple[int, int], duckdb.DuckDBPyConnection]] = {}
_open_lock = threading.Lock()


@contextmanager
def _read(db: Path) -> Iterator[duckdb.DuckDBPyConnection | None]:
    """A cursor on the published file as it is now. Opening a DuckDB file costs ~12 ms, more than a page's queries, so
    one read-only database per file is kept until publication replaces the file (a new inode), and each request takes
    its own cursor (cursors may be used from different threads; a connection may not). The file is ATTACHed to a fresh
    in-memory instance: `duckdb.connect(path)` would hand back this process's cached instance of the replaced file."""
    try:
        stat = db.stat()
    except FileNotFoundError:
        yield None
        return
    identity = (stat.st_ino, stat.st_mtime_ns)
    with _open_lock:
        known = _open.get(db)
        if known is None or known[0] != identity:
            # the replaced file's instance is left to the requests still reading it (closed when they drop it)
            con = duckdb.connect()
            con.execute("ATTACH ? AS published (READ_ONLY)", [str(db)])
            known = (identity, con)
            _open[db] = known
        cursor = known[1].cursor()
    try:
        cursor.execute("USE published")
        yield cursor
    finally:
        cursor.close()


def reporting_year(today: date | None = None) -> int:
    """The year whose reports are being collected now: last year's."""
    return (today or date.today()).year - 1


@dataclass(frozen=True)
class DistrictYear:
    """One district's state for a year as the city's last published run left it."""

    district_code: str
    district_name: str
    status: str  # accepted / rejected / quarantined / missing
    latest_version: int | None
    received_at: object | None  # naive UTC of the latest version
    fatal_findings: int
    warning_findings: int

    @property
    def status_zh(self) -> str:
        return QUARANTINED_ZH if self.status == "quarantined" else DISTRICT_YEAR_ZH[self.status]

    def overdue(self, today: date, year: int) -> bool:
        """Still owed (nothing accepted) and the deadline has passed: on the city's 催报 list."""
        return self.status != "accepted" and today > installation_settings().due_date(year)


_STATE_SQL = """
WITH latest AS (
    SELECT district_code, year, arg_max(version, version) AS version, arg_max(status, version) AS status,
           arg_max(received_at, version) AS received_at
    FROM raw.submissions GROUP BY ALL
)
SELECT r.year, r.district_code, r.district_name,
       CASE WHEN r.status = 'missing' AND l.status = 'quarantined' THEN 'quarantined' ELSE r.status END AS status,
       l.version AS latest_version, l.received_at, coalesce(r.fatal_findings, 0), coalesce(r.warning_findings, 0)
FROM reports.rpt_city_rollup r LEFT JOIN latest l ON l.district_code = r.district_code AND l.year = r.year
WHERE {where} ORDER BY r.year DESC, r.district_code
"""


def _states(
    con: duckdb.DuckDBPyConnection, *, year: int | None = None, code: str | None = None
) -> list[tuple[int, DistrictYear]]:
    """(year, state) of every district-year the published rollup holds, of one year and/or one district."""
    where = " AND ".join(
        ["TRUE"] + (["r.year = $year"] if year is not None else []) + (["r.district_code = $code"] if code else [])
    )
    params = {k: v for k, v in (("year", year), ("code", code)) if v is not None}
    rows = con.execute(_STATE_SQL.format(where=where), params).fetchall()
    return [(row[0], DistrictYear(*row[1:])) for row in rows]


def _dicts(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[dict]:
    """A page's few rows as dicts (a polars frame costs more than these queries)."""
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _missing(tenant: Tenant) -> DistrictYear:
    return DistrictYear(tenant.district_code, tenant.district_name, "missing", None, None, 0, 0)


def city_years(layout: Layout) -> list[int]:
    """Years on the city's board: every published year and the one being collected, newest first."""
    with _read(layout.published_db) as con:
        years = (
            {r[0] for r in con.execute("SELECT DISTINCT year FROM reports.rpt_city_rollup").fetchall()}
            if con
            else set()
        )
    return sorted(years | {reporting_year()}, reverse=True)


def city_board(layout: Layout, tenants: dict[str, Tenant], year: int) -> list[DistrictYear]:
    """Every active district of the registry for the year, whether or not the published run knew it."""
    with _read(layout.published_db) as con:
        states = {s.district_code: s for _, s in _states(con, year=year)} if con else {}
    return [states.get(code) or _missing(t) for code, t in tenants.items() if t.active or code in states]


def city_history(layout: Layout, district_code: str) -> list[dict]:
    with _read(layout.published_db) as con:
        if con is None:
            return []
        return _dicts(
            con,
            """SELECT year, version, file_name, received_at, status, status_reason, submission_id FROM raw.submissions
               WHERE district_code = ? ORDER BY year DESC, version DESC""",
            [district_code],
        )


# ---- a district's own file ---------------------------------------------------------------------------------------
@dataclass
class DistrictView:
    """A district-year as its clerk sees it: state, versions, the deciding version's findings."""

    state: DistrictYear
    versions: list[dict]
    findings: list[dict]


def district_years(layout: Layout, tenant: Tenant) -> list[tuple[int, DistrictYear]]:
    """The district's years, newest first: those it has published and the one being collected."""
    with _read(layout.tenant_dbs / f"{tenant.district_code}.duckdb") as con:
        states = dict(_states(con, code=tenant.district_code)) if con else {}
    current = reporting_year()
    states.setdefault(current, _missing(tenant))
    return [(y, states[y]) for y in sorted(states, reverse=True)]


def district_view(layout: Layout, tenant: Tenant, year: int) -> DistrictView:
    with _read(layout.tenant_dbs / f"{tenant.district_code}.duckdb") as con:
        if con is None:
            return DistrictView(_missing(tenant), [], [])
        found = _states(con, year=year, code=tenant.district_code)
        state = found[0][1] if found else _missing(tenant)
        versions = _dicts(
            con,
            """SELECT submission_id, version, file_name, received_at, status, status_reason FROM raw.submissions
               WHERE district_code = ? AND year = ? ORDER BY version DESC""",
            [tenant.district_code, year],
        )
        deciding = next((v for v in versions if v["status"] == "accepted"), versions[0] if versions else None)
        findings = (
            _dicts(
                con,
                """SELECT rule_id, severity, message, fact_id FROM raw.submission_findings WHERE submission_id = ?
                   ORDER BY CASE severity WHEN 'fatal' THEN 0 ELSE 1 END, rule_id""",
                [deciding["submission_id"]],
            )
            if deciding
            else []
        )
    return DistrictView(state, versions, findings)


def prior_facts(layout: Layout, district_code: str, year: int) -> pl.DataFrame | None:
    """The district's accepted facts of `year` as published: what the verdict compares a new file with — what `uwh
    validate` reads (`intake.submission.prior_facts_in`), on this module's shared read-only instance (a path-based
    `duckdb.connect` per upload thread is what the portal avoids)."""
    with _read(layout.published_db) as con:
        return prior_facts_in(con, district_code, year) if con is not None else None


def headline_figures(layout: Layout, district_code: str, year: int) -> dict[str, float]:
    """The district's accepted 部门整体/基本/项目支出 of a year (元), to pre-fill next year's template for reference."""
    categories = [category for _, category in OVERVIEW_ROWS]
    with _read(layout.tenant_dbs / f"{district_code}.duckdb") as con:
        if con is None:
            return {}
        rows = con.execute(
            """SELECT f.category, max(f.value) FROM raw.facts f JOIN raw.submissions s USING (submission_id)
               WHERE s.year = ? AND s.status = 'accepted' AND f.kind = 'amount' AND f.measure = 'actual'
                 AND f.parent_fact_id IS NULL AND list_contains(?, f.category)
               GROUP BY f.category""",
            [year, categories],
        ).fetchall()
    return {category: float(value) for category, value in rows}


def review_reading(layout: Layout, code: str, year: int, number: int | None = None, *, city: bool = False):
    """The review of a district-year and its version to confirm or review (the newest accepted, else `number`), read
    from the district's own published file (the city's pages: the city's): intake.review_source.open_review."""
    db = layout.published_db if city else layout.tenant_dbs / f"{code}.duckdb"
    with _read(db) as con:
        return open_review(layout.review_ledger, con, code, year, number)


def scan_places(layout: Layout, code: str, submission_id: str, *, city: bool = False) -> dict[str, ScanPlace]:
    """The scanned line each fact of a version was read from (none: the version was not a scan)."""
    db = layout.published_db if city else layout.tenant_dbs / f"{code}.duckdb"
    with _read(db) as con:
        if con is None:
            return {}
        try:
            rows = con.execute(
                """SELECT fact_id, page, box_x0, box_y0, box_x1, box_y1, confidence, line_text, crop_png
                   FROM raw.scan_places WHERE submission_id = ?""",
                [submission_id],
            ).fetchall()
        except duckdb.CatalogException:  # published before scans were read
            return {}
    return {
        fact_id: ScanPlace(fact_id, page, (x0, y0, x1, y1), confidence, line_text, png or b"")
        for fact_id, page, x0, y0, x1, y1, confidence, line_text, png in rows
    }


def year_review_states(layout: Layout, year: int) -> dict:
    """Per district code: the review state of its accepted version of `year` (the board's 审核 column)."""
    with _read(layout.published_db) as con:
        return year_reviews(con, layout.review_ledger, year)


def rollup_rows(layout: Layout, year: int) -> dict[str, dict]:
    """Per district code: its row of reports.rpt_city_rollup for a year as published (the board's figures)."""
    with _read(layout.published_db) as con:
        if con is None:
            return {}
        try:
            rows = _dicts(con, "SELECT * FROM reports.rpt_city_rollup WHERE year = ?", [year])
        except duckdb.CatalogException:  # nothing published yet
            return {}
    return {row["district_code"]: row for row in rows}


def rollup_row(layout: Layout, code: str, year: int) -> dict:
    """The district's row of reports.rpt_city_rollup for a year as published ({} when none): last year's figures."""
    with _read(layout.published_db) as con:
        if con is None:
            return {}
        rows = _dicts(con, "SELECT * FROM reports.rpt_city_rollup WHERE district_code = ? AND year = ?", [code, year])
    return rows[0] if rows else {}
