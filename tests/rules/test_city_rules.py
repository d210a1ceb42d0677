"""City rules on a real DuckDB with the mart/report columns: reconciled tables pass, a tampered total fails."""

from __future__ import annotations

import duckdb
import pytest

from expectations.city_suite import city_rules
from expectations.city_suite import run_city_rule as run_on_marts

FACT_COLUMNS = """submission_id VARCHAR, fact_id VARCHAR, parent_fact_id VARCHAR, district_code VARCHAR, year INTEGER,
                  category VARCHAR, category_area VARCHAR, kind VARCHAR, measure VARCHAR, derived BOOLEAN,
                  is_top_level BOOLEAN, amount_yuan DOUBLE, person_times DOUBLE,
                  value_precision DOUBLE DEFAULT 0.5, excluded_reason VARCHAR DEFAULT NULL, unit VARCHAR DEFAULT NULL,
                  recipients DOUBLE DEFAULT NULL, restates_fact_id VARCHAR DEFAULT NULL, scope VARCHAR DEFAULT NULL,
                  holds_pass_through BOOLEAN DEFAULT false, parent_kind VARCHAR DEFAULT NULL,
                  parent_measure VARCHAR DEFAULT NULL, parent_excluded BOOLEAN DEFAULT false"""
ROLLUP_FIGURES = [
    "total_spending_yuan",
    "basic_spending_yuan",
    "project_spending_yuan",
    "activity_yuan",
    "aid_yuan",
    "aid_person_times",
    "subsidy_yuan",
]


def run_city_rule(con, rule):
    """The rule on the marts as dbt builds them: each row carries its parent's kind, measure and exclusion
    (int_facts_enriched), filled here from the parent rows the test wrote."""
    for table in ("fct_spending", "fct_beneficiaries"):
        con.execute(
            f"""UPDATE marts.{table} AS f SET parent_kind = p.kind, parent_measure = p.measure,
                   parent_excluded = p.excluded_reason IS NOT NULL
                FROM (SELECT * FROM marts.fct_spending UNION ALL SELECT * FROM marts.fct_beneficiaries) AS p
                WHERE p.submission_id = f.submission_id AND p.fact_id = f.parent_fact_id"""
        )
    return run_on_marts(con, rule)


