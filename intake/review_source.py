"""The versions a review acts on, as a published warehouse holds them: each one's facts as read and its text.

The CLI and the city's pages read the city's published copy, a district's pages its own file (never the work file a
run may be writing); the verdict page, before a file is taken in, shows its own `examine` of the upload instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingest.model import Fact
from intake import warehouse
from intake.review import Corrected, Review, ReviewError, ReviewStatus, Version, change_zh, corrected, status_of
from intake.review_ledger import ReviewLedger


@dataclass(frozen=True)
class TakenIn:
    version: Version
    number: int  # v1, v2, …
    status: str  # raw.submissions.status
    file_name: str
    facts: list[Fact]
    text: str  # the normalised text the facts' spans index


def versions_in(con: duckdb.DuckDBPyConnection | None, district_code: str, year: int) -> list[TakenIn]:
    """Every version of a district-year a published warehouse (the city's or the district's own) holds, oldest
    first (none: nothing published)."""
    if con is None:
        return []
    try:
        rows = con.execute(
            """SELECT submission_id, version, status, sha256, file_name, coalesce(document_text, '')
               FROM raw.submissions WHERE district_code = ? AND year = ? ORDER BY version""",
            [district_code, year],
        ).fetchall()
        return [
            TakenIn(Version(district_code, year, sha, sid), number, status, name, warehouse.facts_of(con, sid), text)
            for sid, number, status, sha, name, text in rows
        ]
    except duckdb.CatalogException:
        return []


def version_to_review(versions: list[TakenIn], number: int | None = None) -> TakenIn:
    """The version a district confirms and the city reviews: the one asked for, else the newest accepted one."""
    if number is not None:
        found = next((v for v in versions if v.number == number), None)
        if found is None:
            raise ReviewError(f"没有第 {number} 版报送。")
        return found
    accepted = [v for v in versions if v.status == "accepted"]
    if not accepted:
        raise ReviewError("该年度没有已接收的报送版本（数据仓库发布后才能确认和审核）。")
    return accepted[-1]


def previous_confirmed(review: Review, versions: list[TakenIn], current: TakenIn) -> tuple[Version, list[Fact]] | None:
    """The last earlier version the district confirmed: a new version starts from its corrections."""
    for v in reversed([v for v in versions if v.number < current.number]):
        if review.status(v.version).confirmation is not None:
            return v.version, v.facts
    return None


def open_review(
    ledger_path: Path, con: duckdb.DuckDBPyConnection | None, district_code: str, year: int, number: int | None = None
) -> tuple[Review, TakenIn, Corrected]:
    """The review of a district-year and the version it acts on, with that version's reading as it stands now."""
    versions = versions_in(con, district_code, year)
    current = version_to_review(versions, number)
    review = Review(ReviewLedger(ledger_path), district_code, year)
    reading = review.reading(current.version, current.facts, previous_confirmed(review, versions, current))
    return review, current, reading


@dataclass(frozen=True)
class YearReview:
    """A district-year's accepted version as the city's board shows it: its review state and corrections."""

    version: Version
    number: int
    status: ReviewStatus
    changes: list[
        str
    ]  # the corrections and additions in force on the version (change_zh), as its review page lists them

    @property
    def corrections(self) -> int:
        return len(self.changes)


def year_reviews(con: duckdb.DuckDBPyConnection | None, ledger_path: Path, year: int) -> dict[str, YearReview]:
    """Per district code: where the newest accepted version of `year` stands (the ledger as it is now)."""
    if con is None:
        return {}
    try:
        rows = con.execute(
            """SELECT district_code, submission_id, version, sha256 FROM raw.submissions
               WHERE year = ? AND status = 'accepted'
               QUALIFY row_number() OVER (PARTITION BY district_code ORDER BY version DESC) = 1""",
            [year],
        ).fetchall()
    except duckdb.CatalogException:
        return {}
    by_district: dict[str, list] = {}
    for e in ReviewLedger(ledger_path).events(year=year):
        by_district.setdefault(e.district_code, []).append(e)
    out = {}
    for code, sid, number, sha in rows:
        version = Version(code, year, sha, sid)
        mine = by_district.get(code, [])
        own = [e for e in mine if e.sha256 == sha]
        # in force: the latest per fact and field, as the review page applies them (a value corrected twice is one);
        # the facts are read only for a version someone corrected
        changed = any(e.kind in ("correction", "addition") for e in own)
        reading = corrected(warehouse.facts_of(con, sid), own) if changed else None
        changes = [change_zh(e) for evs in reading.changes.values() for e in evs] if reading else []
        out[code] = YearReview(version, number, status_of(mine, version), changes)
    return out
