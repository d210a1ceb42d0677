"""Money the reading could not read reaches the district (a warning naming the sentence) and the city (counted per
submission on the validation page), through the real intake on a real DuckDB work file."""

from __future__ import annotations

from ingest.tenants import load_tenants
from intake import warehouse
from intake.landing import land_file
from intake.submission import take_in_file
from reporting.validation_page import render_validation_page

REPORT = (
    "珠晖区总工会2022年度部门整体支出绩效报告\n一、部门概况\n部门整体支出为107.70万元，其中基本支出71.56万元，"
    "项目支出36.14万元。\n二、金秋助学\n为困难职工子女每人发放助学款360元-740元不等。\n"
)


def test_unread_money_is_a_warning_for_the_district_and_a_count_for_the_city(tmp_path):
    con = warehouse.connect(tmp_path / "work.duckdb")
    path = land_file(tmp_path / "landing", tmp_path / "报告.txt", 2022, "430405", REPORT.encode("utf-8"))
    outcome = take_in_file(
        con,
        archive_dir=tmp_path / "archive",
        landing_root=tmp_path / "landing",
        path=path,
        tenants=load_tenants(),
        district_code="430405",
        year=2022,
        actor="test",
    )
    assert outcome.status == "accepted"  # a warning never rejects
    (finding,) = [f for f in outcome.findings if f.rule_id == "RDG001"]
    assert "740" in finding.message and "助学款" in finding.message
    page = render_validation_page(con, [], tmp_path / "validation" / "index.html").read_text(encoding="utf-8")
    con.close()
    row = next(r for r in page.split("<tr>") if "430405-2022-v1" in r)
    cells = [c.split("</td>")[0] for c in row.split("<td>")[1:]]
    assert cells[6] == "1" and "未读出金额" in page
