"""The real dbt project built on a real DuckDB file holding a small raw layer with every status a district-year can
be in; the marts and reports are checked against figures computed here from the fixture, not by the models."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime

import duckdb
import pytest

from core.config import DBT_PROJECT_DIR
from core.dbt_manifest import DBT_EXECUTABLE, dbt_env, dbt_vars
from ingest.tenants import load_tenants
from intake import warehouse

SUBMISSIONS = [  # (submission_id, code, year, version, status)
    ("430405-2022-v1", "430405", 2022, 1, "superseded"),
    ("430405-2022-v2", "430405", 2022, 2, "accepted"),
    ("430405-2022-v3", "430405", 2022, 3, "rejected"),  # a failing correction must not knock out v2
    ("430406-2022-v1", "430406", 2022, 1, "rejected"),
    ("430499-2022-v1", "430499", 2022, 1, "accepted"),  # a district since deleted from the registry
    ("430405-2025-v1", "430405", 2025, 1, "quarantined"),  # a file about another year, dropped in landing/2025
    ("430405-2021-v1", "430405", 2021, 1, "accepted"),  # the year before: comparable with 2022
    ("430406-2021-v1", "430406", 2021, 1, "accepted"),  # accepted in 2021, rejected in 2022: not comparable
]
V2_FACTS = [  # fact_id, kind, category, value, unit, measure, parent, derived
    ("f1", "amount", "spending.total", 1_077_000, "万元", "actual", None, False),
    ("f2", "amount", "spending.basic", 715_600, "万元", "actual", "f1", False),
    ("f3", "amount", "spending.project", 361_400, "元", "actual", "f1", True),  # derived: never summed
    ("f4", "amount", "aid.hardship", 298_000, "元", "actual", None, False),
    ("f5", "amount", "aid.medical", 93_000, "元", "actual", "f4", False),
    ("f6", "count", "aid.medical", 7, "人次", None, "f5", False),
    ("f7", "amount", "aid.warmth", 314_029, "元", "actual", None, False),
    ("f8", "count", "aid.warmth", 933, "人次", None, "f7", False),
    ("f9", "amount", "aid.other", 50_000, "元", "budget", None, False),  # a budget: never summed
    ("f10", "amount", "subsidy.lower", 480_000, "元", "actual", None, False),
    ("f11", "count", "subsidy.lower", 10, "个", None, "f10", False),
    ("f12", "amount", "subsidy.pass_through", 1_000_000, "元", "actual", None, False),
    ("f13", "amount", "activity.culture_sports", 245_686, "元", "actual", None, False),
]


def insert_fact(con, sid, fact_id, kind, category, value, unit, measure, parent, derived):
    con.execute(
        f"INSERT INTO raw.facts ({', '.join(warehouse.FACT_COLUMNS)}) VALUES "
        f"({', '.join('?' * len(warehouse.FACT_COLUMNS))})",
        [
            sid,
            fact_id,
            kind,
            f"{category}-{fact_id}",
            value,
            unit,
            measure,
            parent,
            category,
            "",
            f"句子{fact_id}",
            None,
            None,
            0.5,
            False,
            derived,
            None,
            None,  # restates_fact_id
            None,  # scope
        ],
    )


def write_raw_layer(db) -> None:
    """The fixture's raw layer in a DuckDB work file, as intake writes it (also copied to PostgreSQL)."""
    con = warehouse.connect(db)
    for sid, code, year, version, status in SUBMISSIONS:
        con.execute(
            """INSERT INTO raw.submissions (submission_id, district_code, year, version, sha256, file_name,
                       file_format, size_bytes, received_at, status, extractor_version)
                       VALUES (?, ?, ?, ?, ?, 'x.txt', 'txt', 1, ?, ?, 'test')""",
            [sid, code, year, version, sid, datetime(2023, 1, version), status],
        )
    for fact in V2_FACTS:
        insert_fact(con, "430405-2022-v2", *fact)
    insert_fact(con, "430405-2022-v1", "f1", "amount", "spending.total", 999, "元", "actual", None, False)
    insert_fact(con, "430405-2022-v3", "f1", "amount", "spending.total", 5, "元", "actual", None, False)
    insert_fact(con, "430406-2022-v1", "f1", "amount", "spending.total", 123, "元", "actual", None, False)
    insert_fact(con, "430405-2021-v1", "f1", "amount", "spending.total", 900_000, "元", "actual", None, False)
    insert_fact(con, "430406-2021-v1", "f1", "amount", "spending.total", 200_000, "元", "actual", None, False)
    # a warning of a version since superseded: not the district's any more
    con.execute(
        "INSERT INTO raw.submission_findings VALUES ('430405-2022-v1', 'SUM001', 'warning', '旧版本的提示', "
        "'f1', 1, 2, 1)"
    )
    con.execute(
        "INSERT INTO raw.submission_findings VALUES ('430406-2022-v1', 'BRK001', 'fatal', '明细超过总数', "
        "'f1', 100, 123, 23)"
    )
    warehouse.load_registry(con, load_tenants())  # what the ingest step does at every run
    con.close()


