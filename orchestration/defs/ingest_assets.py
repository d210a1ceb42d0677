"""raw.* tables by year partition: landed files → archive → facts → rule verdict.

One run may cover many years (single-run backfill policy): the nightly run takes in every year in one Dagster run.
Within a year only files not seen before cost anything. A failure in one district is logged and recorded, and the
others go on.
"""

from collections import Counter

import dagster as dg

from intake.landing import landed_partitions
from intake.ledger import awaiting_acceptance
from intake.review_ledger import ReviewLedger
from intake.submission import ingest_landed
from intake.warehouse import load_registry, load_review_events
from intake.work_lock import clean_stale_temporaries
from orchestration.defs.partitions import year_partitions
from orchestration.defs.resources import WarehouseResource
from orchestration.recovery import record_run_process

RAW_TABLES = [
    "submissions", "facts", "scan_places", "submission_findings", "audit_log", "tenants",
    "fact_corrections", "added_facts", "confirmations", "reviews",
]  # fmt: skip
RULES_CHECK = "submission_rules"
STATUS_LINES = 300


def _district_years(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> list[tuple[str, int]]:
    """Registered districts with files in the requested years (unknown codes are reported by `uwh run`)."""
    years, tenants = set(context.partition_keys), warehouse.tenants()
    return [
        (code, year)
        for code, year in landed_partitions(warehouse.layout.landing)
        if str(year) in years and code in tenants
    ]


@dg.multi_asset(
    name="raw_by_year",
    specs=[
        dg.AssetSpec(["raw", t], description=f"raw.{t} in the DuckDB work file", kinds={"duckdb"}) for t in RAW_TABLES
    ],
    check_specs=[
        dg.AssetCheckSpec(
            RULES_CHECK,
            asset=["raw", "facts"],
            description="Per-submission rule catalogue (expectations/rules); fatal → 待更正",
        )
    ],
    partitions_def=year_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name="ingest",
)
def raw_by_year(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    layout, tenants = warehouse.layout, warehouse.tenants()
    record_run_process(context)  # so a crash of this run can be told from a run in progress
    with warehouse.writer() as con:
        load_registry(con, tenants)  # dbt's districts are the registry this run reads
        # what districts and the city said of the figures since the last run (the ledger is written at once)
        reviewed = load_review_events(con, ReviewLedger(layout.review_ledger).events())
        if reviewed:
            context.log.info(f"review events taken in: {reviewed}")
        for leftover in clean_stale_temporaries(layout.warehouse, layout.landing, layout.archive):
            context.log.warning(f"removed a half-written file of a crashed run: {leftover}")
        outcomes = ingest_landed(
            con,
            archive_dir=layout.archive,
            landing_root=layout.landing,
            tenants=tenants,
            district_years=_district_years(context, warehouse),
            receipts_dir=layout.receipts,
            refused_dir=layout.refused,
        )
        still_rejected = awaiting_acceptance(con, list(tenants))
    # Each log line is a stored Dagster event (~10 ms): only what someone must look at is logged one by one.
    for o in outcomes:
        if o.status not in {"accepted", "duplicate"}:
            context.log.warning(f"[{o.district_code} {o.year or ''}] {o.status}: {o.message}")
    new = [o for o in outcomes if o.status != "duplicate"]
    counts = Counter(o.status for o in outcomes)
    context.log.info(f"files seen {len(outcomes)}, new {len(new)}: {dict(counts)}")
    # Files needing attention first: a full run's thousands of acceptances must not push them out of the metadata.
    ordered = sorted(new, key=lambda o: o.status == "accepted")
    shown = [
        {
            "district_code": o.district_code,
            "year": o.year,
            "file": o.file_name,
            "status": o.status,
            "message": o.message,
        }
        for o in ordered[:STATUS_LINES]
    ]
    for table in RAW_TABLES:
        yield dg.MaterializeResult(
            asset_key=["raw", table],
            metadata={
                "files_seen": len(outcomes),
                "files_new": len(new),
                **{f"files_{s}": n for s, n in sorted(counts.items())},
                "new_files": dg.MetadataValue.json(shown),  # typed: read back as data, never parsed
            },
        )
    findings = [f for o in new for f in o.findings]
    fatal = [f for f in findings if f.severity == "fatal"]
    yield dg.AssetCheckResult(
        check_name=RULES_CHECK,
        asset_key=["raw", "facts"],
        # green only when no district-year in the warehouse is still without an accepted version, whatever this
        # batch held (a run of good files used to turn it green while two districts were still 待更正)
        passed=not still_rejected,
        # A rejected district-year is shown as 待更正 and kept out of the sums; it must not stop other districts.
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "district_years_awaiting_correction": len(still_rejected),
            "awaiting_correction": dg.MetadataValue.json(still_rejected[:STATUS_LINES]),
            "batch_fatal": len(fatal),
            "batch_warnings": len(findings) - len(fatal),
            **(
                {"batch_findings": "\n".join(f"{f.rule_id} {f.severity}: {f.message}" for f in findings)[:8000]}
                if findings
                else {}
            ),
        },
    )
