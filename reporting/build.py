"""Every report file that is out of date: the city report per year, and each district's feedback page per year.

What is current (its fingerprint unchanged, reporting/fingerprints.py) is left as it is.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from reporting.city_report import render_city_report
from reporting.feedback import render_feedback_pages
from reporting.fingerprints import city_report_fingerprints, feedback_fingerprints
from union_warehouse.fingerprints import FingerprintStore


@dataclass
class Rendered:
    written: list[Path] = field(default_factory=list)
    current: int = 0                     # files left as they were: nothing they show changed


def render_all_reports(con: duckdb.DuckDBPyConnection, reports_dir: Path, *, force: bool = False) -> Rendered:
    store, result = FingerprintStore(reports_dir), Rendered()
    for year, fingerprint in city_report_fingerprints(con).items():
        out_dir = reports_dir / str(year)
        report = out_dir / "city_report.html"
        if not force and store.is_current(report, fingerprint) and report.with_suffix(".xlsx").exists():
            result.current += 1
            continue
        result.written.extend(render_city_report(con, year, out_dir).values())
        store.record(report, fingerprint)
    stale: dict[int, list[str]] = {}
    pages = feedback_fingerprints(con)
    for (code, year), fingerprint in pages.items():
        if force or not store.is_current(reports_dir / str(year) / "feedback" / f"{code}.html", fingerprint):
            stale.setdefault(year, []).append(code)
        else:
            result.current += 1
    for year, codes in sorted(stale.items()):
        written = render_feedback_pages(con, year, codes, reports_dir / str(year))
        for path in written:
            store.record(path, pages[(path.stem, year)])
        result.written.extend(written)
    store.save()
    return result
