"""Publication: the city file analysts open read-only, and one file per district holding only that district's rows.

Both are built beside their target and swapped in with os.replace, so a reader never sees half a warehouse and a
reader that has the old file open keeps working. A district's file is rebuilt only when its rows changed (a
fingerprint of them per table, kept in warehouse/tenants/.fingerprints.json): a run after one district's new file
rewrites that district's file, not thousands.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

import duckdb
import pyarrow as pa

from core.config import Layout
from core.fingerprints import FingerprintStore, content_hash
from intake.warehouse import audit, connect, publish_copy

# Tables copied into a district's own file, each filtered to that district: how a row's district is found.
_BY_OWN_CODE = "SELECT district_code AS _district, * FROM {table}"
_BY_SUBMISSION = "SELECT s.district_code AS _district, t.* FROM {table} t JOIN raw.submissions s USING (submission_id)"
TENANT_TABLES = {
    "marts.dim_district": _BY_OWN_CODE,
    "marts.fct_spending": _BY_OWN_CODE,
    "marts.fct_beneficiaries": _BY_OWN_CODE,
    "marts.fct_subsidies": _BY_OWN_CODE,
    "marts.dq_findings": _BY_OWN_CODE,
    "reports.rpt_city_rollup": _BY_OWN_CODE,
    "raw.submissions": _BY_OWN_CODE,
    "raw.facts": _BY_SUBMISSION,
    "raw.scan_places": _BY_SUBMISSION,
    "raw.submission_findings": _BY_SUBMISSION,
}


TENANT_BLOCK_SIZE = 16 * 1024


@dataclass
class Published:
    city: Path
    tenants: list[Path]  # the district files rewritten by this publication
    tenants_current: int = 0  # district files left as they were: none of their rows changed


def tenant_fingerprints(con: duckdb.DuckDBPyConnection, codes: list[str]) -> dict[str, str]:
    """Per district: a digest of its rows in every published table and of the tables' columns. raw.facts and
    raw.submission_findings never change under a submission_id, so raw.submissions stands for them."""
    per_table: dict[str, list[str]] = {code: [] for code in codes}
    for table, rows in TENANT_TABLES.items():
        if rows is not _BY_OWN_CODE:
            continue
        # An order-free sum of row hashes (DuckDB's hash() of the whole row) and the row count: 15× cheaper than
        # hashing the rows' text, and any changed, added or removed row changes it.
        for code, digest in con.execute(f"""SELECT district_code, concat_ws(':', count(*), sum(hash(t)::HUGEINT))
                                             FROM {table} t GROUP BY district_code""").fetchall():
            if code in per_table:
                per_table[code].append(f"{table}={digest}")
    (columns,) = con.execute("""SELECT md5(string_agg(concat_ws('.', table_schema, table_name, column_name, data_type),
                                                      '|' ORDER BY table_schema, table_name, ordinal_position))
                                FROM information_schema.columns
                                WHERE table_schema IN ('raw', 'marts', 'reports')""").fetchall()[0]
    where = content_hash(*TENANT_TABLES.items())
    return {code: content_hash(code, columns, where, *sorted(parts)) for code, parts in per_table.items()}


def tenant_slices(con: duckdb.DuckDBPyConnection, codes: list[str]) -> dict[str, dict[str, pa.Table]]:
    """Every published table's rows for these districts, read once per table (not once per district and table:
    that was quadratic, 3,000 scans of raw.facts at a province's size), as zero-copy slices per district."""
    slices: dict[str, dict[str, pa.Table]] = {code: {} for code in codes}
    for table, rows in TENANT_TABLES.items():
        data = con.sql(
            f"SELECT * FROM ({rows.format(table=table)}) WHERE list_contains($codes, _district) ORDER BY _district",
            params={"codes": codes},
        ).to_arrow_table()
        districts = data.column("_district").to_pylist()
        data = data.drop_columns(["_district"])
        start = 0
        for code, group in groupby(districts):
            n = sum(1 for _ in group)
            slices[code][table] = data.slice(start, n)
            start += n
        for code in codes:
            slices[code].setdefault(table, data.slice(0, 0))
    return slices


def write_tenant_file(base: duckdb.DuckDBPyConnection, target: Path, tables: dict[str, pa.Table]) -> Path:
    """One district's file, built beside the target and swapped in, through a cursor of `base` (an in-memory
    database shared by the writing threads: a fresh database per file cost a third of the time) and in one
    transaction (one commit, not one per table). Small blocks: a district's rows are a few hundred kB, and DuckDB's
    default 256 kB block per table made each file 2.6 MB (6 GB for 3,000 districts)."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.unlink(missing_ok=True)
    alias = f"tenant_{threading.get_ident()}"
    con = base.cursor()
    try:
        con.execute(f"ATTACH '{tmp}' AS {alias} (BLOCK_SIZE {TENANT_BLOCK_SIZE})")
        con.execute("BEGIN")
        for schema in sorted({table.split(".")[0] for table in tables}):
            con.execute(f"CREATE SCHEMA {alias}.{schema}")
        for table, rows in tables.items():
            con.register(f"incoming_{alias}", rows)
            con.execute(f"CREATE TABLE {alias}.{table} AS SELECT * FROM incoming_{alias}")
            con.unregister(f"incoming_{alias}")
        con.execute("COMMIT")
        con.execute(f"DETACH {alias}")
    finally:
        con.close()
    os.replace(tmp, target)
    return target


def publish_warehouse(layout: Layout, tenant_codes: list[str]) -> Published:
    con = connect(layout.work_db)
    try:  # recorded before the copy, so the published file carries its own publication in raw.audit_log
        audit(con, "pipeline", "published", detail=f"{layout.published_db} and {len(tenant_codes)} tenant files")
    finally:
        con.close()
    city = publish_copy(layout.work_db, layout.published_db)
    layout.tenant_dbs.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(layout.work_db), read_only=True) as con:
        fingerprints = tenant_fingerprints(con, tenant_codes)
        store = FingerprintStore(layout.tenant_dbs)
        stale = [c for c in tenant_codes if not store.is_current(layout.tenant_dbs / f"{c}.duckdb", fingerprints[c])]
        # Read from the work file, not the published one: an analyst may hold the published path open in this process.
        slices = tenant_slices(con, stale) if stale else {}
    published = Published(city=city, tenants=[], tenants_current=len(tenant_codes) - len(stale))
    # Each file is its own DuckDB database and DuckDB releases the GIL while writing: one thread per core.
    with duckdb.connect(config={"threads": 1}) as base, ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        targets = pool.map(
            lambda code: write_tenant_file(base, layout.tenant_dbs / f"{code}.duckdb", slices[code]), stale
        )
        for code, target in zip(stale, targets):
            published.tenants.append(target)
            store.record(target, fingerprints[code])
    store.save()
    return published
