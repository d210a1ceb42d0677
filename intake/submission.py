"""One submission's way in: archive the bytes, version it, extract, check the tenant, run the rule catalogue.

Used by the pipeline (`ingest_landed`, one ledger and one write per year), by `uwh submit` (`take_in_file`) and —
without the warehouse — by `uwh validate`, so a district sees exactly the verdict the city's run will reach.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from stat import S_ISREG

import duckdb
import polars as pl

from core.db import beijing_minute, now_utc
from core.labels import STATUS_ZH
from core.settings import installation_settings
from expectations.catalogue import is_rejected, run_submission_rules
from expectations.derive import with_derived_facts
from expectations.rules.base import Finding, SubmissionContext
from ingest.extract import EXTRACTOR_VERSION, extract_file
from ingest.model import Document, Extraction, Problem
from ingest.ocr import Progress
from ingest.submission_codes import ORG_UNCONFIRMED, TEMPLATE_CELL
from ingest.tenants import Tenant, require_tenant, tenants_named
from intake import warehouse
from intake.landing import (
    IntakeError,
    archive_original,
    landed_files,
    move_aside,
    read_landed_bytes,
    sha256_of,
    stray_files,
)
from intake.ledger import Ledger
from intake.receipt import write_receipt

_worker_tenants: dict[str, Tenant] = {}  # set in each worker process by _init_worker


@dataclass
class SubmissionOutcome:
    district_code: str
    year: int
    file_name: str
    status: str  # accepted, rejected, quarantined, duplicate, refused
    submission_id: str | None = None
    version: int | None = None
    sha256: str | None = None
    fact_count: int = 0
    findings: list[Finding] = field(default_factory=list)
    message: str = ""  # Chinese, for the district
    previous_status: str | None = None  # a duplicate: the status of the version it repeats

    @property
    def fatal(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "fatal"]


EARLIEST_YEAR = 2000


def check_year(year: int, today: date | None = None) -> None:
    today = today or date.today()
    if year > today.year:
        raise IntakeError(f"年度 {year} 在未来，不能接收（a year in the future）")
    if year < EARLIEST_YEAR:
        raise IntakeError(f"年度 {year} 过早，不能接收（year before {EARLIEST_YEAR}）")


def tenancy_problem(doc: Document, tenant: Tenant, year: int, tenants: dict[str, Tenant]) -> str | None:
    """Why a document must not be filed under this tenant and year, or None (the reason only: `uwh validate` says it
    as 不能接收, intake as 已隔离). Only what the document clearly says
    of itself counts: another registered union named in its title, header or signature, or another year stated in
    its title. A name met only in the body, or an unregistered one, never refuses a district's own report."""
    named = tenants_named(doc.header, tenants)
    if named and tenant not in named:
        other = named[0]
        return f"文件标题或落款写的是“{other.union_name}”，与报送单位“{tenant.union_name}”不符。"
    if len(doc.years_covered) > 1:
        # figures of two years summed in one report cannot be told apart into either year's rollup
        shown = "、".join(str(y) for y in doc.years_covered)
        return f"报告标题涵盖{shown}多个年度，其中的数字无法分到各年度。请每个年度分别报送一份报告。"
    if doc.year is not None and doc.year_confident and doc.year != year:
        return f"文件所述年度为{doc.year}年，与报送年度{year}年不符，请按正确年度报送。"
    return None


def identity_warnings(doc: Document, tenant: Tenant, year: int, tenants: dict[str, Tenant]) -> list[Problem]:
    """What the district should check although the file is filed: its own name or the year could not be confirmed
    from the document itself."""
    problems = []
    if tenant not in tenants_named(doc.header, tenants):
        read = f"（文中读到“{doc.org}”）" if doc.org else ""
        problems.append(
            Problem(
                "warning",
                ORG_UNCONFIRMED,
                f"文件标题和落款中未能确认单位名称{read}，已按登记单位“{tenant.union_name}”接收，请核对。",
            )
        )
    if doc.year is not None and not doc.year_confident and doc.year != year:
        problems.append(
            Problem(
                "warning",
                ORG_UNCONFIRMED,
                f"文件标题未写明年度，正文中多次出现{doc.year}年，已按报送年度{year}年接收，请核对。",
            )
        )
    return problems


