"""Logging in and out, and the one-time links (invitation, reset) that set a password."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from portal.accounts import MIN_PASSWORD_LENGTH, AccountError
from portal.web import LOGIN_COOKIE, SESSION_COOKIE, Portal, Throttled, address_of

router = APIRouter()


def _portal(request: Request) -> Portal:
    return request.app.state.portal


def home_of(portal: Portal, request: Request) -> str:
    session = portal.session_of(request)
    if session is None:
        return "/login"
    return "/city" if session.user.is_city else f"/d/{session.user.district_code}"


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: never an address elsewhere (an open redirect after login)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@router.get("/")
def root(request: Request) -> Response:
    return RedirectResponse(home_of(_portal(request), request), status_code=303)


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    portal = _portal(request)
    nonce = secrets.token_urlsafe(16)
    response = portal.page(
        "login.html.j2", None, token=portal.login_form_token(nonce), next=_safe_next(next) or "", error=""
    )
    response.set_cookie(
        LOGIN_COOKIE, nonce, max_age=3600, httponly=True, samesite="strict", secure=portal.settings.secure_cookies
    )
    return response


@router.post("/login")
async def login(request: Request) -> Response:
    portal = _portal(request)
    form = await request.form()
    username, password = str(form.get("username", "")).strip(), str(form.get("password", ""))
    nonce = request.cookies.get(LOGIN_COOKIE, "")
    if not nonce or not secrets.compare_digest(str(form.get("token", "")), portal.login_form_token(nonce)):
        return portal.page(
            "login.html.j2", None, status=403, token="", next="", error="登录页面已过期，请刷新后重新登录。"
        )
    address = address_of(request)
    settings = portal.settings
    attempt = portal.store.begin_login(
        username,
        address,
        per_account=settings.login_failures_per_account,
        per_address=settings.login_failures_per_address,
    )
    if attempt is None:
        portal.store.audit("login_throttled", username=username, address=address)
        raise Throttled()
    user = await run_in_threadpool(portal.store.check_password, username, password)  # argon2: keep the loop free
    if user is not None:
        portal.store.login_succeeded(attempt)
    if user is None:
        portal.store.audit("login_failed", username=username, address=address)
        return portal.page(
            "login.html.j2", None, status=401, token=portal.login_form_token(nonce), next=str(form.get("next", "")),
            error="用户名或密码不正确。",
        )  # fmt: skip
    session_id = portal.store.open_session(user, portal.session_lifetime)
    portal.store.audit("login", username=username, address=address, outcome="ok")
    target = _safe_next(str(form.get("next", ""))) or ("/city" if user.is_city else f"/d/{user.district_code}")
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        portal.signer.sign(session_id).decode(),
        max_age=int(portal.session_lifetime.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
    response.delete_cookie(LOGIN_COOKIE)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    portal = _portal(request)
    session = portal.viewer(request)
    portal.check_form(session, await request.form())
    cookie = request.cookies.get(SESSION_COOKIE, "")
    portal.store.close_session(portal.signer.unsign(cookie).decode())
    portal.audit(request, session, "logout")
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/invite/{token}")
def invitation_page(request: Request, token: str) -> Response:
    portal = _portal(request)
    user = portal.store.link_user(token)
    if user is None:
        return portal.page(
            "message.html.j2", None, status=404, title="链接无效", text="链接无效或已过期，请联系市总工会重新发送。"
        )
    return portal.page("invite.html.j2", None, invited=user, error="", min_length=MIN_PASSWORD_LENGTH)


@router.post("/invite/{token}")
async def accept_invitation(request: Request, token: str) -> Response:
    portal = _portal(request)
    form = await request.form()
    password = str(form.get("password", ""))
    invited = portal.store.link_user(token)
    if invited is None:
        return portal.page(
            "message.html.j2", None, status=404, title="链接无效", text="链接无效或已过期，请联系市总工会重新发送。"
        )
    error = "两次输入的密码不一致。" if password != form.get("password2") else ""
    if not error:
        try:
            await run_in_threadpool(portal.store.use_link, token, password)
        except AccountError as exc:
            error = str(exc)
    if error:
        return portal.page(
            "invite.html.j2", None, status=400, invited=invited, error=error, min_length=MIN_PASSWORD_LENGTH
        )
    portal.store.audit("password_set", username=invited.username, address=address_of(request))
    return RedirectResponse("/login", status_code=303)
