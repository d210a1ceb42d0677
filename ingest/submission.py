"""One submission's way in: archive the bytes, version it, extract, check the tenant, run the rule catalogue.

Used by the pipeline (`ingest_landed`, one ledger and one write per year), by `uwh submit` (`take_in_file`) and —
without the warehouse — by `uwh validate`, so a district sees exactly the verdict the city's run will reach.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from expectations.catalogue import is_rejected, run_submission_rules
from expectations.derive import with_derived_facts
from expectations.rules.base import Finding, SubmissionContext
from ingest import warehouse
from ingest.extract import EXTRACTOR_VERSION, extract_file
from ingest.intake import IntakeError, archive_original, landed_files, read_landed_bytes, sha256_of
from ingest.ledger import Ledger
from ingest.model import Document, Extraction
from ingest.receipt import write_receipt
from ingest.template import TEMPLATE_CELL
from ingest.tenants import Tenant, require_tenant, tenant_for_org


@dataclass
class SubmissionOutcome:
    district_code: str
    year: int
    file_name: str
    status: str                      # accepted, rejected, quarantined, duplicate, refused
    submission_id: str | None = None
    version: int | None = None
    sha256: str | None = None
    fact_count: int = 0
    findings: list[Finding] = field(default_factory=list)
    message: str = ""                # Chinese, for the district

    @property
    def fatal(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "fatal"]


def check_year(year: int, today: date | None = None) -> None:
    today = today or date.today()
    if year > today.year:
        raise IntakeError(f"年度 {year} 在未来，不能接收（a year in the future）")
    if year < 2000:
        raise IntakeError(f"年度 {year} 过早，不能接收（year before 2000）")


def tenancy_problem(doc: Document, tenant: Tenant, year: int, tenants: dict[str, Tenant]) -> str | None:
    """Why a document must not be filed under this tenant and year, or None. The registry decides, not the text."""
    named = tenant_for_org(doc.org, tenants)
    if named is not None and named.district_code != tenant.district_code:
        return f"文件自称“{doc.org}”，与报送单位“{tenant.union_name}”不符，已隔离，未归入任何区县。"
    if doc.org and named is None and "总工会" in doc.org and tenant.district_name not in doc.org:
        return f"文件自称“{doc.org}”，不是登记的报送单位“{tenant.union_name}”，已隔离。"
    if doc.year is not None and doc.year != year:
        return f"文件所述年度为{doc.year}年，与报送年度{year}年不符，已隔离，请按正确年度报送。"
    return None


def unreadable_problem(extraction: Extraction) -> str | None:
    """Why nothing could be read at all (quarantine), as opposed to cell errors the district corrects (TPL001)."""
    fatal = [p.message for p in extraction.problems if p.severity == "fatal" and p.code != TEMPLATE_CELL]
    return "；".join(fatal) if fatal else None


def validate_extraction(extraction: Extraction, district_code: str, year: int,
                        prior_facts: pl.DataFrame | None = None) -> list[Finding]:
    ctx = SubmissionContext(district_code=district_code, year=year,
                            facts=warehouse.facts_frame(extraction, "validation"), prior_facts=prior_facts,
                            problems=extraction.problems)
    return run_submission_rules(ctx)


def take_in(ledger: Ledger, con: duckdb.DuckDBPyConnection, *, archive_dir: Path, landing_root: Path, path: Path,
            tenants: dict[str, Tenant], district_code: str, year: int, actor: str,
            max_bytes: int | None = None) -> SubmissionOutcome:
    """Decide one landed file's fate as a submission of (district_code, year); its rows wait in the ledger."""
    outcome = SubmissionOutcome(district_code, year, path.name, status="refused")
    try:
        tenant = require_tenant(district_code, tenants)
        check_year(year)
        data = read_landed_bytes(path, landing_root, **({"max_bytes": max_bytes} if max_bytes else {}))
    except (IntakeError, ValueError) as exc:
        outcome.message = f"{path.name}（{district_code}，{year}年）：{exc}"
        ledger.audit(actor, "refused", district_code=district_code, year=year, detail=outcome.message)
        return outcome

    sha = sha256_of(data)
    outcome.sha256 = sha
    earlier = list(ledger.by_sha.get(sha, ()))
    same_slot = [e for e in earlier if (e.district_code, e.year) == (district_code, year)]
    if same_slot:
        outcome.status, outcome.submission_id = "duplicate", same_slot[0].submission_id
        outcome.message = f"{path.name}：与已报送的 {same_slot[0].submission_id} 内容完全相同，未重复登记。"
        return outcome
    archive_original(archive_dir, data)
    received_at = warehouse.now_utc()
    outcome.submission_id, outcome.version = ledger.next_submission(district_code, year, sha)
    row = {"submission_id": outcome.submission_id, "district_code": district_code, "year": year,
           "version": outcome.version, "sha256": sha, "file_name": path.name,
           "file_format": path.suffix.lower().lstrip(".") or "unknown", "size_bytes": len(data),
           "received_at": received_at, "status": "received", "status_reason": None, "doc_org": None,
           "doc_year": None, "doc_kind": None, "document_text": None, "extractor_version": EXTRACTOR_VERSION}
    ledger.audit(actor, "submitted", district_code=district_code, year=year, submission_id=outcome.submission_id,
                 detail=f"{path.name} sha256={sha}", at=received_at)

    elsewhere = [e for e in earlier if e.district_code != district_code]
    try:
        extraction = extract_file(path)
    except Exception as exc:  # a reader bug must cost this file, never the other districts' run
        return _finish(ledger, row, outcome, "quarantined",
                       f"{path.name}（{district_code}，{year}年）：读取文件时发生内部错误（{type(exc).__name__}），"
                       "原件已保存，已通知市总工会处理。", actor)
    doc = extraction.document
    row.update(doc_org=doc.org, doc_year=doc.year, doc_kind=doc.kind, document_text=doc.text)
    reason = (
        f"同一文件已作为 {elsewhere[0].district_code} 的报送（{elsewhere[0].submission_id}），不能同时归入两个区县，已隔离。"
        if elsewhere else unreadable_problem(extraction) or tenancy_problem(doc, tenant, year, tenants)
    )
    if reason:
        return _finish(ledger, row, outcome, "quarantined", f"{path.name}（{district_code}，{year}年）：{reason}", actor)

    extraction = with_derived_facts(extraction)
    facts = warehouse.facts_frame(extraction, outcome.submission_id)
    ledger.add_facts(facts)
    outcome.fact_count = facts.height
    outcome.findings = validate_extraction(extraction, district_code, year,
                                           ledger.accepted_facts(con, district_code, year - 1))
    ledger.add_findings(outcome.submission_id, outcome.findings)
    if is_rejected(outcome.findings):
        ids = "、".join(sorted({f.rule_id for f in outcome.fatal}))
        return _finish(ledger, row, outcome, "rejected", f"{path.name}：未通过校验规则 {ids}，待更正后重新报送。", actor)
    return _finish(ledger, row, outcome, "accepted", f"{path.name}：已接收，读取数字 {outcome.fact_count} 项。", actor)