def unreadable_problem(extraction: Extraction) -> str | None:
    """Why nothing could be read at all (quarantine), as opposed to cell errors the district corrects (TPL001)."""
    fatal = [p.message for p in extraction.problems if p.severity == "fatal" and p.code != TEMPLATE_CELL]
    return "；".join(fatal) if fatal else None


def validate_extraction(
    extraction: Extraction, district_code: str, year: int, prior_facts: pl.DataFrame | None = None
) -> list[Finding]:
    ctx = SubmissionContext(
        district_code=district_code,
        year=year,
        facts=warehouse.facts_frame(extraction, "validation"),
        prior_facts=prior_facts,
        problems=extraction.problems,
    )
    return run_submission_rules(ctx)


@dataclass
class Examined:
    """The verdict on one file: what reading and checking it found. The part of intake that needs no warehouse
    (runs in a worker), and all that `uwh validate` and the portal show: one function, `examine`, reaches it."""

    extraction: Extraction | None = None
    crash: str | None = None  # what failed inside (reader or rule catalogue), for the district, in Chinese
    problem: str | None = None  # why the file cannot be filed (unreadable, names another union/year)
    findings: list[Finding] = field(default_factory=list)

    @property
    def status(self) -> str:
        """quarantined (cannot be filed), rejected (filed, to be corrected) or accepted."""
        if self.crash or self.problem:
            return "quarantined"
        return "rejected" if is_rejected(self.findings) else "accepted"


def wrong_year(examined: Examined, year: int) -> bool:
    """Quarantined because the document is about another year: it will never be this year's, so it leaves landing."""
    doc = examined.extraction.document if examined.extraction else None
    return (
        examined.status == "quarantined"
        and doc is not None
        and ((doc.year_confident and doc.year not in (None, year)) or len(doc.years_covered) > 1)
    )


def prior_facts_published(db: Path, district_code: str, year: int) -> pl.DataFrame | None:
    """The district's accepted facts of `year` in the published warehouse (read-only, never blocking a run), for a
    check made outside the pipeline; None when nothing is published yet."""
    if not db.exists():
        return None
    con = duckdb.connect(str(db), read_only=True)
    try:
        return prior_facts_in(con, district_code, year)
    finally:
        con.close()


def prior_facts_in(con: duckdb.DuckDBPyConnection, district_code: str, year: int) -> pl.DataFrame | None:
    """The district's accepted facts of `year` in an open published warehouse; None when it holds none (or is not a
    warehouse yet)."""
    try:
        frame = warehouse.accepted_facts(con, year, district_code)
    except duckdb.Error:
        return None
    return frame.drop("district_code") if frame.height else None


def examine(
    path: Path,
    district_code: str,
    year: int,
    tenants: dict[str, Tenant],
    prior_facts: pl.DataFrame | None,
    progress: Progress | None = None,
) -> Examined:
    """The one verdict on a file. `progress(page, pages)` hears where the recognition of a scan is."""
    # A bug in a reader or a rule must cost this file (quarantined, original kept), never the other districts' run.
    try:
        extraction = extract_file(path, progress)
    except Exception as exc:
        return Examined(crash=f"读取文件时发生内部错误（{type(exc).__name__}）")
    problem = unreadable_problem(extraction) or tenancy_problem(
        extraction.document, tenants[district_code], year, tenants
    )
    if problem:
        return Examined(extraction=extraction, problem=problem)
    extraction.problems += identity_warnings(extraction.document, tenants[district_code], year, tenants)
    try:
        extraction = with_derived_facts(extraction)
        findings = validate_extraction(extraction, district_code, year, prior_facts)
    except Exception as exc:
        return Examined(extraction=extraction, crash=f"校验时发生内部错误（{type(exc).__name__}）")
    return Examined(extraction=extraction, findings=findings)


