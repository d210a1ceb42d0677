"""报送 → 确认 → 审核 in the portal: the district's figures page (correct, add, confirm) and the city's review page
(approve, return). Both act through intake.review, like `uwh figures` and `uwh review`; every form names the version
it was shown (its bytes' sha256), so a page left open on an older version never acts on a newer one.

A district's page reads its own published file and is seen by its clerks (and the city, read-only); only the
district's clerk corrects and confirms, only city staff approve or return. Anyone else gets the portal's 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from core.labels import FIGURE_ZH, MEASURE_ZH, NOT_SUMMED_ZH, REVIEW_STATE_ZH, ReviewState
from ingest.taxonomy import CATEGORY_ZH
from intake.review import Corrected, Review, ReviewError, change_zh
from intake.review_source import TakenIn
from portal import published
from portal.web import NotFound, Portal

router = APIRouter()
FIELDS_ZH = {"value": "数值（元或人次）", "category": "类别", "measure": "口径", "parent": "所属上级数字（编号）", "not_summed": "不计入汇总"}  # fmt: skip


def _portal(request: Request) -> Portal:
    return request.app.state.portal


def _version_number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _reading(portal: Portal, code: str, year: int, number: int | None, *, city: bool):
    try:
        return published.review_reading(portal.layout, code, year, number, city=city)
    except ReviewError:
        return None


def _page_context(portal: Portal, code: str, year: int, found, *, city: bool = False) -> dict:
    review, current, reading = found
    status = review.status(current.version)
    return {
        "scans": published.scan_places(portal.layout, code, current.version.submission_id or "", city=city),
        "current": current,
        "doc_text": current.text,
        "reading": reading,
        "headline": reading.headline,
        "review_status": status,
        "state_zh": REVIEW_STATE_ZH[status.state],
        "changes": [change_zh(e) for events in reading.changes.values() for e in events],
        "stale": [change_zh(e) for e in reading.stale],
        "carried": [change_zh(e) for e in reading.carried],
        "locked": status.state == ReviewState.APPROVED,
        "FIGURE_ZH": FIGURE_ZH,
        "NOT_SUMMED_ZH": NOT_SUMMED_ZH,
        "CATEGORY_ZH": CATEGORY_ZH,
        "MEASURE_CHOICES": {k: v for k, v in MEASURE_ZH.items() if k},
        "FIELDS_ZH": FIELDS_ZH,
    }


# -- the district ---------------------------------------------------------------------------------------------------
@router.get("/d/{code}/{year:int}/figures")
def district_figures(request: Request, code: str, year: int, v: str = "", error: str = "", done: str = "") -> Response:
    portal = _portal(request)
    session, tenant = portal.district_of(request, code)
    found = _reading(portal, code, year, _version_number(v), city=False)
    if found is None:
        return portal.page(
            "message.html.j2", session, status=404, title="暂无可核对的数字",
            text="该年度尚无已接收并汇总发布的报送版本；报送经汇总运行后即可在此核对、更正并确认数字。",
            back=f"/d/{code}/{year}",
        )  # fmt: skip
    return portal.page(
        "figures.html.j2", session, tenant=tenant, year=year, may_edit=session.user.district_code == code,
        error=error, done=done, **_page_context(portal, code, year, found),
    )  # fmt: skip


@dataclass(frozen=True)
class ClerkAction:
    """What a clerk's form asks of the version it was shown: the form, who, and that version as it reads now."""

    form: FormData
    actor: str
    review: Review
    current: TakenIn
    reading: Corrected


async def _clerks_action(request: Request, code: str, year: int, act, audit_action: str, done: str) -> Response:
    """A clerk's form on the figures page: only the district's own clerk, with this session's token, on the version
    the page showed (its sha256) — then `act(ClerkAction)`, audited, and back to the page saying what happened."""
    portal = _portal(request)
    session, _ = portal.clerk_of(request, code)
    form = await request.form()
    portal.check_form(session, form)
    found = _reading(portal, code, year, _version_number(str(form.get("v", ""))), city=False)
    if found is None:
        raise NotFound()
    review, current, reading = found
    if str(form.get("sha256", "")) != current.version.sha256:
        return _back(code, year, 0, error="页面显示的版本已不是当前版本，请刷新后重新操作。")
    try:
        event = await run_in_threadpool(
            act, ClerkAction(form, f"portal:{session.user.username}", review, current, reading)
        )
    except ReviewError as exc:
        return _back(code, year, current.number, error=str(exc))
    outcome = change_zh(event) if event.kind in ("correction", "addition") else event.kind
    portal.audit(request, session, audit_action, target=f"{code}/{year}/v{current.number}", outcome=outcome)
    return _back(code, year, current.number, done=done)


