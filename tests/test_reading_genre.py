"""Reading real text as it arrives: traditional characters and mirror noise, wrapped lines, the genre's number grammar
and its meaning words, the union's own name, and every number accounted for. Each case is written here from the
genre's structure, not copied from a corpus file."""

from __future__ import annotations

import pytest

from ingest.audit import unread_money
from ingest.extract import extract_text
from ingest.identity import identify, union_names
from ingest.numbers import find_amounts, find_counts, value_of_span
from ingest.reading import reading_text


def amounts(text):
    return [f for f in extract_text(text).facts if f.kind == "amount"]


def by_value(text):
    return {f.value: f for f in amounts(text)}


# ---- the reading view ---------------------------------------------------------------------------------------------
def test_traditional_characters_are_read_and_quoted_as_written():
    extraction = extract_text("彬州市總工會開展慰問活動\n本次活動慰問一線勞動者795名，共計13.5萬元。")
    (fact,) = [f for f in extraction.facts if f.kind == "amount"]
    assert fact.value == 135_000
    assert extraction.document.text[fact.span[0] : fact.span[1]] == "13.5万元"  # spans read back in the view
    assert "共計13.5萬元" in fact.text  # the district's own words


def test_mirror_pinyin_is_not_read_but_kept_in_quotes():
    view = reading_text("三公經(jīng)費合計(jì)5.23萬元，業(yè)務(wù)工作經(jīng)費")
    assert view.text == "三公经费合计5.23万元，业务工作经费"
    start = view.text.index("5.23")
    assert view.quote(0, start + 6) == "三公經(jīng)費合計(jì)5.23萬元"


def test_lost_characters_and_a_stray_point_are_not_read():
    (fact,) = amounts("某区总工会2022年度报告\n全年送温暖支出714.万元????。")
    assert fact.value == 7_140_000


def wrap_like_a_pdf(text: str, columns: int) -> str:
    """Break lines where a page of `columns` would: a Chinese or full-width character takes two, ASCII one."""
    lines, line, width = [], "", 0
    for ch in text:
        w = 2 if ord(ch) > 0x2E80 else 1
        if width + w > columns:
            lines.append(line)
            line, width = "", 0
        line, width = line + ch, width + w
    return "\n".join(lines + [line])


def test_reading_does_not_depend_on_where_a_pdf_wrapped_its_lines():
    # the items leave part of the total unexplained (as real reports do), so only the 其中 ties them to it
    prose = (
        "（二）困难职工帮扶方面，困难职工帮扶支出365100元，其中医疗互助帮扶支出93000元，生活救助帮扶支出"
        "128000元，金秋助学支出104100元，帮扶困难职工42人次；全年送温暖慰问一线职工，慰问资金１９万元。"
        "全年开展职工文体活动十余场，组织职工参加市总工会举办的各项比赛，取得了较好的成绩，受到职工的普遍好评。"
    )
    one_line = {(f.value, f.parent is None) for f in amounts("某区总工会2023年度部门整体支出绩效报告\n" + prose)}
    wrapped_text = wrap_like_a_pdf(prose, columns=64)
    assert wrapped_text.count("\n") >= 2
    wrapped = {(f.value, f.parent is None) for f in amounts("某区总工会2023年度部门整体支出绩效报告\n" + wrapped_text)}
    assert wrapped == one_line
    assert (190_000, True) in wrapped and (104_100, False) in wrapped and (128_000, False) in wrapped


def test_a_number_is_never_separated_from_its_unit_by_a_line_break():
    (fact,) = amounts("某区总工会2023年度报告\n全年为一线职工送去１９万\n元的慰问品，惠及职工200人次。")
    assert fact.value == 190_000


# ---- number grammar -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, value",
    [
        ("筹集资金30.00万，用于慰问", 300_000),  # 万 without 元 where the words say money
        ("发放400万温暖资金", 4_000_000),
        ("积极筹措资金二十余万元", 200_000),
        ("七万九千余元", 79_000),
        ("每人发放救助金2千元", 2_000),
    ],
)
def test_money_written_every_way(text, value):
    found = find_amounts(text)
    assert [n.value for n in found] == [value]
    n = found[0]
    assert value_of_span(text[n.start : n.end]) == value


def test_a_bare_wan_that_is_not_money_is_not_an_amount():
    assert find_amounts("全市职工达30万，参加活动") == []
    assert [n.value for n in find_counts("参保职工达1.34万人次，3万余户")] == [13_400, 30_000]