def _finish(ledger: Ledger, row: dict, outcome: SubmissionOutcome, status: str, message: str,
            actor: str) -> SubmissionOutcome:
    row.update(status=status, status_reason=None if status == "accepted" else message)
    ledger.add_submission(row)
    outcome.status, outcome.message = status, message
    ledger.audit(actor, status, district_code=outcome.district_code, year=outcome.year,
                 submission_id=outcome.submission_id, detail=message)
    return outcome


def take_in_file(con: duckdb.DuckDBPyConnection, **kwargs) -> SubmissionOutcome:
    """One file, written at once (`uwh submit`): see `take_in` for the arguments."""
    ledger = Ledger.load(con)
    outcome = take_in(ledger, con, **kwargs)
    ledger.flush(con)
    return outcome


def ingest_landed(con: duckdb.DuckDBPyConnection, *, archive_dir: Path, landing_root: Path,
                  tenants: dict[str, Tenant], district_years: list[tuple[str, int]], actor: str = "pipeline",
                  receipts_dir: Path | None = None) -> list[SubmissionOutcome]:
    """Take in every file waiting in landing/<year>/<code>/ for these district-years, oldest first; files already
    recorded are skipped. Rows are written once per year (earlier years first: year-on-year rules read them), and
    every new outcome then gets its receipt, as a `uwh submit` would."""
    ledger, outcomes, unwritten = Ledger.load(con), [], []

    def write() -> None:
        ledger.flush(con)
        stamp = warehouse.now_utc().strftime("%Y-%m-%d %H:%M:%S UTC")
        for outcome in unwritten:
            if receipts_dir is not None:
                write_receipt(receipts_dir, outcome, tenants.get(outcome.district_code), stamp)
        unwritten.clear()

    previous_year = None
    for code, year in sorted(district_years, key=lambda p: (p[1], p[0])):
        if year != previous_year:
            write()
            previous_year = year
        for landed in landed_files(landing_root, year, code):
            outcome = take_in(ledger, con, archive_dir=archive_dir, landing_root=landing_root, path=landed.path,
                              tenants=tenants, district_code=code, year=year, actor=actor)
            if outcome.status != "duplicate":
                unwritten.append(outcome)
            outcomes.append(outcome)
    write()
    return outcomes
