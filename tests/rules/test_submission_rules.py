"""Each rule of the catalogue: one case that must pass and one that must fail."""

from __future__ import annotations

from core.settings import RuleThresholds, installation_settings
from expectations.catalogue import run_submission_rules, submission_rules
from expectations.rules import brk001_breakdown_exceeds_parent as brk001
from expectations.rules import brk002_breakdown_incomplete as brk002
from expectations.rules import bud001_budget_mixed_with_actual as bud001
from expectations.rules import cnt001_count_not_whole as cnt001
from expectations.rules import doc001_no_spending_figures as doc001
from expectations.rules import idn001_basic_plus_project as idn001
from expectations.rules import pbn001_aid_per_person as pbn001
from expectations.rules import xsc001_programmes_exceed_total as xsc001
from expectations.rules import yoy001_headline_change as yoy001
from expectations.rules.base import SubmissionContext
from tests.rules.facts_builder import fact, frame


def ctx(*facts, prior=None, settings=None) -> SubmissionContext:
    return SubmissionContext("430405", 2022, frame(*facts), prior_facts=prior, settings=settings or RuleThresholds())


def findings(rule, context):
    return list(rule.RULE.check(context))


# 困难职工帮扶支出 298000元，其中 93000 + 128000 + 77000 (珠晖区 2022: adds up exactly)
AID = fact("f1", "困难职工帮扶支出", 298000, "aid.hardship")
AID_PARTS = [
    fact("f2", "医疗互助", 93000, "aid.medical", parent="f1"),
    fact("f3", "生活救助", 128000, "aid.living", parent="f1"),
    fact("f4", "子女助学", 77000, "aid.education", parent="f1"),
]


def test_catalogue_has_unique_ids_severities_and_chinese_text():
    rules = submission_rules()
    assert len({r.id for r in rules}) == len(rules) >= 9
    assert {r.severity for r in rules} <= {"fatal", "warning"}
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in r.description_zh) for r in rules)


def test_brk001_passes_when_items_add_up():
    assert findings(brk001, ctx(AID, *AID_PARTS)) == []


def test_brk001_fails_when_items_exceed_total():
    over = fact("f4", "子女助学", 97000, "aid.education", parent="f1")
    (finding,) = findings(brk001, ctx(AID, *AID_PARTS[:2], over))
    assert finding.severity == "fatal" and finding.fact_id == "f1"
    assert finding.expected == 298000 and finding.provided == 318000 and finding.difference == 20000
    assert "超过" in finding.message


def test_brk001_respects_stated_precision():
    # 29.8万元 is known to ±500 元: items totalling 298,400 元 are within it.
    total = fact("f1", "困难职工帮扶支出", 298000, "aid.hardship", unit="万元", precision=500)
    parts = [
        fact("f2", "医疗互助", 93000, "aid.medical", parent="f1"),
        fact("f3", "生活救助", 205400, "aid.living", parent="f1"),
    ]
    assert findings(brk001, ctx(total, *parts)) == []


def test_brk002_warns_on_incomplete_breakdown_only():
    assert findings(brk002, ctx(AID, *AID_PARTS)) == []
    (finding,) = findings(brk002, ctx(AID, *AID_PARTS[:2]))
    assert finding.severity == "warning" and finding.provided == 221000


def test_idn001_identity_holds_and_breaks():
    total = fact("t", "部门整体支出", 1077000, "spending.total", unit="万元", precision=50)
    basic = fact("b", "基本支出", 715600, "spending.basic", unit="万元", precision=50)
    assert findings(idn001, ctx(total, basic, fact("p", "项目支出", 361400, "spending.project"))) == []
    (finding,) = findings(idn001, ctx(total, basic, fact("p", "项目支出", 461400, "spending.project")))
    assert finding.severity == "fatal" and finding.difference == 100000


def test_one_discrepancy_of_the_headline_gives_one_finding():
    """衡东县 2022: 整体 1,977,900 broken down into 基本 1,395,200 + 项目 782,700 = 2,177,900. IDN001 says it; the
    breakdown rules do not say it again (they still check any other breakdown)."""
    total = fact("t", "部门整体支出", 1_977_900, "spending.total")
    basic = fact("b", "基本支出", 1_395_200, "spending.basic", parent="t")
    project = fact("p", "项目支出", 782_700, "spending.project", parent="t")
    assert [f.rule_id for f in run_submission_rules(ctx(total, basic, project))] == ["IDN001"]
    short = fact("p", "项目支出", 382_700, "spending.project", parent="t")
    assert [f.rule_id for f in run_submission_rules(ctx(total, basic, short))] == ["IDN001"]
    aid = fact("a", "困难帮扶", 100, "aid.hardship")
    over = fact("a1", "医疗", 150, "aid.medical", parent="a")
    assert {f.rule_id for f in run_submission_rules(ctx(total, basic, project, aid, over))} == {"IDN001", "BRK001"}