def test_one_unit_written_once_for_several_numbers():
    facts = amounts(
        "2022年度单位决算情况说明\n2022年度收、支总计各是4125.49,4143.91万元。与2021年相比，收、支总计各减少"
        "1267.86,2570.97万元。"
    )
    values = [(f.value, f.measure, f.span is None) for f in facts]
    assert (41_254_900, None, True) in [(v, None, s) for v, _, s in values]  # unit apart: no span claims it
    changes = [f for f in facts if f.measure == "change"]
    assert sorted(f.value for f in changes) == [12_678_600, 25_709_700]
    assert all(f.direction == "decrease" for f in changes)


# ---- meaning ------------------------------------------------------------------------------------------------------
def test_fund_names_are_not_budgets_and_grand_totals_are_not_spending():
    facts = by_value(
        "某区总工会2022年度部门决算情况说明\n2022年度收入总计350.00万元，支出总计350.00万元。"
        "本年收入合计340.00万元，其中：一般公共预算财政拨款收入300.00万元，事业收入0万元，其他收入40.00万元。"
        "本年支出合计330.00万元，其中：基本支出200.00万元，项目支出130.00万元，上缴上级支出0万元。"
    )
    assert facts[3_000_000].category.startswith("income") and facts[3_000_000].measure == "actual"
    grand = [f for f in amounts("某区总工会2022年度部门决算\n2022年度收入总计350.00万元，支出总计350.00万元。")]
    assert {f.category for f in grand} == {"other.grand_total"}
    income_total = facts[3_400_000]
    assert facts[400_000].parent == income_total.id and facts[400_000].category.startswith("income")
    spending_total = facts[3_300_000]
    zero_lines = [
        f
        for f in amounts(
            "某区总工会2022年度部门决算\n本年支出合计330.00万元，其中：基本支出200.00万元，"
            "项目支出130.00万元，上缴上级支出0万元。"
        )
        if f.value == 0
    ]
    assert zero_lines and zero_lines[0].parent is not None and spending_total.category == "spending.total"


def test_a_change_after_a_total_does_not_take_its_breakdown():
    facts = by_value(
        "某区总工会2020年度决算\n2020年度支出合计387.82万元，较上年决算数减少125.51万元，下降24.5%，主要原因是运行"
        "经费减少。其中：基本支出225.87万元，占58.2%；项目支出161.95万元。"
    )
    total = facts[3_878_200]
    assert facts[1_255_100].measure == "change" and facts[1_255_100].direction == "decrease"
    assert facts[2_258_700].parent == total.id and facts[1_619_500].parent == total.id


def test_a_standard_governs_only_its_own_clause():
    facts = by_value(
        "某县总工会2025年金秋助学\n总计发放助学金13.9万元。其中，大学生23名，每名助学金5000元，计11.5万元；"
        "高中生4名，每名助学金6000元，计2.4万元。"
    )
    assert facts[5000].measure == "rate" and facts[115_000].measure != "rate"
    assert facts[115_000].parent == facts[139_000].id and facts[24_000].parent == facts[139_000].id


def test_parts_that_add_up_exactly_to_a_total_stated_beside_them_are_its_parts():
    before = by_value(
        "某县总工会抗洪救灾\n省总工会拨付应急补助30万元，市总工会配套20万元补助资金，向县总工会拨付共计50万元。"
    )
    assert before[300_000].parent == before[500_000].id == before[200_000].parent
    after = by_value(
        "某市总工会2023年送温暖\n下一步将筹集资金16.2万元，为困难职工发放救助金11.8万元，为劳动模范发放慰问金4.4万元。"
    )
    assert after[118_000].parent == after[162_000].id == after[44_000].parent
    unrelated = by_value(
        "某市总工会2023年送温暖\n筹集资金16.2万元，为困难职工发放救助金11.8万元，为劳动模范发放慰问金3.4万元。"
    )
    assert unrelated[118_000].parent is None and unrelated[34_000].parent is None


# ---- the union's own name -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "zone, names",
    [
        ("记者从宝鸡市总工会十八届五次全委会议上获悉", ["宝鸡市总工会"]),
        ("此次夏送清凉活动远安县总工会筹措资金", ["远安县总工会"]),
        ("县总工会主席石聪带领县总工会干部走访", []),  # a phrase of a sentence is not a name
        ("为扎实开展好全县工会工作", []),
        ("重庆市九龙坡区总工会2018年度部门决算", ["重庆市九龙坡区总工会"]),
        ("关于雁峰区总工会2021年度部门整体支出绩效报告", ["雁峰区总工会"]),
    ],
)
def test_union_names_are_cut_to_the_place_they_name(zone, names):
    assert union_names(zone) == names