def dbt_build(target_path, *, target: str = "work", **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            DBT_EXECUTABLE,
            "build",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(target_path),
            "--target",
            target,
            "--vars",
            dbt_vars(),
        ],
        env=dbt_env(**env),
        capture_output=True,
        text=True,
        cwd=DBT_PROJECT_DIR,
    )


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("dbt")


@pytest.fixture(scope="module")
def built(build_dir):
    db = build_dir / "work.duckdb"
    write_raw_layer(db)
    result = dbt_build(build_dir / "target", UWH_WORK_DB=str(db))
    assert result.returncode == 0, result.stdout[-3000:]
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def test_every_unit_test_runs_here_and_passes(built, build_dir):
    """The pipeline's nightly build leaves unit tests out (orchestration/defs/dbt_assets.py): this build is where they
    run, every one the project defines."""
    manifest = json.loads((build_dir / "target" / "manifest.json").read_text(encoding="utf-8"))
    defined = {uid for uid in manifest.get("unit_tests", {})}
    results = json.loads((build_dir / "target" / "run_results.json").read_text(encoding="utf-8"))["results"]
    ran = {r["unique_id"]: r["status"] for r in results if r["unique_id"].startswith("unit_test.")}
    assert defined and set(ran) == defined
    assert set(ran.values()) == {"pass"}


def one(con, sql, params=None):
    return con.execute(sql, params or []).fetchone()


def test_rollup_of_the_accepted_version(built):
    row = one(
        built,
        """SELECT status_zh, version, latest_version, total_spending_yuan, basic_spending_yuan,
                               project_spending_yuan, project_spending_derived, total_spending_derived, activity_yuan,
                               aid_yuan, aid_person_times, subsidy_yuan, pass_through_yuan
                               FROM reports.rpt_city_rollup WHERE district_code = '430405' AND year = 2022""",
    )
    aid = 298_000 + 314_029  # top-level actual aid; the item and the budget are not added
    # 项目支出 was not stated: the derived 1,077,000 − 715,600 is shown, flagged, so 基本 + 项目 = 整体 on the page
    assert row == ("已接收", 2, 3, 1_077_000, 715_600, 361_400, True, False, 245_686, aid, 7 + 933, 480_000, 1_000_000)


def test_year_on_year_change_on_a_comparable_basis(built):
    """2021: 430405 and 430406 accepted (1,100,000); 2022: only 430405 (1,077,000). The raw change (−2.1 %)
    mixes coverage with spending; over the district accepted in both years it is 1,077,000 / 900,000 − 1."""
    comparable, ratio, raw_ratio, differs = one(
        built,
        """SELECT comparable_districts, comparable_total_spending_yoy_ratio, total_spending_yoy_ratio,
                  coverage_differs FROM reports.rpt_city_totals WHERE year = 2022""",
    )
    assert comparable == 1 and differs is True
    assert ratio == pytest.approx(1_077_000 / 900_000 - 1)
    assert raw_ratio == pytest.approx(1_077_000 / 1_100_000 - 1)
    assert one(built, "SELECT coverage_differs FROM reports.rpt_city_totals WHERE year = 2021") == (False,)


