"""Publication: the city file analysts open read-only, and one file per district holding only that district's rows.

Both are built beside their target and swapped in with os.replace, so a reader never sees half a warehouse and a
reader that has the old file open keeps working. A district's file is rebuilt only when its rows changed (a
fingerprint of them per table, kept in warehouse/tenants/.fingerprints.json): a run after one district's new file
rewrites that district's file, not thousands.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingest.warehouse import audit, connect, publish_copy
from union_warehouse.config import Layout
from union_warehouse.fingerprints import FingerprintStore, content_hash

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
    tenants: list[Path]              # the district files rewritten by this publication
    tenants_current: int = 0         # district files left as they were: none of their rows changed


def tenant_fingerprints(con: duckdb.DuckDBPyConnection, codes: list[str]) -> dict[str, str]:
    """Per district: a hash of its rows in every published table and of the tables' columns. raw.facts and
    raw.submission_findings never change under a submission_id, so raw.submissions stands for them."""
    per_table: dict[str, list[str]] = {code: [] for code in codes}
    for table, where in TENANT_TABLES.items():
        if where != "district_code = $code":
            continue
        for code, digest in con.execute(f"""SELECT district_code, md5(string_agg(CAST(t AS VARCHAR), '|'
                                                    ORDER BY CAST(t AS VARCHAR)))
                                             FROM {table} t GROUP BY district_code""").fetchall():
            if code in per_table:
                per_table[code].append(f"{table}={digest}")
    (columns,) = con.execute("""SELECT md5(string_agg(concat_ws('.', table_schema, table_name, column_name, data_type),
                                                      '|' ORDER BY table_schema, table_name, ordinal_position))
                                FROM information_schema.columns
                                WHERE table_schema IN ('raw', 'marts', 'reports')""").fetchone()
    where = content_hash(*TENANT_TABLES.items())
    return {code: content_hash(code, columns, where, *sorted(parts)) for code, parts in per_table.items()}


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
    with duckdb.connect(str(layout.work_db), read_only=True) as con:
        fingerprints = tenant_fingerprints(con, tenant_codes)
    store, published = FingerprintStore(layout.tenant_dbs), Published(city=city, tenants=[])
    for code in tenant_codes:
        target = layout.tenant_dbs / f"{code}.duckdb"
        if store.is_current(target, fingerprints[code]):
            published.tenants_current += 1
            continue
        # Read from the work file, not the published one: an analyst may hold the published path open in this process.
        published.tenants.append(publish_tenant(layout.work_db, target, code))
        store.record(target, fingerprints[code])
    store.save()
    return published
