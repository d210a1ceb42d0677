"""A federation is a configuration: `uwh init` starts a second federation in an empty home from its registry file, and
the same code takes in, builds and publishes it — its districts, never the bundled 衡阳 ones."""

from __future__ import annotations

import dagster as dg
import duckdb
import pytest

from core.config import Layout
from ingest.tenants import load_tenants
from intake.landing import land_file
from orchestration.runner import run_pipeline
from union_warehouse.cli import main

REGISTRY = """district_code,district_name,union_name,city_name,active
430902,资阳区,资阳区总工会,益阳市,true
430903,赫山区,赫山区总工会,益阳市,true
"""
REPORT = (
    "{union}2023年度部门整体支出绩效报告\n一、部门概况\n部门整体支出为{total}万元，其中基本支出60.00万元，"
    "项目支出{project}万元。\n"
)


def test_init_refuses_a_bad_registry_and_a_used_home(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("district_code,district_name\n12,某区\n", encoding="utf-8")
    assert main(["init", "--registry", str(bad), "--home", str(tmp_path / "a")]) == 2
    assert "登记名册无法读取" in capsys.readouterr().err
    good = tmp_path / "good.csv"
    good.write_text(REGISTRY, encoding="utf-8")
    assert main(["init", "--registry", str(good), "--home", str(tmp_path / "b")]) == 0
    assert main(["init", "--registry", str(good), "--home", str(tmp_path / "b")]) == 2
    assert "未做任何改动" in capsys.readouterr().err


@pytest.mark.e2e
def test_a_second_federation_runs_end_to_end(tmp_path, capsys):
    registry = tmp_path / "益阳市名册.csv"
    registry.write_text(REGISTRY, encoding="utf-8")
    home = tmp_path / "yiyang"
    assert main(["init", "--registry", str(registry), "--home", str(home)]) == 0
    assert "益阳市" in capsys.readouterr().out and (home / "rules.toml").exists()
    layout = Layout(home)
    assert layout.registry == home / "registry.csv"
    for code, union, total, project in [
        ("430902", "资阳区总工会", "100.00", "40.00"),
        ("430903", "赫山区总工会", "90.00", "30.00"),
    ]:
        data = REPORT.format(union=union, total=total, project=project).encode("utf-8")
        land_file(layout.landing, tmp_path / "报告.txt", 2023, code, data)
    (tmp_path / "dagster").mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path / "dagster")) as instance:
        summary = run_pipeline(layout, instance, codes=list(load_tenants(layout.registry)))
    assert summary.success, (summary.error, summary.failed_checks)
    con = duckdb.connect(str(layout.published_db), read_only=True)
    try:
        rows = con.execute("""SELECT district_code, district_name, status, total_spending_yuan
                              FROM reports.rpt_city_rollup ORDER BY 1""").fetchall()
    finally:
        con.close()
    assert rows == [("430902", "资阳区", "accepted", 1_000_000), ("430903", "赫山区", "accepted", 900_000)]