def _redirect(path: str, **query) -> RedirectResponse:
    """Back to the page, with what happened (or why not) for it to say."""
    return RedirectResponse(f"{path}?{urlencode({k: v for k, v in query.items() if v})}", status_code=303)


def _back(code: str, year: int, number: int, *, error: str = "", done: str = "") -> RedirectResponse:
    return _redirect(f"/d/{code}/{year}/figures", v=number, error=error, done=done)


def _text(form: FormData, name: str, default: str = "") -> str:
    return str(form.get(name, default)).strip()


@router.post("/d/{code}/{year:int}/figures/correct")
async def district_correct(request: Request, code: str, year: int) -> Response:
    def act(a: ClerkAction):
        field_name, value = _text(a.form, "field"), _text(a.form, "value")
        return a.review.correct(
            a.current.version, a.current.facts, _text(a.form, "fact"), field_name, value, actor=a.actor,
            reason=_text(a.form, "reason"),
        )  # fmt: skip

    return await _clerks_action(request, code, year, act, "correct", "已记录更正；全部核对后请点“确认报送数字”。")


@router.post("/d/{code}/{year:int}/figures/add")
async def district_add(request: Request, code: str, year: int) -> Response:
    def act(a: ClerkAction):
        return a.review.add(
            a.current.version, a.current.facts, a.current.text, label=_text(a.form, "label"),
            value=_text(a.form, "value"), category=_text(a.form, "category"),
            measure=_text(a.form, "measure", "actual"), unit=_text(a.form, "unit", "元") or "元",
            sentence=_text(a.form, "sentence"), reason=_text(a.form, "reason"), actor=a.actor,
        )  # fmt: skip

    return await _clerks_action(request, code, year, act, "correct", "已补录；全部核对后请点“确认报送数字”。")


@router.post("/d/{code}/{year:int}/figures/confirm")
async def district_confirm(request: Request, code: str, year: int) -> Response:
    def act(a: ClerkAction):
        return a.review.confirm(a.current.version, a.current.facts, actor=a.actor, carried=a.reading.carried)

    return await _clerks_action(
        request, code, year, act, "confirm", "已确认报送，等待市总工会审核；下次汇总运行后计入。"
    )


# -- the city -------------------------------------------------------------------------------------------------------
@router.get("/city/review/{code}/{year:int}")
def city_review(request: Request, code: str, year: int, error: str = "", done: str = "") -> Response:
    portal = _portal(request)
    session = portal.city(request)
    tenant = portal.tenants().get(code)
    if tenant is None:
        raise NotFound()
    found = _reading(portal, code, year, None, city=True)
    if found is None:
        return portal.page(
            "message.html.j2", session, status=404, title="暂无可审核的数字",
            text=f"{tenant.union_name}{year}年度尚无已接收的报送版本。", back=f"/city/{year}",
        )  # fmt: skip
    return portal.page(
        "city_review.html.j2", session, tenant=tenant, year=year, error=error, done=done,
        prior=published.rollup_row(portal.layout, code, year - 1), **_page_context(portal, code, year, found, city=True),
    )  # fmt: skip


async def _city_decision(request: Request, code: str, year: int, decide) -> Response:
    portal = _portal(request)
    session = portal.city(request)
    if code not in portal.tenants():
        raise NotFound()
    form = await request.form()
    portal.check_form(session, form)
    back = f"/city/review/{code}/{year}"
    found = _reading(portal, code, year, None, city=True)
    if found is None:
        raise NotFound()
    review, current, _ = found
    try:
        if str(form.get("sha256", "")) != current.version.sha256:
            raise ReviewError("区县已报送新版本，请刷新后审核新版本。")
        event = await run_in_threadpool(
            lambda: decide(review, current.version, f"portal:{session.user.username}", str(form.get("comment", "")))
        )
    except ReviewError as exc:
        return _redirect(back, error=str(exc))
    decision = event.detail.get("decision", "")
    portal.audit(request, session, "review", target=f"{code}/{year}/v{current.number}", outcome=decision)
    done = "已审核通过，该版本数字已锁定。" if decision == "approve" else "已退回，区县将看到退回意见。"
    return _redirect(back, done=done)


@router.post("/city/review/{code}/{year:int}/approve")
async def city_approve(request: Request, code: str, year: int) -> Response:
    return await _city_decision(
        request,
        code,
        year,
        lambda review, version, actor, comment: review.approve(version, actor=actor, comment=comment),
    )


@router.post("/city/review/{code}/{year:int}/return")
async def city_return(request: Request, code: str, year: int) -> Response:
    return await _city_decision(
        request,
        code,
        year,
        lambda review, version, actor, comment: review.send_back(version, actor=actor, comment=comment),
    )
