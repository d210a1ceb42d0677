"""What the raw layer already holds, and the rows a batch of submissions adds to it, written in one transaction.

Taking in a file used to cost a dozen DuckDB statements (lookups, an insert, updates of the row just inserted); at
30,000 files that was most of a full run. A ledger reads what intake decisions need once (every file's hash, the last
version of each district-year), keeps the decisions' rows in memory and writes them with one insert per table.
Only this module and `warehouse.audit` write raw.*.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import duckdb
import polars as pl

from core.db import now_utc
from intake import warehouse

SUBMISSION_COLUMNS = warehouse.RAW_SCHEMAS["submissions"]
FINDING_COLUMNS = warehouse.RAW_SCHEMAS["submission_findings"]
LANDED_COLUMNS = warehouse.RAW_SCHEMAS["landed_files"]
AUDIT_COLUMNS = warehouse.RAW_SCHEMAS["audit_log"]


@dataclass(frozen=True)
class Recorded:
    """A submission already in the ledger (stored or pending), as duplicate detection sees it."""

    submission_id: str
    district_code: str
    year: int
    version: int


@dataclass
class Ledger:
    by_sha: dict[str, list[Recorded]] = field(default_factory=lambda: defaultdict(list))
    last_version: dict[tuple[str, int], int] = field(default_factory=dict)
    submissions: list[dict] = field(default_factory=list)
    facts: list[pl.DataFrame] = field(default_factory=list)
    scan_places: list[pl.DataFrame] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    audit_rows: list[dict] = field(default_factory=list)
    # path → (size, mtime_ns, ctime_ns, sha256): a file unchanged in all three is not read again
    landed: dict[str, tuple[int, int, int | None, str]] = field(default_factory=dict)
    landed_rows: list[dict] = field(default_factory=list)
    verdicts: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # submission_id → (status, reason)
    latest: dict[tuple[str, int], tuple[str, str]] = field(default_factory=dict)  # (code, year) → (id, sha256)
    _prior: dict[int, dict[str, pl.DataFrame]] = field(default_factory=dict)

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection) -> Ledger:
        ledger = cls()
        for sid, code, year, sha, version, status, reason in con.execute(
            """SELECT submission_id, district_code, year, sha256, version, status, status_reason FROM raw.submissions
                   ORDER BY received_at, version"""
        ).fetchall():
            ledger.by_sha[sha].append(Recorded(sid, code, year, version))
            ledger.verdicts[sid] = (status, reason)
            ledger.latest[(code, year)] = (sid, sha)
        for code, year, version in con.execute(
            "SELECT district_code, year, max(version) FROM raw.submissions GROUP BY ALL"
        ).fetchall():
            ledger.last_version[(code, year)] = version
        for path, size, mtime, sha, ctime in con.execute(
            "SELECT path, size_bytes, mtime_ns, sha256, ctime_ns FROM raw.landed_files"
        ).fetchall():
            ledger.landed[path] = (size, mtime, ctime, sha)
        return ledger

    # --- decisions -------------------------------------------------------------------------------------------------
    def next_submission(self, district_code: str, year: int, sha256: str) -> tuple[str, int]:
        version = self.last_version.get((district_code, year), 0) + 1
        self.last_version[(district_code, year)] = version
        submission_id = f"{district_code}-{year}-v{version}"
        self.by_sha[sha256].append(Recorded(submission_id, district_code, year, version))
        self.latest[(district_code, year)] = (submission_id, sha256)
        return submission_id, version

    def add_submission(self, row: dict) -> None:
        """A decided submission; a new accepted version supersedes the earlier accepted ones of its district-year."""
        self.verdicts[row["submission_id"]] = (row["status"], row["status_reason"])
        if row["status"] == "accepted":
            for earlier in self.submissions:
                if (earlier["district_code"], earlier["year"], earlier["status"]) == (
                    row["district_code"],
                    row["year"],
                    "accepted",
                ):
                    earlier["status"] = "superseded"
            self._prior.pop(row["year"], None)
        self.submissions.append(row)

    def known_hash(self, path: str, size: int, mtime_ns: int, ctime_ns: int) -> str | None:
        """The recorded hash of a landed file, if it was read before and is unchanged since: size, mtime and the
        inode's change time (which an edit changes even when it puts the mtime back)."""
        known = self.landed.get(path)
        return known[3] if known is not None and known[:3] == (size, mtime_ns, ctime_ns) else None

    def remember_file(self, path: str, size: int, mtime_ns: int, ctime_ns: int, sha256: str) -> None:
        if self.landed.get(path) != (size, mtime_ns, ctime_ns, sha256):
            self.landed[path] = (size, mtime_ns, ctime_ns, sha256)
            self.landed_rows.append(
                {
                    "path": path,
                    "size_bytes": size,
                    "mtime_ns": mtime_ns,
                    "sha256": sha256,
                    "seen_at": now_utc(),
                    "ctime_ns": ctime_ns,
                }
            )

    def add_facts(self, frame: pl.DataFrame, scan_places: pl.DataFrame | None = None) -> None:
        if frame.height:
            self.facts.append(frame)
        if scan_places is not None and scan_places.height:
            self.scan_places.append(scan_places)

    def add_findings(self, submission_id: str, findings: list) -> None:
        for f in findings:
            difference = None if f.expected is None or f.provided is None else f.provided - f.expected
            self.findings.append(
                {
                    "submission_id": submission_id,
                    "rule_id": f.rule_id,
                    "severity": f.severity,
                    "message": f.message,
                    "fact_id": f.fact_id,
                    "expected": f.expected,
                    "provided": f.provided,
                    "difference": difference,
                }
            )

    def audit(
        self,
        actor: str,
        action: str,
        *,
        district_code: str | None = None,
        year: int | None = None,
        submission_id: str | None = None,
        detail: str | None = None,
        at: datetime | None = None,
    ) -> None:
        self.audit_rows.append(
            {
                "logged_at": at or now_utc(),
                "actor": actor,
                "action": action,
                "district_code": district_code,
                "year": year,
                "submission_id": submission_id,
                "detail": detail,
            }
        )

    def accepted_facts(self, con: duckdb.DuckDBPyConnection, district_code: str, year: int) -> pl.DataFrame | None:
        """The accepted facts of a district-year (what year-on-year rules compare with), read once per year."""
        if year not in self._prior:
            if any(r["year"] == year for r in self.submissions):
                self.flush(con)
            frame = warehouse.accepted_facts(con, year)
            self._prior = {}  # a run goes year by year: earlier years are not asked for again
            self._prior[year] = {
                code: part.drop("district_code")
                for (code,), part in frame.partition_by("district_code", as_dict=True).items()
            }
        return self._prior[year].get(district_code)

    # --- writing ---------------------------------------------------------------------------------------------------
    @property
    def pending(self) -> bool:
        return bool(self.submissions or self.audit_rows or self.landed_rows)

    def flush(self, con: duckdb.DuckDBPyConnection) -> None:
        """Write every pending row in one transaction; an accepted version supersedes the stored ones before it."""
        if not self.pending:
            return
        frames = {
            "raw.submissions": pl.DataFrame(self.submissions, schema=SUBMISSION_COLUMNS),
            "raw.facts": pl.concat(self.facts) if self.facts else None,
            "raw.scan_places": pl.concat(self.scan_places) if self.scan_places else None,
            "raw.submission_findings": pl.DataFrame(self.findings, schema=FINDING_COLUMNS),
            "raw.audit_log": pl.DataFrame(self.audit_rows, schema=AUDIT_COLUMNS),
        }
        landed = pl.DataFrame(self.landed_rows, schema=LANDED_COLUMNS).unique("path", keep="last")
        con.execute("BEGIN")
        try:
            for table, frame in frames.items():
                if frame is not None and frame.height:
                    con.register("incoming", frame.to_arrow())
                    con.execute(f"INSERT INTO {table} ({', '.join(frame.columns)}) SELECT * FROM incoming")
                    con.unregister("incoming")
            if landed.height:
                con.register("incoming", landed.to_arrow())
                con.execute(
                    f"INSERT OR REPLACE INTO raw.landed_files ({', '.join(landed.columns)}) SELECT * FROM incoming"
                )
                con.unregister("incoming")
            accepted = [
                (r["district_code"], r["year"], r["version"]) for r in self.submissions if r["status"] == "accepted"
            ]
            if accepted:
                con.register(
                    "newly_accepted",
                    pl.DataFrame(
                        accepted, schema={"district_code": pl.Utf8, "year": pl.Int32, "version": pl.Int32}, orient="row"
                    ).to_arrow(),
                )
                con.execute("""UPDATE raw.submissions s SET status = 'superseded' FROM newly_accepted n
                               WHERE s.status = 'accepted' AND s.district_code = n.district_code
                                 AND s.year = n.year AND s.version < n.version""")
                con.unregister("newly_accepted")
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        self.submissions, self.facts, self.scan_places, self.findings = [], [], [], []
        self.audit_rows, self.landed_rows = [], []


def awaiting_acceptance(con: duckdb.DuckDBPyConnection, district_codes: list[str]) -> list[dict]:
    """Every registered district-year that has versions but none accepted, with its newest version: what is still
    待更正 across the warehouse, not only in the batch just taken in (a batch of good files says nothing of those)."""
    rows = con.execute(
        """SELECT district_code, year, max(version) AS latest_version, arg_max(status, version) AS latest_status,
                  coalesce(arg_max(status_reason, version), '') AS reason
           FROM raw.submissions
           WHERE list_contains(?, district_code) AND status IN ('accepted', 'rejected', 'superseded')
           GROUP BY district_code, year
           HAVING count(*) FILTER (WHERE status = 'accepted') = 0
           ORDER BY year, district_code""",
        [district_codes],
    ).fetchall()
    return [
        {"district_code": c, "year": y, "latest_version": v, "latest_status": s, "reason": r} for c, y, v, s, r in rows
    ]
