"""The nightly 02:00 build is a promise: by 03:00 Beijing time the published warehouse must have been replaced within
the last day, or its freshness check fails (and shows red in the UI) — a silent scheduler is seen the same morning."""

import warnings
from datetime import timedelta

import dagster as dg

from orchestration.defs.report_assets import published_warehouse

# Dagster 1.13 prefers FreshnessPolicy, which only the daemon evaluates; these checks run in-process and in tests too,
# so they are kept and their supersession notice is not printed to every `uwh` user.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", category=dg.SupersessionWarning)
    published_freshness = dg.build_last_update_freshness_checks(
        assets=[published_warehouse],
        deadline_cron="0 3 * * *",
        lower_bound_delta=timedelta(hours=24),
        timezone="Asia/Shanghai",
    )
    published_freshness_sensor = dg.build_sensor_for_freshness_checks(
        freshness_checks=published_freshness, default_status=dg.DefaultSensorStatus.RUNNING
    )
published_freshness_job = dg.define_asset_job(
    "published_freshness", selection=dg.AssetSelection.checks(*published_freshness)
)