def _duplicate(ledger: Ledger, outcome: SubmissionOutcome, path: Path, sha: str, seen: bool) -> Registered | None:
    """Bytes already recorded for this district-year. A landed file read before (`seen`), or a new file with the
    same bytes as the latest version, adds nothing: the answer repeats that version's status and reason
    (re-sending a rejected file does not make it accepted). A new file with the bytes of an *earlier* version is a
    revert to it, registered as a new version (None here)."""
    slot = (outcome.district_code, outcome.year)
    same_slot = [e for e in ledger.by_sha.get(sha, ()) if (e.district_code, e.year) == slot]
    if not same_slot:
        return None
    latest = ledger.latest.get(slot)
    if not seen and (latest is None or latest[1] != sha):
        return None
    submission_id = latest[0] if latest is not None and latest[1] == sha else same_slot[-1].submission_id
    status, reason = ledger.verdicts.get(submission_id, ("received", None))
    outcome.status, outcome.submission_id, outcome.previous_status = "duplicate", submission_id, status
    said = f"该版本状态：{STATUS_ZH.get(status, status)}" + (f"（{reason.split('：', 1)[-1]}）" if reason else "")
    outcome.message = f"{path.name}：与已报送的 {submission_id} 内容完全相同，未重复登记。{said}"
    return Registered(outcome)


def _known_duplicate(ledger: Ledger, outcome: SubmissionOutcome, path: Path, landing_root: Path) -> Registered | None:
    """A file read before, unchanged since (size, mtime) and recorded for this district-year: not read again."""
    try:
        stat = path.lstat()
        key = path.relative_to(landing_root).as_posix()
    except (OSError, ValueError):
        return None  # let the full read explain what is wrong with it

    sha = ledger.known_hash(key, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns) if S_ISREG(stat.st_mode) else None
    if sha is None:
        return None
    outcome.sha256 = sha
    return _duplicate(ledger, outcome, path, sha, seen=True)


@dataclass
class Registered:
    """A landed file after the cheap first look: refused, a duplicate, or a new submission waiting to be examined."""

    outcome: SubmissionOutcome
    row: dict | None = None  # raw.submissions row of a new submission
    elsewhere: list = field(default_factory=list)


def register(
    ledger: Ledger,
    *,
    archive_dir: Path,
    landing_root: Path,
    path: Path,
    tenants: dict[str, Tenant],
    district_code: str,
    year: int,
    actor: str,
    max_bytes: int | None = None,
) -> Registered:
    """Refuse, recognise as already recorded, or archive and version a landed file of (district_code, year)."""
    outcome = SubmissionOutcome(district_code, year, path.name, status="refused")
    try:
        require_tenant(district_code, tenants)
        check_year(year)
        if (duplicate := _known_duplicate(ledger, outcome, path, landing_root)) is not None:
            return duplicate
        data = read_landed_bytes(path, landing_root, max_bytes)
    except (IntakeError, ValueError) as exc:
        outcome.message = f"{path.name}（{district_code}，{year}年）：{exc}"
        ledger.audit(actor, "refused", district_code=district_code, year=year, detail=outcome.message)
        return Registered(outcome)

    sha = sha256_of(data)
    outcome.sha256 = sha
    stat = path.lstat()
    key = path.relative_to(landing_root).as_posix()
    seen = key in ledger.landed and ledger.landed[key][3] == sha  # this very file, touched but not changed
    ledger.remember_file(key, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, sha)
    earlier = list(ledger.by_sha.get(sha, ()))
    if (duplicate := _duplicate(ledger, outcome, path, sha, seen)) is not None:
        return duplicate
    archive_original(archive_dir, data)
    received_at = now_utc()
    outcome.submission_id, outcome.version = ledger.next_submission(district_code, year, sha)
    row = {
        "submission_id": outcome.submission_id,
        "district_code": district_code,
        "year": year,
        "version": outcome.version,
        "sha256": sha,
        "file_name": path.name,
        "file_format": path.suffix.lower().lstrip(".") or "unknown",
        "size_bytes": len(data),
        "received_at": received_at,
        "status": "received",
        "status_reason": None,
        "doc_org": None,
        "doc_year": None,
        "doc_kind": None,
        "document_text": None,
        "extractor_version": EXTRACTOR_VERSION,
    }
    ledger.audit(
        actor,
        "submitted",
        district_code=district_code,
        year=year,
        submission_id=outcome.submission_id,
        detail=f"{path.name} sha256={sha}",
        at=received_at,
    )
    return Registered(outcome, row, [e for e in earlier if e.district_code != district_code])


