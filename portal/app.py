"""The portal application: routes, the answers that end requests early, security headers, the upload limit."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.config import Layout
from core.settings import Settings, installation_settings
from portal import routes_auth, routes_city, routes_district, routes_review
from portal.web import TEMPLATES, LoginRequired, NotFound, Portal, StaleForm, Throttled
from reporting.render import TEMPLATES as REPORT_TEMPLATES

# Portal pages carry no inline script or style; the published report pages (served as they are) need theirs.
CSP_PORTAL = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
CSP_REPORT = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
FEEDBACK_PAGE = re.compile(r"^/d/\d{6}/\d{4}/feedback$")  # a published page served as it is, with its own script
FORM_OVERHEAD = 64 * 1024  # multipart boundaries and the form's other fields


def create_app(layout: Layout | None = None, settings: Settings | None = None) -> FastAPI:
    settings = settings or installation_settings()
    portal = Portal.open(layout or Layout(settings.home.resolve()), settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if "examiner" in portal.__dict__:  # started by the first upload
            portal.examiner.shutdown(cancel_futures=True)

    app = FastAPI(title="union-warehouse portal", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.portal = portal
    for router in (routes_auth.router, routes_district.router, routes_city.router, routes_review.router):
        app.include_router(router)
    stylesheet = (REPORT_TEMPLATES / "base.css.j2").read_text(encoding="utf-8") + (TEMPLATES / "portal.css").read_text(
        encoding="utf-8"
    )

    @app.get("/static/portal.css")
    def css() -> Response:
        return Response(
            stylesheet, media_type="text/css; charset=utf-8", headers={"Cache-Control": "public, max-age=3600"}
        )

    @app.exception_handler(LoginRequired)
    def login_required(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)

    @app.exception_handler(NotFound)
    @app.exception_handler(RequestValidationError)
    @app.exception_handler(404)
    def not_found(request: Request, exc: Exception) -> Response:
        return portal.page("message.html.j2", portal.session_of(request), status=404, title="页面不存在",
                           text="您要找的页面不存在，或您的账号无权查看。")  # fmt: skip

    @app.exception_handler(405)
    def wrong_method(request: Request, exc: Exception) -> Response:
        return portal.page("message.html.j2", None, status=405, title="不支持的操作", text="请从页面上的按钮操作。")

    @app.exception_handler(Throttled)
    def throttled(request: Request, exc: Throttled) -> Response:
        return portal.page("message.html.j2", None, status=429, title="登录尝试过多",
                           text="登录失败次数过多，请15分钟后再试；如忘记密码，请联系市总工会重置。")  # fmt: skip

    @app.exception_handler(StaleForm)
    def stale_form(request: Request, exc: StaleForm) -> Response:
        return portal.page("message.html.j2", portal.session_of(request), status=403, title="表单已过期",
                           text="页面已过期或不是从本系统提交的，请返回、刷新页面后重试。")  # fmt: skip

    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, limit=settings.max_file_bytes + FORM_OVERHEAD, max_mb=settings.max_file_mb)
    return app


class SecurityHeaders:
    """On every response: CSP, nosniff, no framing, no referrer outside, and no caching by shared caches."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        report = path.startswith("/city/reports/") or FEEDBACK_PAGE.match(path) is not None

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not path.startswith("/static/"):  # the stylesheet may be cached; nothing else
                    headers = [h for h in headers if h[0].lower() != b"cache-control"]
                    headers.append((b"cache-control", b"private, no-store"))
                headers += [
                    (b"content-security-policy", (CSP_REPORT if report else CSP_PORTAL).encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"same-origin"),
                ]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class _TooLarge(Exception):
    pass


class BodyLimit:
    """A request body over the upload limit is refused with 413 before it is read into a file (the declared length),
    or as soon as it exceeds the limit (a body sent without one)."""

    def __init__(self, app: ASGIApp, limit: int, max_mb: float):
        self.app, self.limit, self.max_mb = app, limit, max_mb

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge()
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except _TooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = (
            f"<!DOCTYPE html><html lang=zh-CN><meta charset=utf-8><title>文件过大</title><p>文件超过大小上限（{self.max_mb:g} MB），"
            "未接收。请删除报告中的大图片或附件、另存为较小的文件后重新上传。</p><p><a href=/>返回</a></p></html>"
        ).encode()
        await send({"type": "http.response.start", "status": 413, "headers": [
            (b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"), (b"cache-control", b"no-store"), (b"x-content-type-options", b"nosniff")]})  # fmt: skip
        await send({"type": "http.response.body", "body": body})
