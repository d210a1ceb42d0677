"""The raw layer of the DuckDB work file, and publishing it.

Only this module and intake/ledger.py write raw.*; dbt reads it. Every received version is kept; a file already
recorded for its district-year is recognised by its hash and never adds rows again.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from core.db import now_utc, query_frame
from ingest.model import Extraction, Fact

SCHEMA_SQL = (Path(__file__).with_name("schema.sql")).read_text(encoding="utf-8")

# The raw layer is declared once, in schema.sql: the frames written to it take their columns and types from there.
_POLARS_TYPES: dict[str, Any] = {
    "VARCHAR": pl.Utf8,
    "INTEGER": pl.Int32,
    "BIGINT": pl.Int64,
    "DOUBLE": pl.Float64,
    # a figure is read from text as a double (107.70万 → 1077000.0000000002); DuckDB rounds it into the DECIMAL column
    # on insert, so what is stored and summed is exact
    "DECIMAL(24,6)": pl.Float64,
    "BOOLEAN": pl.Boolean,
    "TIMESTAMP": pl.Datetime("us"),
    "DATE": pl.Date,
    "BLOB": pl.Binary,
}


def _raw_schemas() -> dict[str, dict[str, Any]]:
    con = duckdb.connect()
    try:
        con.execute(SCHEMA_SQL)
        rows = con.execute("""SELECT table_name, column_name, data_type FROM information_schema.columns
                              WHERE table_schema = 'raw' ORDER BY table_name, ordinal_position""").fetchall()
    finally:
        con.close()
    schemas: dict[str, dict[str, Any]] = {}
    for table, column, data_type in rows:
        schemas.setdefault(table, {})[column] = _POLARS_TYPES[data_type]
    return schemas


RAW_SCHEMAS = _raw_schemas()
FACT_COLUMNS = RAW_SCHEMAS["facts"]
SCAN_PLACE_COLUMNS = RAW_SCHEMAS["scan_places"]


def connect(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    if read_only:
        return duckdb.connect(str(path), read_only=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    con.execute(SCHEMA_SQL)
    _upgrade(con)
    return con


def _upgrade(con: duckdb.DuckDBPyConnection) -> None:
    """A work file written before figures were stored as decimals is converted in place (values rounded to 6 places);
    one written before the reader said which figures restate another or sum all levels gains those columns (NULL: a
    figure of its own, of this union)."""
    for column in ("restates_fact_id", "scope"):
        con.execute(f"ALTER TABLE raw.facts ADD COLUMN IF NOT EXISTS {column} VARCHAR")
    found = con.execute(
        """SELECT data_type FROM information_schema.columns
           WHERE table_schema = 'raw' AND table_name = 'facts' AND column_name = 'value'"""
    ).fetchone()
    if found == ("DOUBLE",):
        con.execute("ALTER TABLE raw.facts ALTER COLUMN value SET DATA TYPE DECIMAL(24,6)")


def fact_columns_sql(con: duckdb.DuckDBPyConnection, alias: str = "") -> str:
    """raw.facts' columns as this file has them, NULL for those added since it was written: a file published before
    an upgrade is read read-only (the portal, `uwh review`) until the next run rewrites it."""
    present = {
        name
        for (name,) in con.execute(
            """SELECT column_name FROM information_schema.columns
               WHERE table_schema = 'raw' AND table_name = 'facts'"""
        ).fetchall()
    }
    prefix = f"{alias}." if alias else ""
    # the columns added so far are all text
    return ", ".join(f"{prefix}{c}" if c in present else f"CAST(NULL AS VARCHAR) AS {c}" for c in FACT_COLUMNS)


def load_registry(con: duckdb.DuckDBPyConnection, tenants: dict) -> None:
    """raw.tenants := the registry this run reads (ingest.tenants.Tenant values), in one transaction."""
    columns = RAW_SCHEMAS["tenants"]  # a Tenant's fields are the table's columns
    registry = pl.DataFrame(  # one insert of a frame: executemany was a statement per row, 1.4 s for 3,000 districts
        [tuple(getattr(t, c) for c in columns) for t in tenants.values()], schema=columns, orient="row"
    )
    con.execute("BEGIN")
    con.execute("DELETE FROM raw.tenants")
    con.register("incoming_registry", registry)
    try:
        con.execute("INSERT INTO raw.tenants SELECT * FROM incoming_registry")
    finally:
        con.unregister("incoming_registry")
    con.execute("COMMIT")


def accepted_facts(con: duckdb.DuckDBPyConnection, year: int, district_code: str | None = None) -> pl.DataFrame:
    """The facts of the accepted versions of a year (of one district, or of all with their district_code): what
    the year-on-year rules compare a new submission with. One query for the pipeline and for `uwh validate`."""
    where = "s.year = ? AND s.status = 'accepted'" + (" AND s.district_code = ?" if district_code else "")
    return query_frame(
        con,
        f"""SELECT s.district_code, {fact_columns_sql(con, "f")} FROM raw.facts f
            JOIN raw.submissions s USING (submission_id) WHERE {where}""",
        [year, district_code] if district_code else [year],
    )


def facts_frame(extraction: Extraction, submission_id: str) -> pl.DataFrame:
    """raw.facts rows of one extraction: the single mapping from the JSON contract to the warehouse."""
    rows = [
        {
            "submission_id": submission_id,
            "fact_id": f.id,
            "kind": f.kind,
            "label": f.label,
            "value": float(f.value),
            "unit": f.unit,
            "measure": f.measure,
            "parent_fact_id": f.parent,
            "category": f.category,
            "section": f.section,
            "source_text": f.text,
            "span_start": f.span[0] if f.span else None,
            "span_end": f.span[1] if f.span else None,
            "value_precision": float(f.precision),
            "approx": bool(f.approx),
            "derived": bool(f.derived),
            "direction": f.direction,
            "restates_fact_id": f.restates,
            "scope": f.scope,
        }
        for f in extraction.facts
    ]
    return pl.DataFrame(rows, schema=FACT_COLUMNS)


def scan_places_frame(extraction: Extraction, submission_id: str) -> pl.DataFrame:
    """raw.scan_places rows: where on its page image each fact of a scanned submission was read."""
    rows = [
        {
            "submission_id": submission_id,
            "fact_id": p.fact_id,
            "page": p.page,
            "box_x0": p.box[0],
            "box_y0": p.box[1],
            "box_x1": p.box[2],
            "box_y1": p.box[3],
            "confidence": p.confidence,
            "line_text": p.line_text,
            "crop_png": p.png or None,
        }
        for p in extraction.places
    ]
    return pl.DataFrame(rows, schema=SCAN_PLACE_COLUMNS)


def audit(
    con: duckdb.DuckDBPyConnection,
    actor: str,
    action: str,
    *,
    district_code: str | None = None,
    year: int | None = None,
    submission_id: str | None = None,
    detail: str | None = None,
) -> None:
    con.execute(
        "INSERT INTO raw.audit_log VALUES (?, ?, ?, ?, ?, ?, ?)",
        [now_utc(), actor, action, district_code, year, submission_id, detail],
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


def facts_of(con: duckdb.DuckDBPyConnection, submission_id: str) -> list[Fact]:
    """The facts the warehouse holds for one submission, as the reader gave them (the inverse of facts_frame)."""
    rows = con.execute(
        f"SELECT {fact_columns_sql(con)} FROM raw.facts WHERE submission_id = ? ORDER BY fact_id", [submission_id]
    ).fetchall()
    facts = []
    for row in rows:
        r = dict(zip(FACT_COLUMNS, row, strict=True))
        span = (r["span_start"], r["span_end"]) if r["span_start"] is not None else None
        facts.append(
            Fact(
                id=r["fact_id"], kind=r["kind"], label=r["label"], value=float(r["value"]), unit=r["unit"],
                category=r["category"], measure=r["measure"], parent=r["parent_fact_id"], section=r["section"] or "",
                text=r["source_text"] or "", span=span, precision=r["value_precision"], approx=r["approx"],
                derived=r["derived"], direction=r["direction"], restates=r["restates_fact_id"], scope=r["scope"],
            )
        )  # fmt: skip
    facts.sort(key=lambda f: (len(f.id), f.id))
    return facts


def load_review_events(con: duckdb.DuckDBPyConnection, events: list) -> int:
    """Append the review ledger's events the warehouse has not seen (intake.review_ledger.Event, in seq order) to
    raw.fact_corrections, raw.added_facts, raw.confirmations and raw.reviews, in one transaction; returns how many."""
    seen = con.execute(
        """SELECT coalesce(max(seq), 0) FROM (SELECT seq FROM raw.fact_corrections UNION ALL SELECT seq FROM
           raw.added_facts UNION ALL SELECT seq FROM raw.confirmations UNION ALL SELECT seq FROM raw.reviews)"""
    ).fetchone()[0]  # type: ignore[index]
    new = [e for e in events if e.seq > seen]
    rows: dict[str, list[tuple]] = {"fact_corrections": [], "added_facts": [], "confirmations": [], "reviews": []}
    for e in new:
        head = (e.seq, e.event_id, e.district_code, e.year, e.sha256)
        tail = (e.actor, e.recorded_at)
        if e.kind == "correction":
            rows["fact_corrections"].append(
                (*head, e.fact_id, e.field, e.before_text, e.after_text, e.anchor_text, e.anchor_value, e.reason, *tail)
            )
        elif e.kind == "addition":
            d, span = e.detail, e.detail.get("span") or (None, None)
            rows["added_facts"].append(
                (*head, e.fact_id, d["kind"], d["label"], d["value"], d["unit"], d.get("measure"), d["category"],
                 d.get("source_text"), span[0], span[1], e.reason, *tail)
            )  # fmt: skip
        elif e.kind == "confirmation":
            rows["confirmations"].append((*head, *tail))
        elif e.kind == "review":
            rows["reviews"].append((*head, e.detail["decision"], e.detail.get("comment"), *tail))
    con.execute("BEGIN")
    for table, values in rows.items():
        if values:
            con.executemany(f"INSERT INTO raw.{table} VALUES ({', '.join('?' * len(values[0]))})", values)
    con.execute("COMMIT")
    return len(new)
