"""The record of what districts and the city said about the figures: corrections, additions, confirmations, reviews.

An append-only SQLite file in the installation's home (`review_data/reviews.sqlite`): the portal and the CLI write it
at once (the DuckDB work file has one writer, a run may hold it), triggers refuse every UPDATE and DELETE, and each
run copies the events it has not seen into the warehouse's raw tables (raw.fact_corrections, raw.added_facts,
raw.confirmations, raw.reviews), where dbt applies them. Events name a version by its district, year and the SHA-256
of its bytes (what the archive keeps), so a correction made before a file is taken in belongs to the version it
becomes, and the same bytes sent again keep their corrections.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from core.db import now_utc

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,  -- the order things were said in, across all kinds
    event_id      TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL CHECK (kind IN ('correction', 'addition', 'confirmation', 'review')),
    district_code TEXT NOT NULL,
    year          INTEGER NOT NULL,
    sha256        TEXT NOT NULL,                     -- the version's bytes (archive/<sha256>)
    submission_id TEXT,                              -- when the version was already taken in
    fact_id       TEXT,                              -- correction, addition: the fact (an addition's new id k1, k2…)
    field         TEXT,                              -- correction: value, category, measure, parent, excluded
    before_text   TEXT,
    after_text    TEXT,
    anchor_text   TEXT,                              -- the fact's sentence and value as read: a correction applies
    anchor_value  REAL,                              -- only where the same sentence still holds the same number
    detail        TEXT NOT NULL DEFAULT '{}',        -- JSON: an addition's fact; a review's decision and comment
    reason        TEXT,
    actor         TEXT NOT NULL,
    recorded_at   TEXT NOT NULL                      -- UTC, ISO 8601
);
CREATE INDEX IF NOT EXISTS events_version ON events (district_code, year, sha256);
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'review events are append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'review events are append-only'); END;
"""
COLUMNS = (
    "seq event_id kind district_code year sha256 submission_id fact_id field before_text after_text anchor_text "
    "anchor_value detail reason actor recorded_at"
).split()


@dataclass(frozen=True)
class Event:
    seq: int
    event_id: str
    kind: str
    district_code: str
    year: int
    sha256: str
    submission_id: str | None
    fact_id: str | None
    field: str | None
    before_text: str | None
    after_text: str | None
    anchor_text: str | None
    anchor_value: float | None
    detail: dict = dataclasses.field(default_factory=dict)  # (`field` is a column here)
    reason: str | None = None
    actor: str = ""
    recorded_at: datetime | None = None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Event:
        values = dict(zip(COLUMNS, row, strict=True))
        values["detail"] = json.loads(values["detail"] or "{}")
        values["recorded_at"] = datetime.fromisoformat(values["recorded_at"])
        return cls(**values)


class ReviewLedger:
    def __init__(self, path: Path):
        self.path = path

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            con.execute("PRAGMA journal_mode=WAL")
            con.executescript(SCHEMA)
            yield con
        finally:
            con.close()

    def append(self, events: list[dict]) -> list[Event]:
        """Record the events in one transaction, in the order given; returns them as stored (with their seq)."""
        stored: list[Event] = []
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                for e in events:
                    row = {c: e.get(c) for c in COLUMNS if c != "seq"}
                    row["event_id"] = row["event_id"] or uuid.uuid4().hex
                    row["detail"] = json.dumps(e.get("detail") or {}, ensure_ascii=False)
                    row["recorded_at"] = (e.get("recorded_at") or now_utc()).isoformat()
                    names = ", ".join(row)
                    cur = con.execute(
                        f"INSERT INTO events ({names}) VALUES ({', '.join('?' * len(row))})", list(row.values())
                    )
                    found = con.execute(
                        f"SELECT {', '.join(COLUMNS)} FROM events WHERE seq = ?", [cur.lastrowid]
                    ).fetchone()
                    stored.append(Event.from_row(found))
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return stored

    def events(self, district_code: str | None = None, year: int | None = None, *, after_seq: int = 0) -> list[Event]:
        """Events in the order they were recorded, of one district(-year) or all, after a sequence number."""
        where, params = ["seq > ?"], [after_seq]  # type: list[str], list[object]
        if district_code is not None:
            where.append("district_code = ?")
            params.append(district_code)
        if year is not None:
            where.append("year = ?")
            params.append(year)
        if not self.path.exists():
            return []
        with self._connect() as con:
            rows = con.execute(
                f"SELECT {', '.join(COLUMNS)} FROM events WHERE {' AND '.join(where)} ORDER BY seq", params
            ).fetchall()
        return [Event.from_row(r) for r in rows]
