"""The Excel template: written with units and drop-downs, read back into facts with cell provenance."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from ingest.template import CATEGORY_CHOICES, read_template, read_template_csv, write_template


@pytest.fixture()
def template(tmp_path):
    return write_template(tmp_path / "模板.xlsx", union_name="珠晖区总工会", district_code="430405", year=2022)


def fill(path, overview=None, **sheets):
    wb = load_workbook(path)
    for cell, value in (overview or {}).items():
        wb["概况"][cell] = value
    for sheet, rows in sheets.items():
        for row in rows:
            wb[sheet].append(row)
    wb.save(path)


def test_blank_template_has_sheets_units_and_dropdowns(template):
    wb = load_workbook(template)
    assert wb.sheetnames[:4] == ["概况", "支出", "帮扶", "对下补助"]
    assert [c.value for c in wb["帮扶"][1]][4] == "金额（元）"
    lists = [dv.formula1 for dv in wb["帮扶"].data_validations.dataValidation if dv.type == "list"]
    assert any("送温暖" in f for f in lists) and any("实际支出" in f for f in lists)
    assert wb["帮扶"].freeze_panes == "A2"
    assert wb["概况"]["B2"].value == "珠晖区总工会" and wb["概况"]["B4"].value == 2022


def test_filled_template_reads_into_facts_with_cell_provenance(template):
    fill(
        template,
        {"B5": 1077000, "B6": 715600},
        帮扶=[
            [1, "困难职工帮扶支出", "困难职工帮扶", "实际支出", 298000, None, None, None, ""],
            [2, "医疗互助帮扶支出", "医疗互助/大病救助", "实际支出", 93000, 7, None, 1, ""],
        ],
        对下补助=[[1, "对下补助支出", "对下补助", "实际支出", 480000, 10, None, ""]],
        支出=[[1, "工会活动经费", "其他活动", "预算", 100000, None, ""]],
    )
    extraction = read_template(template)
    assert extraction.problems == []
    assert extraction.document.org == "珠晖区总工会" and extraction.document.year == 2022
    facts = {(f.label, f.kind): f for f in extraction.facts}
    total = facts[("部门整体支出", "amount")]
    assert total.value == 1077000 and total.category == "spending.total" and "概况!B5" in total.text
    medical = facts[("医疗互助帮扶支出", "amount")]
    assert medical.parent == facts[("困难职工帮扶支出", "amount")].id and medical.category == "aid.medical"
    count = facts[("医疗互助帮扶支出人次", "count")]
    assert count.value == 7 and count.unit == "人次" and count.parent == medical.id and "帮扶!F3" in count.text
    assert facts[("工会活动经费", "amount")].measure == "budget"
    assert facts[("对下补助支出受补助单位数", "count")].value == 10
    for fact in extraction.facts:  # provenance spans read back as the value
        if fact.span:
            shown = extraction.document.text[fact.span[0] : fact.span[1]]
            assert float(shown.rstrip("元").replace(",", "")) == fact.value


def test_text_in_number_cell_and_negative_count_are_named_by_cell(template):
    fill(template, 帮扶=[[1, "生活救助", "生活救助", "实际支出", "十万", -3, None, None, ""]])
    messages = [p.message for p in read_template(template).problems]
    assert any(m.startswith("帮扶!E2") and "十万" in m for m in messages)
    assert any(m.startswith("帮扶!F2") and "负数" in m for m in messages)


def test_unknown_category_and_missing_parent(template):
    fill(template, 支出=[[1, "体育比赛", "不存在的类别", "实际支出", 1000, 9, ""]])
    messages = [p.message for p in read_template(template).problems]
    assert any("支出!C2" in m for m in messages) and any("支出!F2" in m and "9" in m for m in messages)


def test_missing_sheet_is_unreadable(template):
    wb = load_workbook(template)
    del wb["帮扶"]
    wb.save(template)
    extraction = read_template(template)
    assert extraction.facts == [] and "缺少工作表：帮扶" in extraction.problems[0].message


def test_not_an_excel_file(tmp_path):
    bogus = tmp_path / "x.xlsx"
    bogus.write_text("not a zip", encoding="utf-8")
    (problem,) = read_template(bogus).problems
    assert problem.severity == "fatal" and "x.xlsx" in problem.message


def test_csv_with_the_same_columns(tmp_path):
    path = tmp_path / "submission.csv"
    path.write_text(
        "表,序号,项目名称,类别,口径,金额（元）,人次,户数,受补助单位数,上级序号,说明\n"
        "概况,,报送单位,,,,,,,,珠晖区总工会\n概况,,年度,,,,,,,,2022\n"
        "概况,,部门整体支出,,,1077000,,,,,\n"
        "帮扶,1,送温暖支出,送温暖,实际支出,314029,933,,,,\n",
        encoding="utf-8",
    )
    extraction = read_template_csv(path)
    assert extraction.problems == []
    assert extraction.document.org == "珠晖区总工会" and extraction.document.year == 2022
    values = {(f.label, f.kind): f.value for f in extraction.facts}
    assert values[("部门整体支出", "amount")] == 1077000 and values[("送温暖支出人次", "count")] == 933


def test_every_dropdown_choice_maps_to_a_taxonomy_area():
    areas = {"spending", "activity", "aid", "subsidy"}
    for choices in CATEGORY_CHOICES.values():
        assert all(category.split(".")[0] in areas for category in choices.values())


@pytest.mark.parametrize("typed", ["1e400", "Infinity", "nan", "-inf"])
def test_non_finite_numbers_are_named_by_cell_not_accepted(template, typed):
    fill(template, {"B5": typed}, 帮扶=[[1, "生活救助", "生活救助", "实际支出", 5000, typed, None, None, ""]])
    extraction = read_template(template)
    messages = [p.message for p in extraction.problems]
    assert any(m.startswith("概况!B5") for m in messages) and any(m.startswith("帮扶!F2") for m in messages)
    assert all(f.value == f.value and abs(f.value) < 1e300 for f in extraction.facts)  # no nan, no inf


def test_a_formula_without_a_stored_result_is_named_not_dropped(template):
    """openpyxl writes formulas without computing them, as a script or a web export would: the total must not
    vanish while the file reads as fine."""
    fill(template, {"B5": "=B6+B7", "B6": 715600, "B7": 361400})
    extraction = read_template(template)
    (problem,) = [p for p in extraction.problems if p.message.startswith("概况!B5")]
    assert "公式" in problem.message and "=B6+B7" in problem.message
    assert problem.severity == "fatal"


def test_a_sheet_with_more_rows_than_a_template_needs_is_refused_with_a_reason(template):
    from ingest.template import MAX_ROWS

    fill(template, 支出=[[n, f"项目{n}", "其他活动", "实际支出", 1, None, ""] for n in range(MAX_ROWS + 5)])
    extraction = read_template(template)
    assert extraction.facts == []
    (problem,) = extraction.problems
    assert problem.severity == "fatal" and "支出" in problem.message and str(MAX_ROWS) in problem.message


def test_a_workbook_that_unpacks_to_gigabytes_is_refused_before_it_is_opened(tmp_path):
    import zipfile

    from ingest.template import read_template, write_template

    path = write_template(tmp_path / "t.xlsx", union_name="珠晖区总工会", district_code="430405", year=2023)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/sharedStrings2.xml", b"<s>" + b"A" * (80 * 1024 * 1024) + b"</s>")
    extraction = read_template(path)
    assert not extraction.facts and "压缩炸弹" in extraction.problems[0].message
