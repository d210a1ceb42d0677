"""City rules (expectations/city) as blocking asset checks: a failure stops the report and publication."""

import json

import dagster as dg

from expectations.city_suite import city_rules, run_city_rule
from orchestration.defs.resources import WarehouseResource
from reporting.validation_page import render_validation_page

ROLLUP = dg.AssetKey(["reports", "rpt_city_rollup"])
TOTALS = dg.AssetKey(["reports", "rpt_city_totals"])


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(
            rule.id,
            asset=ROLLUP,
            blocking=True,
            additional_deps=[TOTALS],
            description=f"{rule.title} ({rule.severity})",
        )
        for rule in city_rules()
    ],
)
def city_reconciliation(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    with warehouse.reader() as con:
        validation = warehouse.layout.reports / "validation"
        outcomes = [run_city_rule(con, rule, docs_dir=validation / "gx") for rule in city_rules()]
        page = render_validation_page(con, outcomes, validation / "index.html")
    context.log.info(f"validation page: {page}")
    for outcome in outcomes:
        if not outcome.passed:
            context.log.error(f"{outcome.rule.id} failed: {outcome.rule.message_zh} {outcome.failures[:5]}")
        yield dg.AssetCheckResult(
            check_name=outcome.rule.id,
            asset_key=ROLLUP,
            passed=outcome.passed,
            severity=dg.AssetCheckSeverity.ERROR,
            # a passing check carries no failure text; a failing one its rows as data and its message
            metadata={"figures_checked": outcome.checked}
            if outcome.passed
            else {
                "figures_checked": outcome.checked,
                "failures": dg.MetadataValue.json(json.loads(json.dumps(outcome.failures[:20], default=str))),
                "message": outcome.rule.message_zh,
            },
        )
