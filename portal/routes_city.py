"""City staff: the status board per year with the 催报 list, the published reports, any district's history, the
last and next runs, starting a run; administrators: accounts and the audit log."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from core.labels import REVIEW_STATE_ZH
from intake.work_lock import is_busy
from orchestration.run_info import last_run, next_nightly
from portal import published
from portal.accounts import AccountError, Role
from portal.web import NotFound, Portal
from reporting.feedback import due_date_zh

router = APIRouter()


def _portal(request: Request) -> Portal:
    return request.app.state.portal


@router.get("/city")
def city_home(request: Request) -> Response:
    portal = _portal(request)
    portal.city(request)
    return RedirectResponse(f"/city/{published.city_years(portal.layout)[0]}", status_code=303)


@router.get("/city/{year:int}")
def city_board(request: Request, year: int, started: str = "") -> Response:
    portal = _portal(request)
    session = portal.city(request)
    years = published.city_years(portal.layout)
    if year not in years:
        raise NotFound()
    board = published.city_board(portal.layout, portal.tenants(), year)
    today = date.today()
    reports = portal.layout.reports
    return portal.page(
        "city_board.html.j2",
        session,
        year=year,
        years=years,
        board=board,
        reviews=published.year_review_states(portal.layout, year),
        figures=published.rollup_rows(portal.layout, year),
        figures_before=published.rollup_rows(portal.layout, year - 1),
        REVIEW_STATE_ZH=REVIEW_STATE_ZH,
        counts=Counter(row.status_zh for row in board),
        chase=[row for row in board if row.status != "accepted"],
        overdue=today > portal.settings.due_date(year),
        due=due_date_zh(year),
        has_report=(reports / str(year) / "city_report.html").exists(),
        has_validation=(reports / "validation" / "index.html").exists(),
        last=last_run(),
        next_run=next_nightly(),
        running=is_busy(portal.layout.work_db),
        started=started,
    )


@router.get("/city/district/{code}")
def city_district(request: Request, code: str) -> Response:
    portal = _portal(request)
    session = portal.city(request)
    tenant = portal.tenants().get(code)
    if tenant is None:
        raise NotFound()
    history = published.city_history(portal.layout, code)
    return portal.page("city_district.html.j2", session, tenant=tenant, history=history)


@router.get("/city/reports/{path:path}")
def city_reports(request: Request, path: str) -> Response:
    """The published reports folder (city report, workbook, feedback pages, validation page, GX Data Docs)."""
    portal = _portal(request)
    session = portal.city(request)
    root = portal.layout.reports.resolve()
    target = (root / path).resolve()
    if target.is_dir():
        target = target / "index.html"
    if not target.is_relative_to(root) or not target.is_file():
        raise NotFound()
    if target.suffix != ".html":
        portal.audit(request, session, "download", target=f"reports/{path}")
    return FileResponse(target)


@router.post("/city/run")
async def start_run(request: Request) -> Response:
    """A run as the nightly schedule makes it: `uwh run` (Dagster), in its own process; the portal writes nothing."""
    portal = _portal(request)
    session = portal.city(request)
    portal.check_form(session, await request.form())
    year = published.city_years(portal.layout)[0]
    if is_busy(portal.layout.work_db):
        return RedirectResponse(f"/city/{year}?started=busy", status_code=303)
    log = portal.layout.portal / "last-run.log"
    with log.open("w", encoding="utf-8") as out:
        run = subprocess.Popen(
            [str(Path(sys.executable).with_name("uwh")), "run"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "UWH_HOME": str(portal.layout.home)},
            start_new_session=True,
        )
    threading.Thread(target=run.wait, daemon=True).start()  # reaped when it ends: no zombie left behind
    portal.audit(request, session, "run_started")
    return RedirectResponse(f"/city/{year}?started=1", status_code=303)


# ---- administrators ----------------------------------------------------------------------------------------------
@router.get("/admin/users")
def users(request: Request) -> Response:
    return users_page(request)


def users_page(request: Request, *, link: str = "", error: str = "") -> Response:
    """The accounts page, with the link just issued or the error just met (never taken from the address bar)."""
    portal = _portal(request)
    session = portal.city(request, admin=True)
    return portal.page(
        "users.html.j2", session, users=portal.store.users(), tenants=portal.tenants(), link=link, error=error,
        audit=portal.store.audit_entries(100),
    )  # fmt: skip


def _link(portal: Portal, username: str, purpose: str) -> str:
    token = portal.store.issue_link(username, purpose, timedelta(hours=portal.settings.invitation_hours))
    return f"{portal.settings.portal_address}/invite/{token}"


@router.post("/admin/users")
async def add_user(request: Request) -> Response:
    portal = _portal(request)
    session = portal.city(request, admin=True)
    form = await request.form()
    portal.check_form(session, form)
    username, role = str(form.get("username", "")).strip(), str(form.get("role", ""))
    code = str(form.get("district_code", "")).strip() or None
    try:
        if role not in set(Role) or (code is not None and code not in portal.tenants()):
            raise AccountError("请选择角色；区县填报员须选择登记名册中的区县。")
        portal.store.add_user(username, Role(role), district_code=code if role == Role.DISTRICT else None,
                              display_name=str(form.get("display_name", "")).strip())  # fmt: skip
    except AccountError as exc:
        return users_page(request, error=str(exc))
    portal.audit(request, session, "user_added", target=username, outcome=role)
    return users_page(
        request,
        link=f"{username} 的邀请链接（{portal.settings.invitation_hours:g}小时内有效，仅可使用一次）：{_link(portal, username, 'invite')}",
    )


@router.post("/admin/users/{username}/{action}")
async def change_user(request: Request, username: str, action: str) -> Response:
    portal = _portal(request)
    session = portal.city(request, admin=True)
    portal.check_form(session, await request.form())
    if portal.store.user(username) is None or action not in {"disable", "enable", "reset"}:
        raise NotFound()
    portal.audit(request, session, f"user_{action}", target=username)
    if action == "reset":
        return users_page(
            request,
            link=f"{username} 的重置密码链接（{portal.settings.invitation_hours:g}小时内有效）：{_link(portal, username, 'reset')}",
        )
    portal.store.set_active(username, action == "enable")
    return RedirectResponse("/admin/users", status_code=303)
