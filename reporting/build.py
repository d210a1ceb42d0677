"""Every report file that is out of date: the city report per year, and each district's feedback page per year.

What is current (its fingerprint unchanged, reporting/fingerprints.py) is left as it is. Many stale files (a first
run, a template change) are rendered by one process per core, each with its own read-only connection to the work
file; a handful are rendered here, where starting processes would cost more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from core.fingerprints import FingerprintStore
from reporting.city_report import is_split, render_city_report, render_district_pages
from reporting.feedback import render_feedback_pages
from reporting.fingerprints import city_report_fingerprints, feedback_fingerprints
from reporting.index_page import render_index_page

FEEDBACK_CHUNK = 500  # feedback pages per job: three queries serve a whole chunk
# Rows to render (districts of a city report, pages of a chunk) besides the largest job from which processes pay:
# starting one costs ~1.5 s of imports; a city report of 3,000 districts takes ~4 s, of 120 districts 0.2 s, a page
# ~2 ms. After one district's new file the work is its year's city report and a page or two: one process.
PARALLEL_FROM = 2000


@dataclass
class Rendered:
    written: list[Path] = field(default_factory=list)
    current: int = 0  # files left as they were: nothing they show changed


@dataclass(frozen=True)
class Job:
    kind: str  # "city" (the city report's page and workbook, from one read of the year), "feedback", "districts"
    year: int
    codes: tuple[str, ...] = ()
    rows: int = 0  # what it costs: districts in the report, or pages


def _run(work_db: Path, reports_dir: Path, jobs: list[Job]) -> list[Path]:
    con = duckdb.connect(str(work_db), read_only=True)
    try:
        written: list[Path] = []
        for job in jobs:
            out_dir = reports_dir / str(job.year)
            if job.kind == "city":
                written.extend(render_city_report(con, job.year, out_dir).values())
            elif job.kind == "districts":
                written.extend(render_district_pages(con, job.year, list(job.codes), out_dir))
            else:
                written.extend(render_feedback_pages(con, job.year, list(job.codes), out_dir))
        return written
    finally:
        con.close()


def stale_jobs(
    con: duckdb.DuckDBPyConnection, store: FingerprintStore, reports_dir: Path, force: bool
) -> tuple[list[Job], dict[Path, str], int]:
    """(jobs, fingerprint of every file they write, count of current files)."""
    jobs, fingerprints, current = [], {}, 0
    districts = dict(con.execute("SELECT year, count(*) FROM reports.rpt_city_rollup GROUP BY year").fetchall())
    for year, fingerprint in city_report_fingerprints(con).items():
        report = reports_dir / str(year) / "city_report.html"
        if not force and store.is_current(report, fingerprint) and report.with_suffix(".xlsx").exists():
            current += 1
            continue
        jobs.append(Job("city", year, rows=districts[year]))
        fingerprints[report] = fingerprint
    pages = feedback_fingerprints(con)
    # A district's feedback page and, in a split year, its detail page show its submissions' rows only: both are
    # current while the district-year's fingerprint is.
    for kind, folder, years in (
        ("feedback", "feedback", None),
        ("districts", "districts", {y for y, n in districts.items() if is_split(n)}),
    ):
        stale: dict[int, list[str]] = {}
        for (code, year), fingerprint in pages.items():
            if years is not None and year not in years:
                continue
            page = reports_dir / str(year) / folder / f"{code}.html"
            if force or not store.is_current(page, fingerprint):
                stale.setdefault(year, []).append(code)
                fingerprints[page] = fingerprint
            else:
                current += 1
        for year, codes in sorted(stale.items()):
            # A detail page job reads its whole year once, so a year's pages are one job; feedback reads only its own.
            size = FEEDBACK_CHUNK if kind == "feedback" else len(codes)
            jobs += [
                Job(kind, year, tuple(chunk), rows=len(chunk))
                for chunk in (codes[i : i + size] for i in range(0, len(codes), size))
            ]
    return jobs, fingerprints, current


def render_all_reports(work_db: Path, reports_dir: Path, *, force: bool = False) -> Rendered:
    store = FingerprintStore(reports_dir)
    with duckdb.connect(str(work_db), read_only=True) as con:
        jobs, fingerprints, current = stale_jobs(con, store, reports_dir, force)
    result = Rendered(current=current)
    workers = min(os.cpu_count() or 1, len(jobs))
    if workers < 2 or sum(job.rows for job in jobs) - max(job.rows for job in jobs) < PARALLEL_FROM:
        result.written = _run(work_db, reports_dir, jobs)
    else:
        # Largest first onto the least loaded worker; spawn, not fork: the parent is a Dagster process with threads
        # and DuckDB handles of its own.
        shares: list[list[Job]] = [[] for _ in range(workers)]
        for job in sorted(jobs, key=lambda j: -j.rows):
            min(shares, key=lambda share: sum(j.rows for j in share)).append(job)
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            parts = [pool.submit(_run, work_db, reports_dir, share) for share in shares]
            result.written = [path for part in parts for path in part.result()]
    written = set(result.written)
    for path, fingerprint in fingerprints.items():
        # a city report is current only when both of its files were written
        if path in written and (path.name != "city_report.html" or path.with_suffix(".xlsx") in written):
            store.record(path, fingerprint)
    store.save()
    with duckdb.connect(str(work_db), read_only=True) as con:
        render_index_page(con, reports_dir)
    return result