@pytest.fixture()
def con():
    con = duckdb.connect()
    con.execute("CREATE SCHEMA marts; CREATE SCHEMA reports")
    for table in ("fct_spending", "fct_beneficiaries"):
        con.execute(f"CREATE TABLE marts.{table} ({FACT_COLUMNS})")
    spending = [  # district A: activity 245686, aid 298000 (+ one item, not top level), subsidy 480000
        (
            "A-v1",
            "f1",
            None,
            "A",
            2022,
            "activity.culture_sports",
            "activity",
            "amount",
            "actual",
            False,
            True,
            245686,
            None,
        ),
        ("A-v1", "f2", None, "A", 2022, "aid.hardship", "aid", "amount", "actual", False, True, 298000, None),
        ("A-v1", "f3", "f2", "A", 2022, "aid.medical", "aid", "amount", "actual", False, False, 93000, None),
        ("A-v1", "f4", None, "A", 2022, "aid.warmth", "aid", "amount", "budget", False, True, 50000, None),  # budget
        ("A-v1", "f5", None, "A", 2022, "subsidy.lower", "subsidy", "amount", "actual", False, True, 480000, None),
        ("A-v1", "f6", None, "A", 2022, "subsidy.pass_through", "subsidy", "amount", "actual", False, True, 1e6, None),
        ("B-v2", "f1", None, "B", 2022, "aid.hardship", "aid", "amount", "actual", False, True, 10000, None),
    ]
    insert = (
        "(submission_id, fact_id, parent_fact_id, district_code, year, category, category_area, kind, measure, "
        "derived, is_top_level, amount_yuan, person_times) VALUES (" + ", ".join("?" * 13) + ")"
    )
    con.executemany(f"INSERT INTO marts.fct_spending {insert}", spending)
    con.executemany(
        f"INSERT INTO marts.fct_beneficiaries {insert}",
        [r for r in spending if r[6] == "aid"]
        + [
            ("A-v1", "c1", "f3", "A", 2022, "aid.medical", "aid", "count", None, False, False, None, 7),
            ("A-v1", "c2", "f2", "A", 2022, "aid.hardship", "aid", "count", None, False, False, None, 35),
            (
                "A-v1",
                "c3",
                "c2",
                "A",
                2022,
                "aid.hardship",
                "aid",
                "count",
                None,
                False,
                False,
                None,
                5,
            ),  # subset of c2
        ],
    )
    con.execute("UPDATE marts.fct_beneficiaries SET unit = '人次' WHERE kind = 'count'")
    cols = ", ".join(f"{c} DOUBLE" for c in ROLLUP_FIGURES)
    con.execute(
        f"CREATE TABLE reports.rpt_city_rollup (year INTEGER, district_code VARCHAR, status VARCHAR, summed BOOLEAN, {cols})"
    )
    con.execute(f"CREATE TABLE reports.rpt_city_totals (year INTEGER, {cols})")
    con.execute(
        "INSERT INTO reports.rpt_city_rollup VALUES (2022, 'A', 'accepted', true, 1077000, 715600, 361400, "
        "245686, 298000, 42, 480000)"
    )
    con.execute(
        "INSERT INTO reports.rpt_city_rollup VALUES (2022, 'B', 'rejected', false, NULL, NULL, NULL, NULL, NULL, NULL, NULL)"
    )
    con.execute(
        "INSERT INTO reports.rpt_city_totals VALUES (2022, 1077000, 715600, 361400, 245686, 298000, 42, 480000)"
    )
    yield con
    con.close()


def rule(rule_id):
    return next(r for r in city_rules() if r.id == rule_id)


def test_city_rules_are_blocking_and_documented():
    assert {r.id for r in city_rules()} >= {"REC001", "REC002", "REC004"}
    assert all(r.severity == "city" and r.message_zh for r in city_rules())


def test_reconciled_tables_pass(con):
    for r in city_rules():
        outcome = run_city_rule(con, r)
        assert outcome.passed, (r.id, outcome.failures)
        assert outcome.checked > 0


def test_rollup_total_that_does_not_match_its_facts_fails(con):
    con.execute("UPDATE reports.rpt_city_rollup SET aid_yuan = 391000 WHERE district_code = 'A'")
    outcome = run_city_rule(con, rule("REC001"))
    assert not outcome.passed
    assert [f["figure"] for f in outcome.failures] == ["A 2022 aid_yuan"]
    assert outcome.failures[0]["claimed"] == 391000 and outcome.failures[0]["recomputed"] == 298000


def test_city_total_that_does_not_match_districts_fails(con):
    con.execute("UPDATE reports.rpt_city_totals SET subsidy_yuan = 480001")
    outcome = run_city_rule(con, rule("REC002"))
    assert not outcome.passed and outcome.failures[0]["figure"] == "2022 subsidy_yuan"


def test_breakdown_exceeding_its_total_blocks_even_within_rounding_of_the_items(con):
    # A second item under A's aid total: 93,000 + 205,000 fits 298,000; 205,002 is 2 元 over, beyond ±1.5 元.
    con.execute(
        "INSERT INTO marts.fct_spending (submission_id, fact_id, parent_fact_id, district_code, year, category, "
        "category_area, kind, measure, derived, is_top_level, amount_yuan, person_times) VALUES "
        "('A-v1', 'f20', 'f2', 'A', 2022, 'aid.living', 'aid', 'amount', 'actual', false, false, 205000, NULL)"
    )
    assert run_city_rule(con, rule("REC004")).passed
    con.execute("UPDATE marts.fct_spending SET amount_yuan = 205002 WHERE fact_id = 'f20'")
    outcome = run_city_rule(con, rule("REC004"))
    assert not outcome.passed and outcome.failures[0]["figure"] == "A-v1 f2"


