"""What every route of the portal shares: the installation, the account store, who is asking, the page renderer,
and the answers that end a request early (login needed, not found, too many attempts, a stale form)."""

from __future__ import annotations

import asyncio
import hmac
import multiprocessing
import os
import secrets
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from itsdangerous import BadSignature, TimestampSigner
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

from core.config import Layout
from core.labels import SEVERITY_ZH, STATUS_ZH
from core.settings import Settings
from ingest.tenants import Tenant, load_tenants
from intake.submission import Examined, examine
from portal.accounts import ACTION_ZH, ROLE_ZH, AccountStore, Session
from reporting.render import TEMPLATES as REPORT_TEMPLATES
from reporting.render import environment as report_environment

TEMPLATES = Path(__file__).with_name("templates")
SESSION_COOKIE = "uwh_session"
EXAMINE_WORKERS = 2
LOGIN_COOKIE = "uwh_login"  # a nonce binding the login form to the browser that asked for it (login CSRF)


class LoginRequired(Exception):
    pass


class NotFound(Exception):
    """Also the answer to another district's page: it must not even say the page exists."""


class Throttled(Exception):
    pass


class StaleForm(Exception):
    """A form without this session's CSRF token."""


@dataclass
class Portal:
    layout: Layout
    settings: Settings
    store: AccountStore
    secret: bytes
    _registry: tuple[float, dict[str, Tenant]] = field(default=(-1.0, {}))
    # checks still running after the upload's answer was due (a scan's recognition): token → (task, started)
    checks: dict[str, tuple[asyncio.Task, float]] = field(default_factory=dict)

    @classmethod
    def open(cls, layout: Layout, settings: Settings) -> Portal:
        layout.ensure()
        return cls(layout, settings, AccountStore(layout.portal / "accounts.sqlite"), _secret_key(layout.portal))

    @cached_property
    def examiner(self) -> ProcessPoolExecutor:
        """Verdicts are reached in worker processes: reading a long report is CPU work that would otherwise hold this
        process's interpreter while other people's pages wait (measured: p95 page 399 ms under 12 uploads)."""
        return ProcessPoolExecutor(max_workers=EXAMINE_WORKERS, mp_context=multiprocessing.get_context("spawn"))

    async def examine(self, path: Path, district_code: str, year: int, prior_facts, progress=None) -> Examined:
        """`intake.submission.examine` in a worker. A worker that dies (out of memory on a hostile file) costs that
        upload a clear answer, never the portal's ability to check the next ones: the pool is made anew."""
        pool = self.examiner
        try:
            return await asyncio.get_running_loop().run_in_executor(
                pool, examine, path, district_code, year, self.tenants(), prior_facts, progress
            )
        except BrokenProcessPool:
            if self.__dict__.get("examiner") is pool:
                del self.__dict__["examiner"]
            pool.shutdown(wait=False, cancel_futures=True)
            return Examined(
                crash="检查文件的进程意外终止（文件可能过大或已损坏）。请确认文件无误后重新上传；如反复出现，请联系市总工会"
            )

    @cached_property
    def signer(self) -> TimestampSigner:
        return TimestampSigner(self.secret, salt="uwh-session")

    @property
    def session_lifetime(self) -> timedelta:
        return timedelta(hours=self.settings.session_hours)

    def tenants(self) -> dict[str, Tenant]:
        """The registry, re-read when the city edits it."""
        path = self.layout.registry
        mtime = path.stat().st_mtime
        if self._registry[0] != mtime:
            self._registry = (mtime, load_tenants(path))
        return self._registry[1]

    # ---- who is asking --------------------------------------------------------------------------------------------
    def session_of(self, request: Request) -> Session | None:
        cookie = request.cookies.get(SESSION_COOKIE)
        if not cookie:
            return None
        try:
            session_id = self.signer.unsign(cookie, max_age=int(self.session_lifetime.total_seconds())).decode()
        except BadSignature:
            return None
        return self.store.session(session_id)

    def viewer(self, request: Request) -> Session:
        session = self.session_of(request)
        if session is None:
            raise LoginRequired()
        return session

    def district_of(self, request: Request, code: str) -> tuple[Session, Tenant]:
        """The session and the district, when this viewer may see it; otherwise 404 (logged as denied)."""
        session = self.viewer(request)
        tenant = self.tenants().get(code)
        if tenant is None or not session.user.may_see(code):
            self.deny(request, session, code)
        return session, tenant  # type: ignore[return-value]

    def clerk_of(self, request: Request, code: str) -> tuple[Session, Tenant]:
        """Only the district's own clerks upload and submit for it."""
        session, tenant = self.district_of(request, code)
        if session.user.district_code != code:
            self.deny(request, session, code)
        return session, tenant

    def city(self, request: Request, *, admin: bool = False) -> Session:
        session = self.viewer(request)
        if not session.user.is_city or (admin and session.user.role != "admin"):
            self.deny(request, session, request.url.path)
        return session

    def deny(self, request: Request, session: Session | None, target: str):
        self.audit(request, session, "denied", target=f"{request.method} {request.url.path}", outcome=target)
        raise NotFound()

    def check_form(self, session: Session, form) -> None:
        if not hmac.compare_digest(str(form.get("csrf", "")), session.csrf_token):
            raise StaleForm()

    def login_form_token(self, nonce: str) -> str:
        return hmac.new(self.secret, f"login:{nonce}".encode(), "sha256").hexdigest()

    def audit(
        self, request: Request, session: Session | None, action: str, *, target: str = "", outcome: str = ""
    ) -> None:
        self.store.audit(
            action,
            username=session.user.username if session else None,
            address=address_of(request),
            target=target,
            outcome=outcome,
        )

    # ---- pages ----------------------------------------------------------------------------------------------------
    @cached_property
    def env(self) -> Environment:
        env = Environment(
            loader=ChoiceLoader([FileSystemLoader(str(TEMPLATES)), FileSystemLoader(str(REPORT_TEMPLATES))]),
            autoescape=select_autoescape(["html", "j2"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters.update(report_environment().filters)
        env.globals.update(report_environment().globals)
        env.globals.update(
            STATUS_ZH=STATUS_ZH,
            SEVERITY_ZH=SEVERITY_ZH,
            ROLE_ZH=ROLE_ZH,
            ACTION_ZH=ACTION_ZH,
            contact=self.settings.contact,
        )
        return env

    def page(self, template: str, session: Session | None, *, status: int = 200, **context) -> HTMLResponse:
        html = self.env.get_template(template).render(
            session=session, user=session.user if session else None, **context
        )
        return HTMLResponse(html, status_code=status)


def address_of(request: Request) -> str:
    return request.client.host if request.client else "-"


def _secret_key(folder: Path) -> bytes:
    """The installation's signing key, made once (readable by its owner only) beside the account store."""
    path = folder / "secret.key"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(fd, "wb") as out:
        out.write(secrets.token_bytes(32))
    return path.read_bytes()