def test_a_missing_comparison_says_why(built):
    prior = dict(
        built.execute("SELECT district_code, prior_status FROM reports.rpt_city_rollup WHERE year = 2022").fetchall()
    )
    assert prior["430405"] == "accepted" and prior["430406"] == "accepted" and prior["430407"] == "missing"


def test_findings_are_those_of_the_deciding_version(built):
    rules = built.execute(
        "SELECT rule_id FROM marts.dq_findings WHERE district_code = '430405' AND year = 2022"
    ).fetchall()
    assert rules == []  # v1's warning went with v1; v3's rejection does not decide while v2 is accepted
    # a district that has not reported counts its coverage finding, so the page never shows 0 findings for it
    assert one(
        built, "SELECT warning_findings FROM reports.rpt_city_rollup WHERE district_code = '430407' AND year = 2022"
    ) == (1,)


def test_rejected_and_missing_districts(built):
    assert one(
        built,
        "SELECT status_zh, total_spending_yuan, fatal_findings FROM reports.rpt_city_rollup "
        "WHERE district_code = '430406' AND year = 2022",
    ) == ("待更正", None, 1)
    assert one(
        built, "SELECT status_zh FROM reports.rpt_city_rollup WHERE district_code = '430407' AND year = 2022"
    ) == ("未报送",)
    (message,) = one(
        built,
        "SELECT message FROM marts.dq_findings WHERE rule_id = 'COV001' AND district_code = '430407' AND year = 2022",
    )
    assert message == "石鼓区总工会未报送2022年度报告"


def test_a_registry_change_or_a_quarantined_year_never_blocks_or_invents(built):
    """The build above succeeded although a submission's district is no longer registered (its history stays in
    raw, the rollup lists registered districts); a quarantined file's year is no report year."""
    assert one(built, "SELECT count(*) FROM staging.stg_submissions WHERE district_code = '430499'") == (1,)
    assert one(built, "SELECT count(*) FROM reports.rpt_city_rollup WHERE district_code = '430499'") == (0,)
    years = {y for (y,) in built.execute("SELECT DISTINCT year FROM reports.rpt_city_totals").fetchall()}
    assert years == {2021, 2022}


def test_city_totals_count_every_active_district(built):
    assert one(
        built,
        """SELECT districts_expected, districts_accepted, districts_rejected, districts_missing,
                                total_spending_yuan, aid_yuan FROM reports.rpt_city_totals WHERE year = 2022""",
    ) == (12, 1, 1, 10, 1_077_000, 612_029)


def test_only_the_accepted_version_reaches_the_marts(built):
    versions = {
        v for (v,) in built.execute("SELECT DISTINCT version FROM marts.fct_spending WHERE year = 2022").fetchall()
    }
    assert versions == {2}
    assert one(built, "SELECT count(*) FROM marts.fct_beneficiaries")[0] == 6  # f4–f9
    assert one(built, "SELECT person_times FROM marts.fct_beneficiaries WHERE fact_id = 'f8'") == (933,)
    assert one(built, "SELECT recipients FROM marts.fct_subsidies WHERE fact_id = 'f11'") == (10,)


def test_schemas_are_the_contract_names_and_columns_are_documented(built):
    schemas = {s for (s,) in built.execute("SELECT DISTINCT schema_name FROM information_schema.schemata").fetchall()}
    assert {"raw", "staging", "intermediate", "marts", "reports"} <= schemas
    # what analysts read carries its documentation in the file itself (persist_docs → DuckDB comments)
    undocumented = built.execute(
        """SELECT schema_name || '.' || table_name || '.' || column_name FROM duckdb_columns()
           WHERE schema_name IN ('marts', 'reports') AND (comment IS NULL OR comment = '')"""
    ).fetchall()
    assert undocumented == []
    tables = {
        t
        for (t,) in built.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name IN "
            "('marts', 'reports') AND (comment IS NULL OR comment = '')"
        ).fetchall()
    }
    assert tables == set()