def test_idn001_ignores_budget_figures():
    total = fact("t", "部门整体支出", 1077000, "spending.total")
    basic = fact("b", "基本支出", 715600, "spending.basic")
    budget = fact("p", "项目支出预算", 999999, "spending.project", measure="budget")
    assert findings(idn001, ctx(total, basic, budget)) == []


def test_bud001_budget_under_actual_is_flagged():
    budget_total = fact("p", "项目资金", 220000, "spending.project", measure="budget")
    assert (
        findings(
            bud001, ctx(budget_total, fact("c", "工会活动经费", 100000, "activity.other", measure="budget", parent="p"))
        )
        == []
    )
    (finding,) = findings(bud001, ctx(budget_total, fact("c", "工会活动经费", 100000, "activity.other", parent="p")))
    assert finding.fact_id == "c"


def test_xsc001_fires_when_programmes_exceed_total():
    # The real 珠晖区 2022 figures: 245686 + 298000 + 314029 + 480000 = 1,337,715 > 1,077,000.
    total = fact("t", "部门整体支出", 1077000, "spending.total", unit="万元", precision=50)
    programmes = [
        fact("a", "文体活动", 245686, "activity.culture_sports"),
        AID,
        *AID_PARTS,
        fact("w", "送温暖支出", 314029, "aid.warmth"),
        fact("s", "对下补助支出", 480000, "subsidy.lower"),
    ]
    (finding,) = findings(xsc001, ctx(total, *programmes))
    assert finding.provided == 1337715 and finding.expected == 1077000
    assert findings(xsc001, ctx(fact("t", "部门整体支出", 2000000, "spending.total"), *programmes)) == []


def test_pbn001_band():
    amount = fact("a", "医疗互助帮扶支出", 93000, "aid.medical")
    count = fact("c", "帮扶", 7, "aid.medical", kind="count", unit="人次", parent="a", measure=None)
    assert findings(pbn001, ctx(amount, count)) == []  # 13,286 元 per 人次: inside the default band
    (finding,) = findings(pbn001, ctx(amount, count, settings=RuleThresholds(aid_per_person_band=(50, 5000))))
    assert abs(finding.provided - 93000 / 7) < 1e-6 and finding.severity == "warning"


def test_cnt001_fractional_count():
    assert findings(cnt001, ctx(fact("c", "帮扶", 7, "aid.medical", kind="count", unit="人次"))) == []
    (finding,) = findings(cnt001, ctx(fact("c", "帮扶", 7.5, "aid.medical", kind="count", unit="人次")))
    assert finding.provided == 7.5


def test_yoy001_compares_with_previous_year():
    now = fact("t", "部门整体支出", 1077000, "spending.total")
    assert findings(yoy001, ctx(now, prior=frame(fact("t", "部门整体支出", 1000000, "spending.total")))) == []
    (finding,) = findings(yoy001, ctx(now, prior=frame(fact("t", "部门整体支出", 500000, "spending.total"))))
    assert finding.expected == 500000 and "增长" in finding.message
    assert findings(yoy001, ctx(now)) == []


def test_doc001_needs_a_spending_figure():
    assert findings(doc001, ctx(AID)) == []
    (finding,) = findings(doc001, ctx(fact("n", "在职人员", 4, "staff", kind="count", unit="人")))
    assert finding.severity == "fatal"


def test_catalogue_orders_fatal_first():
    over = fact("f4", "子女助学", 97000, "aid.education", parent="f1")
    result = run_submission_rules(ctx(AID, *AID_PARTS[:2], over, fact("c", "x", 1.5, "aid.medical", kind="count")))
    assert [f.severity for f in result][0] == "fatal"
    assert {f.rule_id for f in result} >= {"BRK001", "CNT001"}


