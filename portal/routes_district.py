"""A district clerk's pages: their years, a year's versions and findings, check-then-submit, receipts, downloads.

Checking calls `intake.submission.examine` (the verdict `uwh validate` and the nightly run reach); submitting calls
`intake.direct.hand_in` (what `uwh submit` does). Every path carries the district code, and `Portal.district_of`
answers 404 for a district the viewer may not see.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
import time
from datetime import date
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from core.labels import FIGURE_ZH, REVIEW_STATE_ZH
from ingest.model import Fact
from ingest.template import write_template
from ingest.tenants import Tenant
from intake.direct import hand_in
from intake.file_types import ALLOWED_ZH, NotAllowed
from intake.headline import headline
from intake.landing import IntakeError
from intake.review import ReviewError
from intake.submission import EARLIEST_YEAR, Examined
from portal import published, uploads
from portal.accounts import Session
from portal.web import NotFound, Portal
from reporting.district_workbook import write_district_workbook
from reporting.feedback import CORRECTION_HINTS, due_date_zh

router = APIRouter(prefix="/d/{code}")
SUBMISSION_ID = re.compile(r"^(\d{6})-(\d{4})-v(\d+)$")


def _portal(request: Request) -> Portal:
    return request.app.state.portal


def _year(year: int) -> int:
    if not EARLIEST_YEAR <= year <= date.today().year:
        raise NotFound()
    return year


@router.get("")
def district_home(request: Request, code: str) -> Response:
    portal = _portal(request)
    session, tenant = portal.district_of(request, code)
    years = published.district_years(portal.layout, tenant)
    return portal.page(
        "district_home.html.j2", session, tenant=tenant, years=years, due=due_date_zh, today=date.today()
    )


@router.get("/{year:int}")
def district_year(request: Request, code: str, year: int) -> Response:
    portal = _portal(request)
    session, tenant = portal.district_of(request, code)
    view = published.district_view(portal.layout, tenant, _year(year))
    shown = {v["submission_id"] for v in view.versions}
    review = _review_of(portal, code, year)
    pending = [p for p in portal.store.portal_submissions(code, year) if p["submission_id"] not in shown]
    return portal.page(
        "district_year.html.j2",
        session,
        tenant=tenant,
        year=year,
        view=view,
        pending=pending,
        due=due_date_zh(year),
        overdue=view.state.overdue(date.today(), year),
        hints=CORRECTION_HINTS,
        may_submit=session.user.district_code == code,
        max_mb=portal.settings.max_file_mb,
        allowed=ALLOWED_ZH,
        has_feedback=(portal.layout.reports / str(year) / "feedback" / f"{code}.html").exists(),
        review=review,
    )


def _review_of(portal: Portal, code: str, year: int) -> dict | None:
    """The year page's 核对数字 panel: the accepted version's review state, the city's last 退回 comment."""
    try:
        review, current, reading = published.review_reading(portal.layout, code, year)
    except ReviewError:
        return None
    status = review.status(current.version)
    return {
        "number": current.number, "submission_id": current.version.submission_id, "state": status.state,
        "state_zh": REVIEW_STATE_ZH[status.state], "returned": status.returned, "corrections": reading.correction_count(),
    }  # fmt: skip


async def _clerks_form(request: Request, code: str, year: int) -> tuple[Portal, Session, Tenant, FormData]:
    """A form only the district's own clerk may send, for a year that can be reported, with this session's token."""
    portal = _portal(request)
    session, tenant = portal.clerk_of(request, code)
    _year(year)
    form = await request.form()
    portal.check_form(session, form)
    return portal, session, tenant, form


@router.post("/{year:int}/check")
async def check(request: Request, code: str, year: int) -> Response:
    """Upload → the verdict at once; nothing is filed until the clerk confirms."""
    portal, session, tenant, form = await _clerks_form(request, code, year)
    upload = form.get("report")
    if upload is None or isinstance(upload, str) or not upload.filename:
        return _refused(portal, session, tenant, year, "请选择要上传的报告文件。")
    data = await upload.read()
    claimed = upload.filename
    try:
        staged = uploads.stage(
            portal.layout.portal / "staging",
            data,
            claimed,
            username=session.user.username,
            district_code=code,
            year=year,
        )
    except NotAllowed as exc:
        portal.audit(request, session, "upload", target=f"{code}/{year}", outcome=f"refused: {exc}")
        return _refused(portal, session, tenant, year, f"{claimed}：{exc}")
    staging = portal.layout.portal / "staging"
    prior = await run_in_threadpool(published.prior_facts, portal.layout, code, year - 1)
    task = asyncio.create_task(
        portal.examine(staged.path(staging), code, year, prior, uploads.progress_file(staging, staged))
    )
    done, _ = await asyncio.wait({task}, timeout=ANSWER_AT_ONCE_SECONDS)
    if not done:  # a scan is being recognised: the clerk watches it page by page instead of a spinning tab
        _forget_finished_checks(portal)
        portal.checks[staged.token] = (task, time.monotonic())
        return RedirectResponse(f"/d/{code}/{year}/check/{staged.token}", status_code=303)
    return _verdict(portal, request, session, tenant, year, staged, task.result())


