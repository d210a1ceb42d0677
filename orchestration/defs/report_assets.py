"""The city report files and each district's feedback page, then the atomic publication of the warehouse."""

import dagster as dg

from intake.publish import publish_warehouse
from orchestration.defs.resources import WarehouseResource
from reporting import reconcile as report_files
from reporting.build import render_all_reports

REPORT_INPUTS = [
    ["reports", "rpt_city_rollup"],
    ["reports", "rpt_city_totals"],
    ["marts", "fct_spending"],
    ["marts", "fct_beneficiaries"],
    ["marts", "fct_subsidies"],
    ["marts", "dq_findings"],
    ["marts", "dim_district"],
]


@dg.asset(
    key=["reports", "city_report_files"],
    deps=REPORT_INPUTS,
    group_name="reports",
    kinds={"html", "excel"},
    automation_condition=dg.AutomationCondition.eager(),
    description="reports/<year>/city_report.html, city_report.xlsx and feedback/<district>.html "
    "(only those whose rows changed)",
)
def city_report_files(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    layout = warehouse.layout
    rendered = render_all_reports(layout.work_db, layout.reports)
    city = [str(p) for p in rendered.written if p.name.startswith("city_report")]
    context.log.info(f"wrote {len(rendered.written)} files, {rendered.current} already current")
    return dg.MaterializeResult(
        metadata={
            "files_written": len(rendered.written),
            "files_current": rendered.current,
            "city_reports_written": "\n".join(city)[:4000] or "none",
        }
    )


@dg.asset_check(
    asset=["reports", "city_report_files"],
    name=report_files.RULE_ID,
    blocking=True,
    description="REC003 (city): every figure in the workbooks equals reports.rpt_city_rollup",
)
def report_files_match_warehouse(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.reader() as con:
        compared, problems = report_files.reconcile_workbooks(con, warehouse.layout.reports)
    return dg.AssetCheckResult(
        passed=not problems,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "figures_compared": compared,
            "differences": "\n".join(problems[:50]),
            "message": report_files.MESSAGE_ZH,
        },
    )


@dg.asset(
    key=["warehouse", "published"],
    deps=[["reports", "city_report_files"]],
    group_name="reports",
    kinds={"duckdb"},
    automation_condition=dg.AutomationCondition.eager(),
    description="warehouse/city.duckdb (atomic swap) and warehouse/tenants/<code>.duckdb",
)
def published_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    layout = warehouse.layout
    published = publish_warehouse(layout, list(warehouse.tenants()))
    context.log.info(f"published {published.city}")
    return dg.MaterializeResult(
        metadata={
            "path": str(published.city),
            "tenant_files_written": len(published.tenants),
            "tenant_files_current": published.tenants_current,
        }
    )
