"""The tenant registry: a CSV the city edits, in the installation's home (loaded into raw.tenants for dbt each run).

Adding a district is a row in that file, never a code change. The registry decides which tenant a submission
belongs to; a document's own text never does.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from core.config import BUNDLED_REGISTRY

DEFAULT_REGISTRY = BUNDLED_REGISTRY
_CODE = re.compile(r"^\d{6}$")


@dataclass(frozen=True)
class Tenant:
    district_code: str
    district_name: str
    union_name: str
    city_name: str
    active: bool


class UnknownTenant(ValueError):
    pass


def load_tenants(path: Path | None = None) -> dict[str, Tenant]:
    """Registry rows keyed by 6-digit division code, in file order."""
    path = Path(path or DEFAULT_REGISTRY)
    tenants: dict[str, Tenant] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for lineno, row in enumerate(csv.DictReader(fh), start=2):
            code = (row.get("district_code") or "").strip()
            if not _CODE.match(code):
                raise ValueError(f"{path}:{lineno}: district_code {code!r} is not a 6-digit division code")
            if code in tenants:
                raise ValueError(f"{path}:{lineno}: district_code {code} is listed twice")
            tenants[code] = Tenant(
                district_code=code,
                district_name=row["district_name"].strip(),
                union_name=(row.get("union_name") or row["district_name"] + "总工会").strip(),
                city_name=(row.get("city_name") or "").strip(),
                active=(row.get("active") or "true").strip().lower() in {"true", "1", "yes", "y"},
            )
    return tenants


def require_tenant(code: str, tenants: dict[str, Tenant]) -> Tenant:
    if code not in tenants:
        raise UnknownTenant(code)
    return tenants[code]


def tenant_for_org(org: str | None, tenants: dict[str, Tenant]) -> Tenant | None:
    """The registry entry whose district or union name the given organisation name contains, if exactly one does."""
    if not org:
        return None
    hits = [t for t in tenants.values() if t.union_name in org or t.district_name in org]
    return hits[0] if len(hits) == 1 else None


def tenants_named(text: str, tenants: dict[str, Tenant]) -> list[Tenant]:
    """Registered unions a stretch of text names: by their union's full name, else by their district's name."""
    by_union = [t for t in tenants.values() if t.union_name in text]
    return by_union or [t for t in tenants.values() if t.district_name in text]


def tenant_named(text: str, tenants: dict[str, Tenant]) -> Tenant | None:
    named = tenants_named(text, tenants)
    return named[0] if len(named) == 1 else None
