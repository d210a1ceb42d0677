"""Publication: the city file analysts open read-only, and one file per district holding only that district's rows.

Both are built beside their target and swapped in with os.replace, so a reader never sees half a warehouse and a
reader that has the old file open keeps working.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingest.warehouse import audit, connect, publish_copy
from union_warehouse.config import Layout

# Tables copied into a district's own file, each filtered to that district.
TENANT_TABLES = {
    "marts.dim_district": "district_code = $code",
    "marts.fct_spending": "district_code = $code",
    "marts.fct_beneficiaries": "district_code = $code",
    "marts.fct_subsidies": "district_code = $code",
    "marts.dq_findings": "district_code = $code",
    "reports.rpt_city_rollup": "district_code = $code",
    "raw.submissions": "district_code = $code",
    "raw.facts": "submission_id IN (SELECT submission_id FROM src.raw.submissions WHERE district_code = $code)",
    "raw.submission_findings":
        "submission_id IN (SELECT submission_id FROM src.raw.submissions WHERE district_code = $code)",
}


@dataclass
class Published:
    city: Path
    tenants: list[Path]


def publish_tenant(source: Path, target: Path, code: str) -> Path:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        con.execute(f"ATTACH '{source}' AS src (READ_ONLY)")
        for table, where in TENANT_TABLES.items():
            schema, name = table.split(".")
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM src.{schema}.{name} WHERE {where}", {"code": code})
        con.execute("DETACH src")
    finally:
        con.close()
    os.replace(tmp, target)
    return target


def publish_warehouse(layout: Layout, tenant_codes: list[str]) -> Published:
    con = connect(layout.work_db)
    try:   # recorded before the copy, so the published file carries its own publication in raw.audit_log
        audit(con, "pipeline", "published", detail=f"{layout.published_db} and {len(tenant_codes)} tenant files")
    finally:
        con.close()
    city = publish_copy(layout.work_db, layout.published_db)
    layout.tenant_dbs.mkdir(parents=True, exist_ok=True)
    # Read from the work file, not the published one: an analyst may hold the published path open in this process.
    tenants = [publish_tenant(layout.work_db, layout.tenant_dbs / f"{code}.duckdb", code) for code in tenant_codes]
    return Published(city=city, tenants=tenants)