def test_tpl001_turns_template_cell_problems_into_fatal_findings():
    from expectations.rules import tpl001_template_cells as tpl001
    from ingest.model import Problem

    assert findings(tpl001, ctx(AID)) == []
    bad = SubmissionContext(
        "430405",
        2022,
        frame(AID),
        problems=[
            Problem("fatal", "template_cell", "帮扶!E4：应填写数字，实际为“十万”"),
            Problem("info", "unclassified_number", "未分类数字"),
        ],
    )
    (finding,) = findings(tpl001, bad)
    assert finding.severity == "fatal" and "帮扶!E4" in finding.message


def test_brk002_a_derived_item_completes_the_breakdown():
    total = fact("t", "部门整体支出", 1077000, "spending.total", unit="万元", precision=50)
    basic = fact("b", "基本支出", 715600, "spending.basic", parent="t", unit="万元", precision=50)
    assert len(findings(brk002, ctx(total, basic))) == 1
    derived = fact("d", "项目支出（推算）", 361400, "spending.project", parent="t", precision=100, derived=True)
    assert findings(brk002, ctx(total, basic, derived)) == []
    assert findings(brk001, ctx(total, basic, derived)) == []


def test_thresholds_come_from_the_installation_rules_file(tmp_path, monkeypatch):
    (tmp_path / "rules.toml").write_text("aid_per_person_band = [100, 5000]\nyoy_max_change = 0.05\n", encoding="utf-8")
    monkeypatch.setenv("UWH_HOME", str(tmp_path))
    loaded = installation_settings().rules
    assert loaded == RuleThresholds(aid_per_person_band=(100.0, 5000.0), yoy_max_change=0.05)
    amount = fact("a", "医疗互助帮扶支出", 93000, "aid.medical")
    count = fact("c", "帮扶", 7, "aid.medical", kind="count", unit="人次", parent="a", measure=None)
    context = SubmissionContext("430405", 2022, frame(amount, count))  # picks the file up by default
    assert [f.rule_id for f in pbn001.RULE.check(context)] == ["PBN001"]


def _problem_rule_case(module, code: str, message: str):
    """A rule that reports a reading problem: silent without one, one warning naming it with one."""
    from ingest.model import Problem

    assert findings(module, ctx(AID)) == []
    context = SubmissionContext(
        "430405",
        2022,
        frame(AID),
        problems=[Problem("warning", code, message), Problem("info", "unclassified_number", "未分类数字")],
    )
    (finding,) = findings(module, context)
    assert finding.severity == "warning" and message[:12] in finding.message
    return finding


def test_rdg001_names_the_sentence_whose_money_was_not_read():
    from expectations.rules import rdg001_money_not_read as rdg001

    finding = _problem_rule_case(rdg001, "unread_money", "此句中的金额（740）未能读出：“每人发放助学款360元-740元”")
    assert "740" in finding.message and "统一报表模板" in finding.message


def test_org001_asks_the_district_to_check_its_name_or_year():
    from expectations.rules import org001_identity_unconfirmed as org001

    _problem_rule_case(
        org001, "org_unconfirmed", "文件标题和落款中未能确认单位名称，已按登记单位“珠晖区总工会”接收，请核对。"
    )


def test_tbl001_says_a_table_reading_its_totals_did_not_confirm():
    from expectations.rules import tbl001_table_reading_doubt as tbl001

    _problem_rule_case(
        tbl001, "table_doubt", "表格“政府采购金额”一行只有2个数，已按靠右对齐读作2023年预算数、2023年决算数"
    )


def test_mag001_refuses_an_amount_no_district_can_have(tmp_path, monkeypatch):
    from expectations.rules import mag001_implausible_amount as mag001

    assert findings(mag001, ctx(AID, *AID_PARTS)) == []
    (finding,) = findings(mag001, ctx(fact("f9", "部门整体支出", 1e30, "spending.total")))
    assert finding.severity == "fatal" and "部门整体支出" in finding.message and "万元" in finding.message
    too_long = {
        **fact("f9", "部门整体支出", float("inf"), "spending.total"),
        "source_text": "部门整体支出" + "9" * 40 + "元",
    }
    (overflow,) = findings(mag001, ctx(too_long))
    assert "无法读出" in overflow.message and "inf" not in overflow.message
    (tmp_path / "rules.toml").write_text("max_amount_yuan = 200000\n", encoding="utf-8")
    monkeypatch.setenv("UWH_HOME", str(tmp_path))
    assert [f.rule_id for f in mag001.RULE.check(SubmissionContext("430405", 2022, frame(AID)))] == ["MAG001"]
