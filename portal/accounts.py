"""The portal's accounts, sessions, one-time links, login attempts and audit log: a small SQLite file in the
installation's home (<home>/portal_data/accounts.sqlite), never in the warehouse analysts read.

Passwords are argon2id hashes (argon2-cffi); session ids and one-time tokens are random and stored only as SHA-256
digests, so a copy of this file opens no account.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core.db import now_utc

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    username TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('district', 'city', 'admin')),
    district_code TEXT,
    display_name TEXT NOT NULL DEFAULT '',
    password_hash TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    session_digest TEXT PRIMARY KEY,
    username TEXT NOT NULL REFERENCES users(username),
    csrf_token TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS one_time_links (
    token_digest TEXT PRIMARY KEY,
    username TEXT NOT NULL REFERENCES users(username),
    purpose TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE TABLE IF NOT EXISTS login_attempts (
    at TEXT NOT NULL,
    username TEXT NOT NULL,
    address TEXT NOT NULL,
    succeeded INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS login_attempts_at ON login_attempts (at);
CREATE TABLE IF NOT EXISTS audit_log (
    at TEXT NOT NULL,
    username TEXT,
    address TEXT,
    action TEXT NOT NULL,
    target TEXT,
    outcome TEXT
);
CREATE TABLE IF NOT EXISTS portal_submissions (
    submission_id TEXT PRIMARY KEY,
    district_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    username TEXT NOT NULL,
    status TEXT NOT NULL,
    file_name TEXT NOT NULL,
    received_at TEXT NOT NULL
);
"""

USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{2,64}$")
MIN_PASSWORD_LENGTH = 10
THROTTLE_WINDOW = timedelta(minutes=15)
_hasher = PasswordHasher()  # argon2id, the library's memory-hard defaults (64 MiB, 3 passes)
# verified against when the account does not exist, so a wrong name costs the same time as a wrong password
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class Role(StrEnum):
    DISTRICT = "district"  # a district's clerk: their own district only
    CITY = "city"  # city staff: every district's status, the reports, runs
    ADMIN = "admin"  # city staff who also manage accounts


ROLE_ZH = {Role.DISTRICT: "区县填报员", Role.CITY: "市总工会", Role.ADMIN: "市总工会管理员"}
# the audit log's actions as the administrator reads them
ACTION_ZH = {
    "login": "登录",
    "login_failed": "登录失败",
    "login_throttled": "登录受限（尝试过多）",
    "logout": "退出",
    "password_set": "设置密码",
    "upload": "上传检查",
    "submit": "报送文件",
    "correct": "更正数字",
    "confirm": "确认报送数字",
    "review": "审核（通过/退回）",
    "download": "下载",
    "denied": "越权访问（已拒绝）",
    "run_started": "启动汇总运行",
    "user_added": "新建账号",
    "user_reset": "重置密码",
    "user_disable": "停用账号",
    "user_enable": "启用账号",
}


class AccountError(ValueError):
    """A request about accounts that cannot be done; the message is Chinese, for the person who asked."""


@dataclass(frozen=True)
class User:
    username: str
    role: Role
    district_code: str | None
    display_name: str
    active: bool

    @property
    def is_city(self) -> bool:
        return self.role in (Role.CITY, Role.ADMIN)

    def may_see(self, district_code: str) -> bool:
        """A clerk sees their own district; city staff see every district."""
        return self.is_city or self.district_code == district_code


@dataclass(frozen=True)
class Session:
    user: User
    csrf_token: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