def decide(ledger: Ledger, registered: Registered, examined: Examined, path: Path, actor: str) -> SubmissionOutcome:
    """The status of a new submission from what examining it found; its rows go to the ledger."""
    outcome, row, submission_id = registered.outcome, registered.row, registered.outcome.submission_id
    if row is None or submission_id is None:
        raise ValueError(f"{path.name}: only a new submission is decided (refused files and duplicates are not)")
    where = f"{path.name}（{outcome.district_code}，{outcome.year}年）"
    extraction = examined.extraction
    if extraction is not None:
        doc = extraction.document
        row.update(doc_org=doc.org, doc_year=doc.year, doc_kind=doc.kind, document_text=doc.text)
    if examined.crash:
        return _finish(
            ledger, row, outcome, "quarantined", f"{where}：{examined.crash}，原件已保存，已通知市总工会处理。", actor
        )
    if examined.problem or extraction is None:
        said = f"{where}：{examined.problem}（已隔离，原件已保存，未归入任何区县）"
        return _finish(ledger, row, outcome, "quarantined", said, actor)
    for other in registered.elsewhere:
        # the same bytes were filed under another district: the owner is never blocked by another district's
        # mistake; the city looks at both (the audit log names them; neither district learns of the other)
        ledger.audit(
            actor,
            "same_file_elsewhere",
            district_code=outcome.district_code,
            year=outcome.year,
            submission_id=outcome.submission_id,
            detail=f"与 {other.submission_id}（{other.district_code}）内容相同，请市总工会核查",
        )

    facts = warehouse.facts_frame(extraction, submission_id)
    ledger.add_facts(facts, warehouse.scan_places_frame(extraction, submission_id))
    outcome.fact_count = facts.height
    outcome.findings = examined.findings
    ledger.add_findings(submission_id, outcome.findings)
    if is_rejected(outcome.findings):
        ids = "、".join(sorted({f.rule_id for f in outcome.fatal}))
        return _finish(
            ledger, row, outcome, "rejected", f"{path.name}：未通过校验规则 {ids}，待更正后重新报送。", actor
        )
    return _finish(ledger, row, outcome, "accepted", f"{path.name}：已接收，读取数字 {outcome.fact_count} 项。", actor)


def _finish(
    ledger: Ledger, row: dict, outcome: SubmissionOutcome, status: str, message: str, actor: str
) -> SubmissionOutcome:
    row.update(status=status, status_reason=None if status == "accepted" else message)
    ledger.add_submission(row)
    outcome.status, outcome.message = status, message
    ledger.audit(
        actor,
        status,
        district_code=outcome.district_code,
        year=outcome.year,
        submission_id=outcome.submission_id,
        detail=message,
    )
    return outcome


def take_in(
    ledger: Ledger,
    con: duckdb.DuckDBPyConnection,
    *,
    path: Path,
    tenants: dict[str, Tenant],
    district_code: str,
    year: int,
    actor: str,
    **register_args,
) -> SubmissionOutcome:
    """Decide one landed file's fate as a submission of (district_code, year), in this process."""
    registered = register(
        ledger, path=path, tenants=tenants, district_code=district_code, year=year, actor=actor, **register_args
    )
    if registered.row is None:
        return registered.outcome
    examined = examine(path, district_code, year, tenants, ledger.accepted_facts(con, district_code, year - 1))
    return decide(ledger, registered, examined, path, actor)


