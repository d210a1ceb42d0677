"""The demo federation's accounts: one clerk per district and one city account, with passwords printed by `make demo`
(a real federation creates accounts with `uwh users add`, which issues one-time invitation links instead)."""

from __future__ import annotations

from core.config import Layout
from ingest.tenants import load_tenants
from portal.accounts import AccountStore, Role

CITY_ACCOUNT = ("city", "demo-city-2024")
ADMIN_ACCOUNT = ("admin", "demo-admin-2024")


def district_account(code: str) -> tuple[str, str]:
    return f"d{code}", f"demo-{code}"


def ensure_demo_accounts(layout: Layout) -> list[tuple[str, str, str]]:
    """(username, password, who) of every demo account; created when missing, never changed when present."""
    store = AccountStore(layout.portal / "accounts.sqlite")
    accounts: list[tuple[str, str, Role, str | None, str]] = [
        (*CITY_ACCOUNT, Role.CITY, None, "市总工会"),
        (*ADMIN_ACCOUNT, Role.ADMIN, None, "管理员"),
    ]
    accounts += [
        (*district_account(code), Role.DISTRICT, code, t.union_name)
        for code, t in load_tenants(layout.registry).items()
    ]
    for username, password, role, code, name in accounts:
        if store.user(username) is None:
            store.add_user(username, role, district_code=code, display_name=name, password=password)
    return [(username, password, name) for username, password, _, _, name in accounts]