# An upload is answered in the same response when its check takes no longer than this; a longer one (OCR of a
# scan: seconds per page) answers with a page that shows its progress and turns into the verdict when done.
ANSWER_AT_ONCE_SECONDS = 3.0
KEEP_FINISHED_CHECK_SECONDS = 3600


def _forget_finished_checks(portal: Portal) -> None:
    cutoff = time.monotonic() - KEEP_FINISHED_CHECK_SECONDS
    for token, (task, started) in list(portal.checks.items()):
        if task.done() and started < cutoff:
            del portal.checks[token]


@router.get("/{year:int}/check/{token}")
async def check_progress(request: Request, code: str, year: int, token: str) -> Response:
    """A long check: where it is (正在识别第 3 页，共 20 页), refreshed every two seconds; the verdict once done."""
    portal = _portal(request)
    session, tenant = portal.clerk_of(request, code)
    staging = portal.layout.portal / "staging"
    staged = uploads.staged(staging, token, username=session.user.username, district_code=code, year=year)
    running = portal.checks.get(token)
    if staged is None or running is None:
        return _refused(portal, session, tenant, year, "这次检查已过期或不属于本账号，请重新上传报告。")
    task, _ = running
    if not task.done():
        at = uploads.progress_file(staging, staged).read()
        return portal.page(
            "checking.html.j2", session, tenant=tenant, year=year, staged=staged, page=at[0] if at else None,
            pages=at[1] if at else None,
        )  # fmt: skip
    del portal.checks[token]
    return _verdict(portal, request, session, tenant, year, staged, task.result())


def _verdict(portal: Portal, request: Request, session, tenant, year: int, staged, examined: Examined) -> Response:
    code = tenant.district_code
    portal.audit(
        request, session, "upload", target=f"{code}/{year}", outcome=f"{examined.status} sha256={staged.sha256[:12]}"
    )
    return portal.page(
        "verdict.html.j2",
        session,
        tenant=tenant,
        year=year,
        staged=staged,
        examined=examined,
        facts=_facts_shown(examined),
        doc_text=examined.extraction.document.text if examined.extraction else "",
        children=_children(examined),
        hints=CORRECTION_HINTS,
        headline=headline(examined.extraction.facts)
        if examined.extraction and examined.status != "quarantined"
        else None,
        FIGURE_ZH=FIGURE_ZH,
        changed={},
        scans={p.fact_id: p for p in examined.extraction.places} if examined.extraction else {},
    )


def _refused(portal: Portal, session, tenant, year: int, reason: str) -> Response:
    return portal.page(
        "message.html.j2", session, status=400, title="未能检查", text=reason, back=f"/d/{tenant.district_code}/{year}"
    )


def _facts_shown(examined: Examined) -> list[tuple[Fact, str | None]]:
    """Each fact with the figure as written in its sentence (what the page marks)."""
    if examined.extraction is None:
        return []
    text = examined.extraction.document.text
    return [(f, text[f.span[0] : f.span[1]] if f.span else None) for f in examined.extraction.facts]


def _children(examined: Examined) -> dict[str, list[str]]:
    children: dict[str, list[str]] = {}
    for f in examined.extraction.facts if examined.extraction else []:
        if f.parent:
            children.setdefault(f.parent, []).append(f.id)
    return children


@router.post("/{year:int}/submit")
async def submit(request: Request, code: str, year: int) -> Response:
    """The checked file, confirmed: landed under a name made from the registry, taken in, its receipt shown."""
    portal, session, tenant, form = await _clerks_form(request, code, year)
    staging = portal.layout.portal / "staging"
    found = uploads.staged(
        staging, str(form.get("upload", "")), username=session.user.username, district_code=code, year=year
    )
    if found is None:
        return _refused(portal, session, tenant, year, "该上传已失效（超过一天或已报送），请重新上传文件。")
    data = found.path(staging).read_bytes()
    try:
        handed = await run_in_threadpool(
            lambda: hand_in(
                portal.layout,
                portal.tenants(),
                data=data,
                file_name=f"{tenant.union_name}{year}年度报告（网上报送）{found.suffix}",
                district_code=code,
                year=year,
                actor=f"portal:{session.user.username}",
            )
        )
    except IntakeError as exc:
        return _refused(portal, session, tenant, year, str(exc))
    uploads.discard(staging, found)
    if handed.outcome is None:
        portal.audit(request, session, "submit", target=f"{code}/{year}", outcome="waiting: a run is in progress")
        return portal.page(
            "message.html.j2",
            session,
            title="已收到，稍后处理",
            text=f"文件已安全保存。{handed.busy}本次汇总运行结束后将自动登记并生成回执，届时本页报送记录中可见。",
            back=f"/d/{code}/{year}",
        )
    outcome = handed.outcome
    portal.store.record_submission(
        outcome.submission_id or "", code, year, session.user.username, outcome.status, found.claimed_name
    )
    portal.audit(request, session, "submit", target=outcome.submission_id or f"{code}/{year}", outcome=outcome.status)
    return RedirectResponse(f"/d/{code}/{year}/receipt/{outcome.submission_id}", status_code=303)