def test_dbt_parse_writes_the_manifest_dagster_loads(tmp_path):
    target = tmp_path / "target"
    result = subprocess.run(
        [
            DBT_EXECUTABLE,
            "parse",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(target),
        ],
        env=dbt_env(UWH_WORK_DB=str(tmp_path / "p.duckdb")),
        capture_output=True,
        text=True,
        cwd=DBT_PROJECT_DIR,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    assert (target / "manifest.json").stat().st_size > 10_000


PROVINCE = [  # a province federation: the districts of two cities
    ("430405", "珠晖区", "衡阳市"),
    ("430406", "雁峰区", "衡阳市"),
    ("430902", "资阳区", "益阳市"),
    ("430903", "赫山区", "益阳市"),
]


def test_a_province_federation_sees_its_cities(tmp_path):
    """The same models over a registry of two cities: one row per city, each summing its own accepted districts."""
    from ingest.tenants import Tenant

    db = tmp_path / "work.duckdb"
    con = warehouse.connect(db)
    accepted = {"430405": 1_000_000, "430406": 500_000, "430902": 800_000}  # 赫山区 has not reported
    for code, total in accepted.items():
        sid = f"{code}-2023-v1"
        con.execute(
            """INSERT INTO raw.submissions (submission_id, district_code, year, version, sha256, file_name,
               file_format, size_bytes, received_at, status, extractor_version)
               VALUES (?, ?, 2023, 1, ?, 'x.txt', 'txt', 1, ?, 'accepted', 'test')""",
            [sid, code, sid, datetime(2024, 1, 1)],
        )
        insert_fact(con, sid, "f1", "amount", "spending.total", total, "元", "actual", None, False)
    warehouse.load_registry(con, {c: Tenant(c, n, f"{n}总工会", city, True) for c, n, city in PROVINCE})
    con.close()
    result = dbt_build(tmp_path / "target", UWH_WORK_DB=str(db))
    assert result.returncode == 0, result.stdout[-3000:]
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("""SELECT city_code, city_name, districts_expected, districts_accepted, districts_missing,
                                 total_spending_yuan FROM reports.rpt_rollup_by_city ORDER BY city_code""").fetchall()
    con.close()
    assert rows == [("430400", "衡阳市", 2, 2, 0, 1_500_000), ("430900", "益阳市", 2, 1, 1, 800_000)]


def test_status_labels_come_from_the_one_label_table(built):
    from core.labels import DISTRICT_YEAR_ZH

    pairs = dict(built.execute("SELECT DISTINCT status, status_zh FROM reports.rpt_city_rollup").fetchall())
    assert pairs == {status: DISTRICT_YEAR_ZH[status] for status in pairs} and len(pairs) == 3


def test_every_rollup_figure_is_the_sum_of_its_listed_sources(built):
    """aid_yuan of 430405 2022 is f4 298,000 + f7 314,029 (f5 is an item of f4, f9 a budget); 人次 f6 7 + f8 933;
    项目支出 is the derived f3."""
    sources = built.execute(
        """SELECT figure, list(fact_id ORDER BY fact_id), sum(value) FROM reports.rpt_rollup_sources
           WHERE district_code = '430405' AND year = 2022 GROUP BY figure"""
    ).fetchall()
    by_figure = {figure: (facts, total) for figure, facts, total in sources}
    assert by_figure["aid_yuan"] == (["f4", "f7"], 298_000 + 314_029)
    assert by_figure["aid_person_times"] == (["f6", "f8"], 7 + 933)
    assert by_figure["project_spending_yuan"] == (["f3"], 361_400)
    assert by_figure["subsidy_yuan"] == (["f10"], 480_000) and by_figure["pass_through_yuan"] == (["f12"], 1_000_000)


def test_money_is_summed_exactly_as_decimals(tmp_path):
    """Ten aid payments of 0.10 元 make 1.00 元, not the 0.9999999999999999 a sum of doubles gives; money columns of
    the marts and reports are DECIMAL(18,2) (their contracts say so on DuckDB and PostgreSQL alike)."""
    from decimal import Decimal

    db = tmp_path / "work.duckdb"
    write_raw_layer(db)
    con = warehouse.connect(db)
    con.execute(
        """INSERT INTO raw.submissions (submission_id, district_code, year, version, sha256, file_name, file_format,
                   size_bytes, received_at, status, extractor_version)
           VALUES ('430407-2022-v1', '430407', 2022, 1, 'fen', 'x.txt', 'txt', 1, '2023-01-01', 'accepted', 'test')"""
    )
    for i in range(10):
        insert_fact(con, "430407-2022-v1", f"f{i + 1}", "amount", "aid.hardship", 0.1, "元", "actual", None, False)
    con.close()
    assert sum([0.1] * 10) != 1.0  # what summing doubles would have said
    result = dbt_build(tmp_path / "target", UWH_WORK_DB=str(db))
    assert result.returncode == 0, result.stdout[-3000:]
    con = duckdb.connect(str(db), read_only=True)
    try:
        (aid,) = one(con, "SELECT aid_yuan FROM reports.rpt_city_rollup WHERE district_code = '430407' AND year = 2022")
        assert aid == Decimal("1.00") and isinstance(aid, Decimal)
        types = dict(
            con.execute(
                """SELECT table_schema || '.' || table_name || '.' || column_name, data_type
                   FROM information_schema.columns WHERE column_name LIKE '%yuan'
                     AND table_schema IN ('marts', 'reports')"""
            ).fetchall()
        )
        assert types and set(types.values()) == {"DECIMAL(18,2)"}, types
        assert one(con, "SELECT data_type FROM information_schema.columns WHERE table_schema = 'raw' "
                        "AND table_name = 'facts' AND column_name = 'value'") == ("DECIMAL(24,6)",)  # fmt: skip
    finally:
        con.close()


def test_a_file_written_before_the_reader_marked_restatements_reads_and_upgrades(tmp_path):
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    old_schema = warehouse.SCHEMA_SQL
    for line in [line for line in old_schema.splitlines() if line.strip().startswith(("restates_fact_id", "scope "))]:
        old_schema = old_schema.replace(line + "\n", "")
    con.execute(old_schema)
    columns = [c for c in warehouse.FACT_COLUMNS if c not in ("restates_fact_id", "scope")]
    con.execute(
        f"INSERT INTO raw.facts ({', '.join(columns)}) VALUES ('s-v1', 'f1', 'amount', '帮扶', 715600, '元', 'actual',"
        " NULL, 'aid.hardship', '', '句子', NULL, NULL, 0.5, false, false, NULL)"
    )
    con.close()
    with duckdb.connect(str(db), read_only=True) as read_only:  # the portal reading a file published before
        (fact,) = warehouse.facts_of(read_only, "s-v1")
        assert (fact.value, fact.restates, fact.scope) == (715_600, None, None)
    con = warehouse.connect(db)  # the next run's writer adds the columns
    try:
        assert one(con, "SELECT restates_fact_id, scope FROM raw.facts") == (None, None)
    finally:
        con.close()


def test_a_work_file_written_with_double_figures_is_upgraded_in_place(tmp_path):
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute(warehouse.SCHEMA_SQL.replace("DECIMAL(24,6) NOT NULL", "DOUBLE NOT NULL"))
    insert_fact(con, "s-v1", "f1", "amount", "aid.hardship", 715_600.0000000001, "元", "actual", None, False)
    con.close()
    con = warehouse.connect(db)
    try:
        assert one(con, "SELECT typeof(value), value::VARCHAR FROM raw.facts") == ("DECIMAL(24,6)", "715600.000000")
    finally:
        con.close()
