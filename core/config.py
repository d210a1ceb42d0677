"""Where an installation keeps its state.

Everything lives under one home directory (UWH_HOME, default: the checkout), so a test or a second installation is a
different directory, never a different code path.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.settings import PROJECT_ROOT, installation_settings

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
# The demo federation (衡阳市): an installation whose home has no registry.csv of its own uses it.
BUNDLED_REGISTRY = PROJECT_ROOT / "registry" / "hengyang.csv"
SAMPLES_DIR = PROJECT_ROOT / "samples" / "landing"


@dataclass(frozen=True)
class Layout:
    home: Path

    @classmethod
    def from_env(cls) -> Layout:
        """The installation the settings name (UWH_HOME, default: the checkout)."""
        return cls(installation_settings().home.resolve())

    @property
    def landing(self) -> Path:  # landing/<year>/<district_code>/<file>, as districts drop them
        return self.home / "landing"

    @property
    def archive(self) -> Path:  # archive/<sha256>: original bytes, never modified or deleted
        return self.home / "archive"

    @property
    def quarantine(self) -> Path:  # receipts of files that could not be filed under any district
        return self.home / "quarantine"

    @property
    def work_db(self) -> Path:  # the only file the pipeline writes to
        return self.home / ".work" / "city.duckdb"

    @property
    def warehouse(self) -> Path:
        return self.home / "warehouse"

    @property
    def published_db(self) -> Path:  # what analysts open read-only; replaced atomically
        return self.warehouse / "city.duckdb"

    @property
    def tenant_dbs(self) -> Path:
        return self.warehouse / "tenants"

    @property
    def reports(self) -> Path:
        return self.home / "reports"

    @property
    def receipts(self) -> Path:
        return self.home / "receipts"

    @property
    def refused(self) -> Path:  # files that will not be taken in, moved out of landing/ with their receipt
        return self.home / "refused"

    @property
    def portal(self) -> Path:  # the portal's accounts, sessions and audit log (accounts.sqlite), its key, uploads
        return self.home / "portal_data"

    @property
    def review_ledger(self) -> Path:  # corrections, confirmations and reviews of figures, append-only (SQLite)
        return self.home / "review_data" / "reviews.sqlite"

    @property
    def registry(self) -> Path:
        """The federation's registry the city edits: <home>/registry.csv (`uwh init --registry FILE` puts it there);
        without one, the bundled demo registry. Every run loads it into raw.tenants, which dbt reads."""
        own = self.home / "registry.csv"
        return own if own.exists() else BUNDLED_REGISTRY

    def ensure(self) -> Layout:
        for d in (
            self.landing,
            self.archive,
            self.quarantine,
            self.receipts,
            self.refused,
            self.work_db.parent,
            self.warehouse,
            self.tenant_dbs,
            self.reports,
            self.portal,
        ):
            d.mkdir(parents=True, exist_ok=True)
        return self