def test_a_figure_the_district_marked_not_to_be_summed_is_not_recomputed_into_its_total(con):
    # A's clerk marked a cumulative 337,400 as not to be summed: the rollup leaves it out, and so does the check
    con.execute(
        "INSERT INTO marts.fct_spending (submission_id, fact_id, parent_fact_id, district_code, year, category, "
        "category_area, kind, measure, derived, is_top_level, amount_yuan, person_times, excluded_reason) VALUES "
        "('A-v1', 'f30', NULL, 'A', 2022, 'aid.education', 'aid', 'amount', 'actual', false, true, 337400, NULL, "
        "'cumulative')"
    )
    assert run_city_rule(con, rule("REC001")).passed
    con.execute("UPDATE marts.fct_spending SET excluded_reason = NULL WHERE fact_id = 'f30'")
    outcome = run_city_rule(con, rule("REC001"))
    assert [f["figure"] for f in outcome.failures] == ["A 2022 aid_yuan"]


def test_city_totals_take_only_the_districts_marked_summed(con):
    # with unreviewed figures not summed, an accepted district the city has not approved adds nothing
    con.execute("UPDATE reports.rpt_city_rollup SET summed = false WHERE district_code = 'A'")
    outcome = run_city_rule(con, rule("REC002"))
    assert not outcome.passed and {f["figure"] for f in outcome.failures} >= {"2022 aid_yuan"}
    con.execute("UPDATE reports.rpt_city_totals SET " + ", ".join(f"{c} = NULL" for c in ROLLUP_FIGURES))
    assert run_city_rule(con, rule("REC002")).passed


def test_people_reached_are_an_amounts_person_times_else_its_people_and_never_a_cumulatives(con):
    """帮扶人次: 42 = 7 (f3) + 35 (f2). 40名 beside f2's 35人次 are the same people; 573名 over the years are not this
    year's; 60人 reached by an amount without 人次 are counted, and so the rollup must say 102."""
    rows = [
        ("A-v1", "c4", "f2", "count", None, "名", 40),  # the same aid's people, its 人次 given: not added
        ("A-v1", "c5", None, "count", "prior", "名", 573),  # 累计: another period
    ]
    for sid, fid, parent, kind, measure, unit, n in rows:
        con.execute(
            """INSERT INTO marts.fct_beneficiaries (submission_id, fact_id, parent_fact_id, district_code, year,
               category, category_area, kind, measure, derived, is_top_level, unit, recipients)
               VALUES (?, ?, ?, 'A', 2022, 'aid.hardship', 'aid', ?, ?, false, false, ?, ?)""",
            [sid, fid, parent, kind, measure, unit, n],
        )
    assert run_city_rule(con, rule("REC001")).passed
    con.execute(
        """INSERT INTO marts.fct_beneficiaries (submission_id, fact_id, parent_fact_id, district_code, year, category,
           category_area, kind, measure, derived, is_top_level, amount_yuan)
           VALUES ('A-v1', 'f7', NULL, 'A', 2022, 'aid.warmth', 'aid', 'amount', 'actual', false, true, 0)"""
    )
    con.execute(
        """INSERT INTO marts.fct_beneficiaries (submission_id, fact_id, parent_fact_id, district_code, year, category,
           category_area, kind, measure, derived, is_top_level, unit, recipients)
           VALUES ('A-v1', 'c6', 'f7', 'A', 2022, 'aid.warmth', 'aid', 'count', NULL, false, false, '人', 60)"""
    )
    outcome = run_city_rule(con, rule("REC001"))
    assert [(f["figure"], f["claimed"], f["recomputed"]) for f in outcome.failures] == [
        ("A 2022 aid_person_times", 42, 102)
    ]
