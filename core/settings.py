"""The one configuration of an installation, read once per configuration and passed down.

Sources, strongest first: the environment (UWH_HOME, UWH_MAX_FILE_MB, UWH_WORKERS, …), the installation's own files
in its home (uwh.toml for the installation, rules.toml for the rules' thresholds), then the defaults here. Nothing reads
the environment at import time: `installation_settings()` does, when first asked, and keeps the answer for as long as
the environment says the same.
"""

from __future__ import annotations

import os
import tomllib
from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class RuleThresholds(BaseModel, frozen=True):
    """Thresholds of the rules (<home>/rules.toml, e.g. aid_per_person_band = [100, 20000], yoy_max_change = 0.3,
    max_amount_yuan = 5e9)."""

    aid_per_person_band: tuple[float, float] = (50.0, 50_000.0)  # 元 per 人次 considered plausible (PBN001)
    yoy_max_change: float = 0.5  # share of the previous year's headline total (YOY001)
    max_amount_yuan: float = 1e10  # 100亿元: more than a province federation spends; a larger figure is a typo (MAG001)

    @classmethod
    def from_file(cls, path: Path) -> RuleThresholds:
        return cls(**tomllib.loads(path.read_text(encoding="utf-8"))) if path.exists() else cls()


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="UWH_", extra="ignore", frozen=True)

    home: Path = PROJECT_ROOT  # everything of the installation lives under it
    max_file_mb: float = 50  # one submitted file at most (a report is a few MB)
    workers: int | None = None  # processes that examine a large batch of files (default: one per core)
    deadline: str = "03-31"  # month-day by which the districts' reports of the previous year are due
    contact: str = ""  # whom districts call about their submissions (shown on receipts and in the portal)
    rules: RuleThresholds = RuleThresholds()
    # whether the city's totals take a district's figures before the city has reviewed (审核通过) them; either way
    # every district row says 已审核 / 未审核
    sum_unreviewed: bool = True
    # the portal (uwh portal): where it listens, the address people reach it at (invitation links), its limits
    portal_host: str = "127.0.0.1"  # behind the city's reverse proxy; never exposed directly by default
    portal_port: int = 8770
    portal_url: str = ""  # e.g. https://tongji.hyszgh.cn (default: http://<portal_host>:<portal_port>)
    secure_cookies: bool = False  # true when the portal is served over https (the proxy terminates TLS)
    session_hours: float = 8  # a login lasts a working day
    invitation_hours: float = 72  # an invitation or reset link is used once within this time
    login_failures_per_account: int = 5  # failed logins within 15 minutes before the account is paused
    login_failures_per_address: int = 20  # from one address (many accounts tried)

    @classmethod
    def settings_customise_sources(
        cls, settings_cls, init_settings, env_settings, dotenv_settings, file_secret_settings
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, _HomeFiles(settings_cls)

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    def due_date(self, year: int) -> date:
        """When a year's report is due: the deadline (month-day) in the following year."""
        month, day = (int(part) for part in self.deadline.split("-"))
        return date(year + 1, month, day)

    @property
    def portal_address(self) -> str:
        return (self.portal_url or f"http://{self.portal_host}:{self.portal_port}").rstrip("/")


class _HomeFiles(PydanticBaseSettingsSource):
    """<home>/uwh.toml (the installation's keys) and <home>/rules.toml (the rules' thresholds)."""

    def __call__(self) -> dict:
        home = Path(os.environ.get("UWH_HOME") or PROJECT_ROOT)
        values: dict = {}
        if (home / "uwh.toml").exists():
            values.update(tomllib.loads((home / "uwh.toml").read_text(encoding="utf-8")))
        values["rules"] = RuleThresholds.from_file(home / "rules.toml")
        return values

    def get_field_value(self, field, field_name):  # the whole mapping is given by __call__
        return None, field_name, False


def installation_settings() -> Settings:
    """The settings of the installation the environment names, read once for as long as it names the same."""
    return _load(tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("UWH_"))))


@lru_cache(maxsize=8)
def _load(environment: tuple[tuple[str, str], ...]) -> Settings:
    return Settings()
