"""raw.* tables by district-year partition: landed files → archive → facts → rule verdict.

One run may cover many partitions (single-run backfill policy): the nightly run takes in every district-year in one
Dagster run. A failure in one district-year is logged and recorded, and the others go on.
"""

import dagster as dg

from ingest.intake import landed_partitions
from ingest.submission import SubmissionOutcome, ingest_partition
from orchestration.defs.partitions import district_year_partitions
from orchestration.defs.resources import WarehouseResource

RAW_TABLES = ["submissions", "facts", "submission_findings", "audit_log"]
RULES_CHECK = "submission_rules"


def _partitions_with_files(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> list[tuple[str, int]]:
    requested = set(context.partition_keys)
    return [(code, year) for code, year in landed_partitions(warehouse.layout.landing)
            if f"{code}|{year}" in requested]


@dg.multi_asset(
    name="raw_district_year",
    specs=[dg.AssetSpec(["raw", t], description=f"raw.{t} in the DuckDB work file", kinds={"duckdb"})
           for t in RAW_TABLES],
    check_specs=[dg.AssetCheckSpec(RULES_CHECK, asset=["raw", "facts"],
                                   description="Per-submission rule catalogue (expectations/rules); fatal → 待更正")],
    partitions_def=district_year_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name="ingest",
)
def raw_district_year(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    layout, tenants = warehouse.layout, warehouse.tenants()
    outcomes: list[SubmissionOutcome] = []
    with warehouse.writer() as con:
        for code, year in _partitions_with_files(context, warehouse):
            taken = ingest_partition(con, archive_dir=layout.archive, landing_root=layout.landing,
                                     tenants=tenants, district_code=code, year=year, receipts_dir=layout.receipts)
            for o in taken:
                log = context.log.info if o.status in {"accepted", "duplicate"} else context.log.warning
                log(f"[{code} {year}] {o.status}: {o.message}")
            outcomes += taken
    statuses = "\n".join(f"{o.district_code} {o.year} {o.file_name}: {o.status}" for o in outcomes)
    for table in RAW_TABLES:
        yield dg.MaterializeResult(asset_key=["raw", table],
                                   metadata={"files": len(outcomes), "statuses": statuses or "no file landed"})
    findings = [f for o in outcomes for f in o.findings if o.status != "duplicate"]
    fatal = [f for f in findings if f.severity == "fatal"]
    yield dg.AssetCheckResult(
        check_name=RULES_CHECK, asset_key=["raw", "facts"], passed=not fatal,
        # A rejected district-year is shown as 待更正 and kept out of the sums; it must not stop other districts.
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"fatal": len(fatal), "warnings": len(findings) - len(fatal),
                  "findings": "\n".join(f"{f.rule_id} {f.severity}: {f.message}" for f in findings)[:8000] or "none"},
    )
