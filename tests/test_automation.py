"""The landing sensor and the nightly schedule, evaluated against a real Dagster instance and a real landing folder."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from orchestration.defs.automation import landing_sensor, nightly_city_build
from orchestration.defs.resources import WarehouseResource


@pytest.fixture()
def home(tmp_path):
    (tmp_path / "landing" / "2022" / "430405").mkdir(parents=True)
    (tmp_path / "landing" / "2022" / "430405" / "报告.txt").write_text("珠晖区总工会", encoding="utf-8")
    (tmp_path / "landing" / "2023" / "999999").mkdir(parents=True)  # not in the registry
    (tmp_path / "landing" / "2023" / "999999" / "x.txt").write_text("x", encoding="utf-8")
    return tmp_path


def evaluate_sensor(instance, home, cursor=None):
    context = dg.build_sensor_context(
        instance=instance, cursor=cursor, resources={"warehouse": WarehouseResource(home=str(home))}
    )
    return landing_sensor(context)


def test_sensor_requests_the_year_of_a_new_file_once(home):
    with dg.instance_for_test() as instance:
        result = evaluate_sensor(instance, home)
        assert [r.partition_key for r in result.run_requests] == ["2022"]
        added = {r.partitions_def_name: r.partition_keys for r in result.dynamic_partitions_requests}
        assert added == {"year": ["2022"]}  # 2023 holds only an unknown district's folder
        instance.add_dynamic_partitions("year", added["year"])
        # Nothing new on the next tick; a file in another year requests only that year.
        assert evaluate_sensor(instance, home, result.cursor).run_requests == []
        (home / "landing" / "2023" / "430406").mkdir(parents=True)
        (home / "landing" / "2023" / "430406" / "b.txt").write_text("雁峰区", encoding="utf-8")
        later = evaluate_sensor(instance, home, result.cursor)
        assert [r.partition_key for r in later.run_requests] == ["2023"]
        assert [(r.partitions_def_name, r.partition_keys) for r in later.dynamic_partitions_requests] == [
            ("year", ["2023"])
        ]
        instance.add_dynamic_partitions("year", ["2023"])
        # Two districts' new files in one year are one run; an untouched year is not requested again.
        (home / "landing" / "2023" / "430407").mkdir(parents=True)
        (home / "landing" / "2023" / "430407" / "c.txt").write_text("石鼓区", encoding="utf-8")
        (home / "landing" / "2023" / "430406" / "d.txt").write_text("雁峰区", encoding="utf-8")
        third = evaluate_sensor(instance, home, later.cursor)
        assert [r.partition_key for r in third.run_requests] == ["2023"]
        assert third.dynamic_partitions_requests == []


def test_nightly_schedule_runs_the_whole_graph_at_two_in_shanghai_over_every_partition(home):
    assert nightly_city_build.cron_schedule == "0 2 * * *"
    assert nightly_city_build.execution_timezone == "Asia/Shanghai"
    assert nightly_city_build.job_name == "city_pipeline"
    with dg.instance_for_test() as instance:
        context = dg.build_schedule_context(
            instance=instance, scheduled_execution_time=datetime(2026, 11, 24, 2, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
        )
        assert isinstance(nightly_city_build(context), dg.SkipReason)  # no year registered yet
        instance.add_dynamic_partitions("year", ["2021", "2022", "2023"])
        request = nightly_city_build(context)
        assert request.tags["dagster/asset_partition_range_start"] == "2021"
        assert request.tags["dagster/asset_partition_range_end"] == "2023"