def _receipt_path(portal: Portal, code: str, year: int, submission_id: str) -> Path:
    match = SUBMISSION_ID.match(submission_id)
    if not match or match.group(1) != code or int(match.group(2)) != year:
        raise NotFound()
    path = portal.layout.receipts / f"{submission_id}.txt"
    if not path.exists():
        raise NotFound()
    return path


@router.get("/{year:int}/receipt/{submission_id}")
def receipt(request: Request, code: str, year: int, submission_id: str) -> Response:
    portal = _portal(request)
    session, tenant = portal.district_of(request, code)
    path = _receipt_path(portal, code, year, submission_id)
    text = path.read_text(encoding="utf-8")
    status = re.search(r"^状态：(.+)$", text, re.MULTILINE)
    return portal.page(
        "receipt.html.j2", session, tenant=tenant, year=year, submission_id=submission_id, text=text,
        status_zh=status.group(1) if status else "",
    )  # fmt: skip


@router.get("/{year:int}/receipt/{submission_id}/download")
def receipt_download(request: Request, code: str, year: int, submission_id: str) -> Response:
    portal = _portal(request)
    session, _ = portal.district_of(request, code)
    path = _receipt_path(portal, code, year, submission_id)
    portal.audit(request, session, "download", target=f"receipt {submission_id}")
    return FileResponse(path, media_type="text/plain; charset=utf-8", filename=f"回执-{submission_id}.txt")


@router.get("/{year:int}/template")
def template(request: Request, code: str, year: int) -> Response:
    portal = _portal(request)
    session, tenant = portal.district_of(request, code)
    previous = published.headline_figures(portal.layout, code, _year(year) - 1)
    out = Path(tempfile.mkdtemp(prefix="uwh-template-")) / "template.xlsx"
    write_template(out, union_name=tenant.union_name, district_code=code, year=year, previous=previous or None)
    portal.audit(request, session, "download", target=f"template {code}/{year}")
    return FileResponse(
        out,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        filename=f"{tenant.union_name}{year}年度报表模板.xlsx",
        background=BackgroundTask(_remove_tree, out.parent),
    )


@router.get("/{year:int}/feedback")
def feedback(request: Request, code: str, year: int) -> Response:
    portal = _portal(request)
    session, _ = portal.district_of(request, code)
    path = portal.layout.reports / str(_year(year)) / "feedback" / f"{code}.html"
    if not path.exists():
        raise NotFound()
    portal.audit(request, session, "download", target=f"feedback {code}/{year}")
    return FileResponse(path, media_type="text/html; charset=utf-8")


@router.get("/extract.duckdb")
def extract_duckdb(request: Request, code: str) -> Response:
    portal = _portal(request)
    session, tenant = portal.district_of(request, code)
    path = portal.layout.tenant_dbs / f"{code}.duckdb"
    if not path.exists():
        raise NotFound()
    portal.audit(request, session, "download", target=f"extract.duckdb {code}")
    return FileResponse(path, media_type="application/octet-stream", filename=f"{tenant.union_name}-{code}.duckdb")


@router.get("/extract.xlsx")
async def extract_workbook(request: Request, code: str) -> Response:
    portal = _portal(request)
    session, tenant = portal.district_of(request, code)
    source = portal.layout.tenant_dbs / f"{code}.duckdb"
    if not source.exists():
        raise NotFound()
    out = Path(tempfile.mkdtemp(prefix="uwh-extract-")) / "extract.xlsx"
    await run_in_threadpool(write_district_workbook, source, out, union_name=tenant.union_name)
    portal.audit(request, session, "download", target=f"extract.xlsx {code}")
    return FileResponse(
        out,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        filename=f"{tenant.union_name}报送数据.xlsx",
        background=BackgroundTask(_remove_tree, out.parent),
    )


def _remove_tree(folder: Path) -> None:
    for path in folder.iterdir():
        path.unlink(missing_ok=True)
    folder.rmdir()