def take_in_file(con: duckdb.DuckDBPyConnection, **kwargs) -> SubmissionOutcome:
    """One file, written at once (`uwh submit`): see `take_in` for the arguments."""
    ledger = Ledger.load(con)
    outcome = take_in(ledger, con, **kwargs)
    ledger.flush(con)
    return outcome


PARALLEL_FROM = 200  # new files in a year; fewer are examined in this process (starting workers costs ~2 s)


def _examine_job(job: tuple) -> Examined:
    path, district_code, year, prior_facts = job
    return examine(path, district_code, year, _worker_tenants, prior_facts)


def _init_worker(tenants: dict[str, Tenant]) -> None:
    global _worker_tenants
    _worker_tenants = tenants


class Examiner:
    """Examines files in this process or, when a year brings many (a first run, a national backfill), in one
    process per core: extraction and the rule catalogue are pure Python, so threads would not run them at once."""

    def __init__(self, tenants: dict[str, Tenant], parallel_from: int = PARALLEL_FROM):
        self.tenants, self.parallel_from = tenants, parallel_from
        self.workers = installation_settings().workers or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None

    def map(self, jobs: list[tuple]) -> list[Examined]:
        """jobs: (path, district_code, year, prior_facts); results in the same order."""
        if len(jobs) < self.parallel_from or self.workers < 2:
            return [examine(path, code, year, self.tenants, prior) for path, code, year, prior in jobs]
        if self._pool is None:
            # spawn, not fork: the parent is a Dagster process with threads and a DuckDB connection of its own
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
                initargs=(self.tenants,),
            )
        return list(self._pool.map(_examine_job, jobs, chunksize=max(1, min(64, len(jobs) // (4 * self.workers)))))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()


def sweep_landing(
    ledger: Ledger, landing_root: Path, tenants: dict[str, Tenant], refused_dir: Path, actor: str
) -> list[SubmissionOutcome]:
    """Every file under landing/ that no partition reads gets an outcome: moved to refused/<date>/ with a receipt
    saying why and what to do, recorded in the audit log, and returned for the run summary."""
    today = date.today()
    outcomes = []
    for stray in stray_files(landing_root, set(tenants), EARLIEST_YEAR, today.year):
        outcome = SubmissionOutcome(
            stray.district_code or "—",
            stray.year or 0,
            stray.shown.rsplit("/", 1)[-1],
            status="refused",
            message=f"landing/{stray.shown}：未接收 — {stray.reason}",
        )
        _set_aside(ledger, stray.path, stray.shown, refused_dir, outcome, actor)
        outcomes.append(outcome)
    return outcomes


def _set_aside(
    ledger: Ledger, path: Path, shown: str, refused_dir: Path, outcome: SubmissionOutcome, actor: str
) -> None:
    """A file that will not be taken in leaves landing/ (else every run would report it again), with its receipt."""
    receipt = (
        "\n".join(
            [
                "未接收文件回执",
                f"原位置：landing/{shown}",
                f"原因：{outcome.message.split('：', 1)[-1]}",
                "处理：文件已移出接收目录，原件保存在此；请按原因更正后重新报送。",
            ]
        )
        + "\n"
    )
    try:
        moved = move_aside(path, shown, refused_dir, receipt, date.today().isoformat())
        outcome.message += f"（文件已移至 {moved.parent.name}/{moved.name}）"
    except OSError as exc:
        outcome.message += f"（未能移出接收目录：{type(exc).__name__}）"
    ledger.audit(
        actor,
        "set_aside",
        district_code=outcome.district_code if outcome.district_code != "—" else None,
        year=outcome.year or None,
        detail=outcome.message,
    )


def recover_receipts(con: duckdb.DuckDBPyConnection, receipts_dir: Path, tenants: dict[str, Tenant]) -> list[Path]:
    """Receipts a crash kept from being written (the rows were committed, the process died before the files): written
    now from the ledger, so every recorded submission has its 回执."""
    have = {p.stem for p in receipts_dir.glob("*.txt")} if receipts_dir.is_dir() else set()
    missing = con.execute(
        """SELECT submission_id, district_code, year, version, sha256, file_name, status, status_reason, received_at,
                  (SELECT count(*) FROM raw.facts f WHERE f.submission_id = s.submission_id)
           FROM raw.submissions s WHERE status <> 'received' ORDER BY received_at"""
    ).fetchall()
    written = []
    for sid, code, year, version, sha, name, status, reason, received_at, facts in missing:
        if sid in have:
            continue
        findings = [
            Finding(rule_id, severity, message)
            for rule_id, severity, message in con.execute(
                "SELECT rule_id, severity, message FROM raw.submission_findings WHERE submission_id = ? "
                "ORDER BY severity, rule_id",
                [sid],
            ).fetchall()
        ]
        shown_status = "accepted" if status == "superseded" else status
        outcome = SubmissionOutcome(
            code,
            year,
            name,
            shown_status,
            sid,
            version,
            sha,
            facts,
            findings,
            reason or f"{name}：已接收，读取数字 {facts} 项。",
        )
        written.append(
            write_receipt(
                receipts_dir,
                outcome,
                tenants.get(code),
                f"{beijing_minute(received_at)}（北京时间；回执于故障恢复后补发）",
            )
        )
    return written


def ingest_landed(
    con: duckdb.DuckDBPyConnection,
    *,
    archive_dir: Path,
    landing_root: Path,
    tenants: dict[str, Tenant],
    district_years: list[tuple[str, int]],
    actor: str = "pipeline",
    receipts_dir: Path | None = None,
    examiner: Examiner | None = None,
    refused_dir: Path | None = None,
) -> list[SubmissionOutcome]:
    """Take in every file waiting in landing/<year>/<code>/ for these district-years, oldest first; files already
    recorded are skipped. Year by year, earlier years first (year-on-year rules read them): register every file,
    examine the new ones (in parallel when there are many), decide, write the year's rows in one transaction, then
    give every new outcome its receipt, as a `uwh submit` would."""
    if receipts_dir is not None:
        recover_receipts(con, receipts_dir, tenants)
    ledger, outcomes = Ledger.load(con), []
    if refused_dir is not None:
        outcomes += sweep_landing(ledger, landing_root, tenants, refused_dir, actor)
        ledger.flush(con)  # recorded even when no year has a file to take in
    examiner = examiner or Examiner(tenants)
    by_year: dict[int, list[str]] = {}
    for code, year in sorted(district_years, key=lambda p: (p[1], p[0])):
        by_year.setdefault(year, []).append(code)
    try:
        for year, codes in by_year.items():
            registered = [
                (
                    landed.path,
                    register(
                        ledger,
                        archive_dir=archive_dir,
                        landing_root=landing_root,
                        path=landed.path,
                        tenants=tenants,
                        district_code=code,
                        year=year,
                        actor=actor,
                    ),
                )
                for code in codes
                for landed in landed_files(landing_root, year, code)
            ]
            new = [(path, r) for path, r in registered if r.row is not None]
            examined = examiner.map(
                [
                    (path, r.outcome.district_code, year, ledger.accepted_facts(con, r.outcome.district_code, year - 1))
                    for path, r in new
                ]
            )
            for (path, r), found in zip(new, examined):
                decide(ledger, r, found, path, actor)
                if refused_dir is not None and wrong_year(found, year):
                    _set_aside(ledger, path, path.relative_to(landing_root).as_posix(), refused_dir, r.outcome, actor)
            for path, r in registered:
                if refused_dir is not None and r.outcome.status == "refused" and path.exists():
                    _set_aside(ledger, path, path.relative_to(landing_root).as_posix(), refused_dir, r.outcome, actor)
            ledger.flush(con)
            stamp = f"{beijing_minute()}（北京时间）"
            for _, r in registered:
                if receipts_dir is not None and r.outcome.status != "duplicate":
                    write_receipt(receipts_dir, r.outcome, tenants.get(r.outcome.district_code), stamp)
                outcomes.append(r.outcome)
    finally:
        examiner.close()
    return outcomes