def test_the_name_in_the_signature_is_confident_and_one_in_the_body_is_not():
    signed = identify("2022年度部门整体支出绩效报告\n一、部门概况\n" + "正文。\n" * 12 + "珠晖区总工会\n2023年3月15日")
    assert (signed.org, signed.org_confident) == ("珠晖区总工会", True)
    body = identify(
        "送温暖活动纪实\n"
        + "正文。\n" * 12
        + "这次活动由石鼓区总工会与多家单位共同开展，效果良好，职工满意。" * 2
        + "\n"
        + "正文。\n" * 8
    )
    assert body.org == "石鼓区总工会" and not body.org_confident


# ---- every number accounted for -----------------------------------------------------------------------------------
def test_every_number_is_read_or_dismissed_with_a_reason():
    text = (
        "source: https://example.org/2023/0412/5566.html\n某区总工会2022年度部门整体支出绩效报告\n发布时间：2023-03-17 "
        "10:21 浏览次数：253\n一、部门概况\n1、本会共有在职人员12人，联系电话0734-8212345。\n"
        "2、全年部门整体支出107.70万元，比上年增长5.2%，连续26年开展送温暖活动，惠及职工1200人次。"
    )
    extraction = extract_text(text)
    notes = extraction.numbers
    assert all(n.verdict in {"fact", "dismissed"} for n in notes), [n for n in notes if n.verdict == "unread"]
    reasons = {n.text: n.reason for n in notes if n.verdict == "dismissed"}
    assert reasons["2023"] == "来源网址" or reasons.get("0734") == "电话"
    assert reasons["0734"] == "电话" and reasons["26"] == "时长"
    assert reasons["10"] == reasons["253"] == "页面信息"  # the page's own line, not the report
    assert unread_money(notes) == []


def test_money_that_cannot_be_read_is_named_to_the_district():
    extraction = extract_text("某区总工会2022年度报告\n为困难学生每人发放助学款360元-740元不等。")
    unread = unread_money(extraction.numbers)
    assert [n.text for n in unread] == ["740"]
    (problem,) = [p for p in extraction.problems if p.code == "unread_money"]
    assert "740" in problem.message and "助学款" in problem.message


def test_the_total_that_includes_subsidies_is_the_total_and_a_subsidy_total_is_a_subsidy():
    (total,) = amounts("某区总工会2022年度部门整体支出绩效报告\n2022年部门整体支出含对下补助共计500万元。")
    assert total.category == "spending.total"
    (subsidy,) = amounts("某区总工会2022年度部门整体支出绩效报告\n对下补助支出合计16.45万元。")
    assert subsidy.category.startswith("subsidy")


def test_project_execution_statements():
    facts = by_value("某区总工会2022年度项目支出绩效自评\n项目年初预算30万元，年中调增5万元，截止至12月支出34.5万元。")
    assert (facts[300_000].measure, facts[50_000].measure, facts[345_000].measure) == ("budget", "budget", "actual")


def test_a_stated_total_after_a_list_is_not_one_of_its_items():
    facts = by_value(
        "某县总工会2020年项目申报表\n资金来源：一般公共预算财政拨款67.56万元，其中：申请当年预算拨款67.56万元。"
        "项目支出明细合计75.56万元，商品服务支出72万元。"
    )
    assert facts[755_600].parent is None


def test_page_furniture_is_not_read_as_figures():
    extraction = extract_text(
        "某区总工会2022年度报告\n浏览:640次 发布时间:2023-03-17\n全年送温暖支出5万元，惠及职工300人次。"
        "\n上一篇：某某新闻 下一篇：某某新闻"
    )
    assert sorted(f.value for f in extraction.facts) == [300, 50_000]
    assert {n.text: n.reason for n in extraction.numbers}["640"] == "页面信息"


def test_a_total_over_many_years_is_not_this_years_figure():
    text = (
        "端州区总工会2020年金秋助学工作总结\n"
        "今年为该区40名困难职工子女发放助学金16.2万元。"
        "自2007年启动“金秋助学”活动以来，累计为573名困难职工子女发放助学金145.9万元。"
        "今年送温暖活动开展以来，区总工会共筹措资金17万元慰问困难职工。\n"
    )
    facts = {f.value: f for f in extract_text(text).facts if f.kind == "amount"}
    assert facts[162_000].measure == "actual"
    assert facts[1_459_000].measure == "prior"  # since 2007: the campaign's history, not 2020
    assert facts[170_000].measure == "actual"  # 以来 of this year's campaign