class AccountStore:
    """One SQLite file; each call opens its own connection (the portal serves requests from several threads)."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.execute("PRAGMA journal_mode=WAL")  # readers never wait for the audit log's writers; kept by the file
            con.executescript(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        con.row_factory = sqlite3.Row
        try:
            yield con
        finally:
            con.close()

    # ---- accounts -------------------------------------------------------------------------------------------------
    def add_user(
        self,
        username: str,
        role: Role,
        *,
        district_code: str | None = None,
        display_name: str = "",
        password: str | None = None,
    ) -> User:
        if not USERNAME.match(username):
            raise AccountError(f"用户名 {username!r} 不合规：2–64个字母、数字或 _ . @ -")
        if (role == Role.DISTRICT) != (district_code is not None):
            raise AccountError("区县填报员必须指定区县代码；市总工会账号不指定区县")
        password_hash = _hasher.hash(_checked_password(password)) if password is not None else None
        with self._connect() as con:
            try:
                con.execute(
                    "INSERT INTO users VALUES (?, ?, ?, ?, ?, 1, ?)",
                    [username, role, district_code, display_name, password_hash, _iso(now_utc())],
                )
            except sqlite3.IntegrityError:
                raise AccountError(f"用户名 {username} 已存在") from None
        return self.user(username)  # type: ignore[return-value]

    def user(self, username: str) -> User | None:
        with self._connect() as con:
            row = con.execute("SELECT * FROM users WHERE username = ?", [username]).fetchone()
        return _user(row) if row else None

    def users(self) -> list[User]:
        with self._connect() as con:
            rows = con.execute("SELECT * FROM users ORDER BY role, district_code, username").fetchall()
        return [_user(r) for r in rows]

    def set_active(self, username: str, active: bool) -> None:
        with self._connect() as con:
            if con.execute("UPDATE users SET active = ? WHERE username = ?", [int(active), username]).rowcount == 0:
                raise AccountError(f"没有用户 {username}")
            if not active:  # a disabled account is logged out everywhere at once
                con.execute("DELETE FROM sessions WHERE username = ?", [username])

    def set_password(self, username: str, password: str) -> None:
        password_hash = _hasher.hash(_checked_password(password))
        with self._connect() as con:
            con.execute("UPDATE users SET password_hash = ? WHERE username = ?", [password_hash, username])
            con.execute("DELETE FROM sessions WHERE username = ?", [username])

    def check_password(self, username: str, password: str) -> User | None:
        """The active user these credentials name, or None (the same work is done for an unknown name)."""
        with self._connect() as con:
            row = con.execute("SELECT * FROM users WHERE username = ?", [username]).fetchone()
        stored = row["password_hash"] if row and row["password_hash"] else _DUMMY_HASH
        try:
            _hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None or not row["password_hash"] or not row["active"]:
            return None
        return _user(row)

    # ---- one-time links (invitation, reset) -----------------------------------------------------------------------
    def issue_link(self, username: str, purpose: str, valid: timedelta) -> str:
        if self.user(username) is None:
            raise AccountError(f"没有用户 {username}")
        token = secrets.token_urlsafe(32)
        with self._connect() as con:
            # a new link replaces the unused ones: only the latest invitation or reset works
            con.execute("DELETE FROM one_time_links WHERE username = ? AND used_at IS NULL", [username])
            con.execute(
                "INSERT INTO one_time_links VALUES (?, ?, ?, ?, NULL)",
                [_digest(token), username, purpose, _iso(now_utc() + valid)],
            )
        return token

    def link_user(self, token: str) -> User | None:
        """The user an unused, unexpired link is for."""
        with self._connect() as con:
            row = con.execute(
                "SELECT username FROM one_time_links WHERE token_digest = ? AND used_at IS NULL AND expires_at > ?",
                [_digest(token), _iso(now_utc())],
            ).fetchone()
        user = self.user(row["username"]) if row else None
        return user if user and user.active else None

    def use_link(self, token: str, password: str) -> User:
        user = self.link_user(token)
        if user is None:
            raise AccountError("链接无效或已过期，请联系市总工会重新发送。")
        self.set_password(user.username, password)
        with self._connect() as con:
            con.execute(
                "UPDATE one_time_links SET used_at = ? WHERE token_digest = ?", [_iso(now_utc()), _digest(token)]
            )
        return user

    # ---- sessions -------------------------------------------------------------------------------------------------
    def open_session(self, user: User, lifetime: timedelta) -> str:
        session_id = secrets.token_urlsafe(32)
        with self._connect() as con:
            con.execute("DELETE FROM sessions WHERE expires_at <= ?", [_iso(now_utc())])
            con.execute(
                "INSERT INTO sessions VALUES (?, ?, ?, ?)",
                [_digest(session_id), user.username, secrets.token_urlsafe(32), _iso(now_utc() + lifetime)],
            )
        return session_id

    def session(self, session_id: str) -> Session | None:
        with self._connect() as con:
            row = con.execute(
                """SELECT u.*, s.csrf_token FROM sessions s JOIN users u USING (username)
                   WHERE s.session_digest = ? AND s.expires_at > ? AND u.active = 1""",
                [_digest(session_id), _iso(now_utc())],
            ).fetchone()
        return Session(_user(row), row["csrf_token"]) if row else None

    def close_session(self, session_id: str) -> None:
        with self._connect() as con:
            con.execute("DELETE FROM sessions WHERE session_digest = ?", [_digest(session_id)])

    # ---- login attempts -------------------------------------------------------------------------------------------
    def begin_login(self, username: str, address: str, *, per_account: int, per_address: int) -> int | None:
        """Counts the attempt as failed before the password is checked, in one transaction with the throttle's count,
        so that simultaneous guesses cannot all pass the count first. None: throttled (nothing recorded)."""
        since = _iso(now_utc() - THROTTLE_WINDOW)
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                (by_account,) = con.execute(
                    "SELECT count(*) FROM login_attempts WHERE username = ? AND succeeded = 0 AND at > ?",
                    [username, since],
                ).fetchone()
                (by_address,) = con.execute(
                    "SELECT count(*) FROM login_attempts WHERE address = ? AND succeeded = 0 AND at > ?",
                    [address, since],
                ).fetchone()
                if by_account >= per_account or by_address >= per_address:
                    con.execute("ROLLBACK")
                    return None
                attempt = con.execute(
                    "INSERT INTO login_attempts VALUES (?, ?, ?, 0)", [_iso(now_utc()), username, address]
                ).lastrowid
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return attempt

    def login_succeeded(self, attempt: int) -> None:
        with self._connect() as con:
            con.execute("UPDATE login_attempts SET succeeded = 1 WHERE rowid = ?", [attempt])

    # ---- audit log and the portal's own record of submissions -----------------------------------------------------
    def audit(
        self, action: str, *, username: str | None, address: str | None, target: str = "", outcome: str = ""
    ) -> None:
        with self._connect() as con:
            con.execute(
                "INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?)",
                [_iso(now_utc()), username, address, action, target, outcome],
            )

    def audit_entries(self, limit: int = 200) -> list[dict]:
        with self._connect() as con:
            rows = con.execute("SELECT * FROM audit_log ORDER BY rowid DESC LIMIT ?", [limit]).fetchall()
        return [{**dict(r), "at": datetime.fromisoformat(r["at"])} for r in rows]

    def record_submission(
        self, submission_id: str, district_code: str, year: int, username: str, status: str, file_name: str
    ) -> None:
        with self._connect() as con:
            con.execute(
                "INSERT OR REPLACE INTO portal_submissions VALUES (?, ?, ?, ?, ?, ?, ?)",
                [submission_id, district_code, year, username, status, file_name, _iso(now_utc())],
            )

    def portal_submissions(self, district_code: str, year: int) -> list[dict]:
        with self._connect() as con:
            rows = con.execute(
                "SELECT * FROM portal_submissions WHERE district_code = ? AND year = ? ORDER BY received_at",
                [district_code, year],
            ).fetchall()
        return [{**dict(r), "received_at": datetime.fromisoformat(r["received_at"])} for r in rows]


def _user(row: sqlite3.Row) -> User:
    return User(row["username"], Role(row["role"]), row["district_code"], row["display_name"], bool(row["active"]))


def _checked_password(password: str | None) -> str:
    if password is None or len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"密码至少需要{MIN_PASSWORD_LENGTH}个字符")
    return password
