"""The extractor's rules, each on the smallest text that shows it."""

from __future__ import annotations

from ingest.extract import extract_text


def facts_of(text):
    extraction = extract_text(text)
    return extraction, {f.label: f for f in extraction.facts}


def test_qizhong_items_are_siblings_and_a_new_headline_after_a_complete_list_is_not_an_item():
    _, f = facts_of(
        "（二）困难职工帮扶方面，困难职工帮扶支出298000元。其中医疗互助帮扶支出93000元，帮扶困难职工7人次，"
        "其中生活救助帮扶支出128000元，救助困难职工35人次，其中子女助学帮扶支出77000元；"
        "送温暖支出314029元，共走访慰问一线职工933人次。"
    )
    total = f["困难职工帮扶支出"]
    assert [f[k].parent for k in ("医疗互助帮扶支出", "生活救助帮扶支出", "子女助学帮扶支出")] == [total.id] * 3
    assert f["送温暖支出"].parent is None
    assert f["帮扶困难职工"].parent == f["医疗互助帮扶支出"].id  # a count belongs to the amount it describes
    assert f["走访慰问一线职工"].parent == f["送温暖支出"].id
    assert f["医疗互助帮扶支出"].category == "aid.medical" and f["送温暖支出"].category == "aid.warmth"


def test_unmarked_item_continues_a_list_only_while_it_fits():
    _, f = facts_of(
        "文体活动共开支245686元。其中气排球比赛开支157508元；其中智跑活动开支61310元；羽毛球赛开支26868元。"
        "另外培训支出50000元。"
    )
    parents = {k: v.parent for k, v in f.items()}
    headline = next(v for v in f.values() if v.value == 245686)
    assert parents["羽毛球赛开支"] == headline.id
    assert parents["另外培训支出"] is None


def test_enumerated_budget_items_make_their_total_a_budget():
    _, f = facts_of(
        "1、项目资金：共计22万元，主要用于帮扶帮困。在项目支出预算中我会分别为1.职工服务工作经费6万元；"
        "2.劳模管理经费6万元；3.工会活动经费10万元。"
    )
    total = next(v for v in f.values() if v.value == 220000)
    items = [v for v in f.values() if v.parent == total.id]
    assert sorted(i.value for i in items) == [60000, 60000, 100000]
    assert total.measure == "budget" and all(i.measure == "budget" for i in items)


def test_heading_total_followed_by_numbered_lines():
    _, f = facts_of(
        "（三）对下补助\n全年对下补助支出480000元。\n1.服务站点补助25000元。\n2.基层工会工作经费455000元。\n"
        "（四）其他\n宣传支出12000元。"
    )
    total = next(v for v in f.values() if v.value == 480000)
    assert {v.value for v in f.values() if v.parent == total.id} == {25000, 455000}
    assert next(v for v in f.values() if v.value == 12000).parent is None


def test_basic_and_project_break_down_the_stated_total():
    extraction = extract_text(
        "一、部门概况\n部门整体支出为107.70万元。\n二、支出情况\n（一）基本支出\n全年基本支出71.56万元。\n"
        "（二）项目支出\n项目支出36.14万元。"
    )
    by_value = {f.value: f for f in extraction.facts}
    total, basic, project = by_value[1_077_000], by_value[715_600], by_value[361_400]
    assert basic.parent == total.id and project.parent == total.id
    assert (basic.category, project.category) == ("spending.basic", "spending.project")
    assert total.category == "spending.total" and total.measure == "actual"


def test_measures_change_prior_rate_budget():
    _, f = facts_of(
        "收支较上年决算数增加59.26万元。以每户2500元的慰问标准发放。2018年度67.56万元。年初预算安排经费30万元。"
    )
    by_value = {v.value: v for v in f.values()}
    assert (by_value[592600].measure, by_value[592600].direction) == ("change", "increase")
    assert by_value[2500].measure == "rate"
    extraction = extract_text("广水市总工会2020年项目绩效目标申报表\n2018年度67.56万元。年初预算安排经费30万元。")
    by_value = {v.value: v for v in extraction.facts}
    assert by_value[675600].measure == "prior" and by_value[300000].measure == "budget"


def test_pass_through_funds_keep_their_category_inside_a_breakdown():
    _, f = facts_of("送温暖活动共筹集资金170.5万元（其中争取省、市总工会送温暖慰问金162.5万元，县级配套8万元）。")
    passed = next(v for v in f.values() if v.value == 1_625_000)
    assert passed.category == "subsidy.pass_through"
    assert next(v for v in f.values() if v.value == 80_000).category.startswith("aid")


def test_document_identity_from_title():
    extraction = extract_text("[bookmark: a]珠晖区总工会2022年度部门整体支出绩效报告\n一、部门概况\n")
    doc = extraction.document
    assert (doc.org, doc.year, doc.kind) == ("珠晖区总工会", 2022, "部门整体支出绩效报告")
    assert "[bookmark" not in doc.text


def test_scraped_duplicate_paragraphs_are_read_once():
    para = "此次潞州区总工会送温暖活动共走访慰问18个重点企业，为全区25个疫情一线单位下拨经费218万元，共计380万元。"
    extraction = extract_text(para + "\n" + para)
    assert [f.value for f in extraction.facts if f.kind == "amount"] == [2_180_000, 3_800_000]


def test_table_with_unit_in_header_one_cell_per_line():
    text = (
        "益阳市总工会2022年绩效自评附表\n经费控制情况(万元)\n2021年决算数\n2022年预算数\n2022年决算数\n支出总额\n\n"
        "1274.38\n\n1342.49\n\n1342.49\n基本支出\n606.44\n719.99\n719.99"
    )
    facts = [f for f in extract_text(text).facts if f.label == "支出总额"]
    assert [(f.value, f.measure) for f in facts] == [
        (12_743_800, "prior"),
        (13_424_900, "budget"),
        (13_424_900, "actual"),
    ]
    assert all(f.span is None and f.unit == "万元" for f in facts)  # no unit beside the number: no span


def test_unclassified_numbers_are_kept_and_listed():
    extraction = extract_text("附件说明\n某某费用1200元。")
    unclassified = [f for f in extraction.facts if f.category == "unclassified"]
    assert unclassified and all(f.value for f in unclassified)
    assert any(p.code == "unclassified_number" for p in extraction.problems)


def test_a_count_after_a_measure_word_is_labelled_with_the_noun_it_counts():
    extraction, _ = facts_of(
        "气排球比赛活动开支157508元，本项活动共组织了全市15支队伍100余名队员参赛。"
        "发放乡镇街道工会工作经费85000元，共发放我区10个乡镇街道工会。"
        "本单位在职人员4人，退休人员2人。"
        "组织15名有就业意向返乡农民工参加了县招聘会。"
    )
    labels = {(f.value, f.unit): f.label for f in extraction.facts if f.kind == "count"}
    assert labels[(15, "支")] == "队伍" and labels[(100, "名")] == "队员"  # what the counted do (参赛) is no part of it
    assert labels[(10, "个")] == "乡镇街道工会"
    assert labels[(4, "人")].endswith("在职人员") and labels[(2, "人")] == "退休人员"  # 人 names its noun before it
    assert labels[(15, "名")] != "有就业意向返乡农民工参加了县招聘会"  # a clause after the figure is not a noun
