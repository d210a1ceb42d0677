"""The review through the real pipeline: `uwh figures` and `uwh review` write the ledger, `uwh run` copies it into the
warehouse, dbt applies it once (int_facts_corrected), and the rollup, the marts, the city checks, the report and the
workbook all show the corrected figures as 已审核 with the reader's original beside them. The Python headline the
portal shows (intake.headline) and dbt's rpt_rollup_sources are held to the same answer on every published version.
"""

from __future__ import annotations

import duckdb
import pytest
from openpyxl import load_workbook

from intake import warehouse
from intake.headline import headline
from intake.review import corrected
from intake.review_ledger import ReviewLedger
from tests.portal_support import YANFENG, ZHUHUI, published_installation
from tests.test_review import cumulative_report

pytestmark = pytest.mark.e2e
YEAR = 2021


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    def with_cumulative(layout):
        (path,) = (layout.landing / str(YEAR) / ZHUHUI).iterdir()
        path.write_text(cumulative_report(), encoding="utf-8")

    return published_installation(tmp_path_factory.mktemp("review"), before_run=with_cumulative)


def rows(db, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def rollup_sums(db) -> dict[tuple[str, str], float]:
    return {
        (sid, figure): float(value)
        for sid, figure, value in rows(db, "SELECT submission_id, figure, sum(value) FROM reports.rpt_rollup_sources GROUP BY ALL")
    }  # fmt: skip


def python_sums(db, ledger: ReviewLedger) -> dict[tuple[str, str], float]:
    """What the portal's headline says of every accepted version, with the corrections confirmed for it."""
    con = warehouse.connect(db, read_only=True)
    try:
        accepted = con.execute(
            "SELECT submission_id, district_code, year, sha256 FROM raw.submissions WHERE status = 'accepted'"
        ).fetchall()
        out = {}
        for sid, code, year, sha in accepted:
            events = [e for e in ledger.events(code, year) if e.sha256 == sha]
            confirmed = max((e.seq for e in events if e.kind == "confirmation"), default=0)
            reading = corrected(warehouse.facts_of(con, sid), events, upto_seq=confirmed - 1)
            for figure, fig in headline(reading.facts, reading.excluded).figures.items():
                out[(sid, figure)] = round(fig.value, 2)
        return out
    finally:
        con.close()


def test_the_portals_headline_and_the_warehouses_rollup_agree_on_every_version(installation):
    db, ledger = installation.layout.published_db, ReviewLedger(installation.layout.review_ledger)
    python, dbt = python_sums(db, ledger), rollup_sums(db)
    assert len(dbt) > 100
    assert python == pytest.approx(dbt, abs=0.01)


def test_corrected_confirmed_and_approved_figures_reach_every_output_with_their_original(installation):
    layout = installation.layout
    uwh = installation.uwh
    sid = f"{ZHUHUI}-{YEAR}-v1"
    (fact_id,) = rows(layout.published_db, "SELECT fact_id FROM raw.facts WHERE submission_id = ? AND value = 3373400", [sid])[0]  # fmt: skip
    before = rows(layout.published_db, "SELECT aid_yuan FROM reports.rpt_city_rollup WHERE submission_id = ?", [sid])
    assert float(before[0][0]) == pytest.approx(176_800 + 3_373_400 + 135_800)  # the misreading, summed

    shown = uwh("figures", "show", "--district", ZHUHUI, "--year", str(YEAR))
    assert shown.returncode == 0 and "本次将计入全市汇总的数字" in shown.stdout and "待确认" in shown.stdout
    wrong = uwh("figures", "correct", "--district", ZHUHUI, "--year", str(YEAR), "--fact", fact_id, "--field",
                "not_summed", "--value", "累计")  # fmt: skip
    assert wrong.returncode == 2 and "不计入的原因须为" in wrong.stderr
    fixed = uwh("figures", "correct", "--district", ZHUHUI, "--year", str(YEAR), "--fact", fact_id, "--field",
                "not_summed", "--value", "cumulative", "--reason", "1998年以来累计数", "--actor", "portal:d430405")  # fmt: skip
    assert fixed.returncode == 0, fixed.stderr
    early = uwh("review", "approve", "--district", ZHUHUI, "--year", str(YEAR))
    assert early.returncode == 2 and "尚未确认" in early.stderr
    assert uwh("figures", "confirm", "--district", ZHUHUI, "--year", str(YEAR)).returncode == 0
    assert uwh("review", "approve", "--district", ZHUHUI, "--year", str(YEAR), "--actor", "portal:city").returncode == 0
    # the second district: confirmed as read, returned with a comment
    assert uwh("figures", "confirm", "--district", YANFENG, "--year", str(YEAR)).returncode == 0
    returned = uwh("review", "return", "--district", YANFENG, "--year", str(YEAR), "--comment", "送温暖人次请核对")
    assert returned.returncode == 0, returned.stderr

    run = uwh("run")
    assert run.returncode == 0, run.stderr[-3000:]
    db = layout.published_db
    row = rows(db, """SELECT aid_yuan, review_state, review_state_zh, summed, corrected_facts FROM reports.rpt_city_rollup
                      WHERE submission_id = ?""", [sid])[0]  # fmt: skip
    assert float(row[0]) == pytest.approx(176_800 + 135_800) and row[1:] == ("approved", "已审核", True, 1)
    assert rows(db, "SELECT review_state, return_comment FROM reports.rpt_city_rollup WHERE district_code = ? AND year = ?",
                [YANFENG, YEAR]) == [("returned", "送温暖人次请核对")]  # fmt: skip
    fact = rows(db, """SELECT excluded_reason, corrected, corrected_by, read_value, amount_yuan FROM marts.fct_beneficiaries
                       WHERE submission_id = ? AND fact_id = ?""", [sid, fact_id])[0]  # fmt: skip
    assert fact[:3] == ("cumulative", True, "portal:d430405") and float(fact[3]) == float(fact[4]) == 3_373_400
    audit = rows(db, "SELECT field, after_text, anchor_value, actor, reason FROM raw.fact_corrections WHERE fact_id = ?", [fact_id])  # fmt: skip
    assert audit == [("excluded", "cumulative", 3_373_400.0, "portal:d430405", "1998年以来累计数")]
    assert rows(db, "SELECT decision FROM raw.reviews ORDER BY seq") == [("approve",), ("return",)]
    assert rows(db, "SELECT count(*) FROM raw.facts WHERE submission_id = ? AND fact_id = ?", [sid, fact_id]) == [(1,)]
    # the city's totals and the Python headline still agree with the corrected rollup
    assert python_sums(db, ReviewLedger(layout.review_ledger)) == pytest.approx(rollup_sums(db), abs=0.01)

    page = (layout.reports / str(YEAR) / "city_report.html").read_text(encoding="utf-8")
    assert "已审核・区县更正" in page and "不计入：累计数（非本年）" in page and "未审核（已退回）" in page
    summary = load_workbook(layout.reports / str(YEAR) / "city_report.xlsx")["汇总"]
    headers = [c.value for c in summary[4]]
    zhuhui = next(r for r in summary.iter_rows(min_row=5, values_only=True) if r[0] == ZHUHUI)
    assert zhuhui[headers.index("审核")] == "已审核・区县更正" and zhuhui[headers.index("困难帮扶")] == 312_600
    sheet = load_workbook(layout.reports / str(YEAR) / "city_report.xlsx")["帮扶"]
    notes = [r[-1] for r in sheet.iter_rows(min_row=5, values_only=True) if r[-4] == sid and r[-3] == fact_id]
    assert notes == ["区县更正（portal:d430405）；不计入：累计数（非本年）"]

    feedback = (layout.reports / str(YEAR) / "feedback" / f"{YANFENG}.html").read_text(encoding="utf-8")
    assert "市总工会退回意见：送温暖人次请核对" in feedback and "已退回" in feedback
    validation = (layout.reports / "validation" / "index.html").read_text(encoding="utf-8")
    accuracy = validation[validation.index("读数在实际报送中的准确度") :]
    assert "<td>2021</td><td>不计入</td><td>困难帮扶</td><td>1</td><td>2</td>" in accuracy

    locked = uwh("figures", "correct", "--district", ZHUHUI, "--year", str(YEAR), "--fact", fact_id, "--field",
                 "value", "--value", "1")  # fmt: skip
    assert locked.returncode == 2 and "锁定" in locked.stderr


def test_a_city_that_sums_only_reviewed_figures_leaves_the_others_out_but_shows_them(installation, tmp_path):
    """Settings.sum_unreviewed = false: the totals take approved districts only; every row still shows its figures."""
    layout = installation.layout
    settings = layout.home / "uwh.toml"
    original = settings.read_text(encoding="utf-8") if settings.exists() else None
    settings.write_text("sum_unreviewed = false\n" + (original or ""), encoding="utf-8")
    try:
        run = installation.uwh("run")
        assert run.returncode == 0, run.stderr[-3000:]
        db = layout.published_db
        summed = rows(db, "SELECT district_code FROM reports.rpt_city_rollup WHERE year = ? AND summed", [YEAR])
        assert summed == [(ZHUHUI,)]
        total = rows(db, "SELECT aid_yuan, districts_summed, districts_approved FROM reports.rpt_city_totals WHERE year = ?", [YEAR])  # fmt: skip
        assert float(total[0][0]) == pytest.approx(312_600) and total[0][1:] == (1, 1)
        shown = rows(db, "SELECT count(*) FROM reports.rpt_city_rollup WHERE year = ? AND aid_yuan IS NOT NULL", [YEAR])
        assert shown[0][0] > 1
    finally:
        if original is None:
            settings.unlink()
        else:
            settings.write_text(original, encoding="utf-8")
