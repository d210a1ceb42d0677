"""The raw layer of the DuckDB work file, and publishing it.

Only this module writes raw.*; dbt reads it. Every received version is kept; re-processing a submission replaces its
own fact and finding rows (delete + insert in one transaction), so re-running a partition never duplicates rows.
"""
from __future__ import annotations

import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import polars as pl

from ingest.model import Extraction

SCHEMA_SQL = (Path(__file__).with_name("schema.sql")).read_text(encoding="utf-8")

FACT_COLUMNS = {
    "submission_id": pl.Utf8, "fact_id": pl.Utf8, "kind": pl.Utf8, "label": pl.Utf8, "value": pl.Float64,
    "unit": pl.Utf8, "measure": pl.Utf8, "parent_fact_id": pl.Utf8, "category": pl.Utf8, "section": pl.Utf8,
    "source_text": pl.Utf8, "span_start": pl.Int32, "span_end": pl.Int32, "value_precision": pl.Float64,
    "approx": pl.Boolean, "derived": pl.Boolean, "direction": pl.Utf8,
}


def now_utc() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def connect(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    if read_only:
        return duckdb.connect(str(path), read_only=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    con.execute(SCHEMA_SQL)
    return con


def query_frame(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pl.DataFrame:
    """A query's result as a polars frame (relation API: DuckDB 2's execute() result would copy the rows once more)."""
    return con.sql(sql, params=params or None).pl()


def facts_frame(extraction: Extraction, submission_id: str) -> pl.DataFrame:
    """raw.facts rows of one extraction: the single mapping from the JSON contract to the warehouse."""
    rows = [
        {
            "submission_id": submission_id, "fact_id": f.id, "kind": f.kind, "label": f.label,
            "value": float(f.value), "unit": f.unit, "measure": f.measure, "parent_fact_id": f.parent,
            "category": f.category, "section": f.section, "source_text": f.text,
            "span_start": f.span[0] if f.span else None, "span_end": f.span[1] if f.span else None,
            "value_precision": float(f.precision), "approx": bool(f.approx), "derived": bool(f.derived),
            "direction": f.direction,
        }
        for f in extraction.facts
    ]
    return pl.DataFrame(rows, schema=FACT_COLUMNS)


def audit(con: duckdb.DuckDBPyConnection, actor: str, action: str, *, district_code: str | None = None,
          year: int | None = None, submission_id: str | None = None, detail: str | None = None) -> None:
    con.execute(
        "INSERT INTO raw.audit_log VALUES (?, ?, ?, ?, ?, ?, ?)",
        [now_utc(), actor, action, district_code, year, submission_id, detail],
    )


def submission_by_sha(con: duckdb.DuckDBPyConnection, sha256: str) -> list[tuple]:
    """(submission_id, district_code, year, status) of every submission with these bytes."""
    return con.execute(
        "SELECT submission_id, district_code, year, status FROM raw.submissions WHERE sha256 = ? ORDER BY received_at",
        [sha256],
    ).fetchall()


def next_version(con: duckdb.DuckDBPyConnection, district_code: str, year: int) -> int:
    (current,) = con.execute(
        "SELECT coalesce(max(version), 0) FROM raw.submissions WHERE district_code = ? AND year = ?",
        [district_code, year],
    ).fetchone()
    return int(current) + 1


def insert_submission(con: duckdb.DuckDBPyConnection, *, district_code: str, year: int, sha256: str,
                      file_name: str, file_format: str, size_bytes: int, extractor_version: str,
                      received_at: datetime | None = None) -> tuple[str, int]:
    version = next_version(con, district_code, year)
    submission_id = f"{district_code}-{year}-v{version}"
    con.execute(
        """INSERT INTO raw.submissions (submission_id, district_code, year, version, sha256, file_name, file_format,
               size_bytes, received_at, status, extractor_version)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', ?)""",
        [submission_id, district_code, year, version, sha256, file_name, file_format, size_bytes,
         received_at or now_utc(), extractor_version],
    )
    return submission_id, version


def store_extraction(con: duckdb.DuckDBPyConnection, submission_id: str, extraction: Extraction,
                     extractor_version: str) -> int:
    doc = extraction.document
    frame = facts_frame(extraction, submission_id)
    con.execute("BEGIN")
    try:
        con.execute("DELETE FROM raw.facts WHERE submission_id = ?", [submission_id])
        if frame.height:
            con.register("incoming_facts", frame.to_arrow())
            con.execute(f"INSERT INTO raw.facts ({', '.join(FACT_COLUMNS)}) SELECT * FROM incoming_facts")
            con.unregister("incoming_facts")
        con.execute(
            """UPDATE raw.submissions SET doc_org = ?, doc_year = ?, doc_kind = ?, document_text = ?,
                   extractor_version = ? WHERE submission_id = ?""",
            [doc.org, doc.year, doc.kind, doc.text, extractor_version, submission_id],
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return frame.height


def store_findings(con: duckdb.DuckDBPyConnection, submission_id: str, findings: list) -> None:
    """Replace the submission's findings (objects with rule_id, severity, message, fact_id, expected, provided)."""
    con.execute("DELETE FROM raw.submission_findings WHERE submission_id = ?", [submission_id])
    for f in findings:
        difference = None if f.expected is None or f.provided is None else f.provided - f.expected
        con.execute(
            "INSERT INTO raw.submission_findings VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [submission_id, f.rule_id, f.severity, f.message, f.fact_id, f.expected, f.provided, difference],
        )


def set_status(con: duckdb.DuckDBPyConnection, submission_id: str, status: str, reason: str | None = None) -> None:
    """Set a submission's status; an accepted version supersedes the earlier accepted ones of its district-year.

    Re-validating an old version never knocks out a newer accepted one: it becomes `superseded` instead.
    """
    if status == "accepted":
        (newer,) = con.execute(
            """SELECT count(*) FROM raw.submissions s JOIN raw.submissions me ON me.submission_id = ?
               WHERE s.district_code = me.district_code AND s.year = me.year AND s.version > me.version
                 AND s.status = 'accepted'""",
            [submission_id],
        ).fetchone()
        if newer:
            status = "superseded"
    con.execute("UPDATE raw.submissions SET status = ?, status_reason = ? WHERE submission_id = ?",
                [status, reason, submission_id])
    if status == "accepted":
        code, year, version = con.execute(
            "SELECT district_code, year, version FROM raw.submissions WHERE submission_id = ?", [submission_id]
        ).fetchone()
        con.execute(
            """UPDATE raw.submissions SET status = 'superseded'
               WHERE status = 'accepted' AND district_code = ? AND year = ? AND version < ?""",
            [code, year, version],
        )


def publish_copy(work_db: Path, target: Path) -> Path:
    """Copy the (closed, checkpointed) work file next to `target`, then swap it in atomically.

    A reader that has the old file open keeps its inode and goes on working; a new reader sees the whole new file.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    shutil.copyfile(work_db, tmp)
    os.replace(tmp, target)
    return target
