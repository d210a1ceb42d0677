"""REC003: a workbook that disagrees with the warehouse is caught, one that agrees passes."""

from __future__ import annotations

import duckdb
from openpyxl import Workbook

from reporting.reconcile import reconcile_workbooks


def workbook(path, rows, total=None):
    """The 汇总 sheet as the report writes it: title, unit and date, a note, the header, the rows, 全市合计."""
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    ws.append(["衡阳市总工会2022年度区县工会部门整体支出——汇总"])
    ws.append(["单位：元"])
    ws.append([])
    ws.append(["区县代码", "区县", "状态", "审核", "计入合计", "总", "基本", "项目", "文体", "帮扶", "人次", "补助"])
    for row in rows:
        ws.append(row)
    if total is not None:
        ws.append(["全市合计", "", "", "", "", *total])
    path.parent.mkdir(parents=True)
    wb.save(path)


def test_workbook_against_rollup(tmp_path):
    con = duckdb.connect()
    con.execute("""CREATE SCHEMA reports; CREATE TABLE reports.rpt_city_rollup AS SELECT * FROM (VALUES
        (2022, '430405', true, 1077000.0, 715600.0, NULL, 245686.0, 612029.0, 940.0, 480000.0),
        (2022, '430406', false, NULL, NULL, NULL, NULL, NULL, NULL, NULL))
        t(year, district_code, summed, total_spending_yuan, basic_spending_yuan, project_spending_yuan, activity_yuan,
          aid_yuan, aid_person_times, subsidy_yuan)""")
    good = [
        ["430405", "珠晖区", "已接收", "未审核", "是", 1077000, 715600, None, 245686, 612029, 940, 480000],
        ["430406", "雁峰区", "待更正", "—", "否", None, None, None, None, None, None, None],
    ]
    total = [1077000, 715600, 0, 245686, 612029, 940, 480000]
    workbook(tmp_path / "2022" / "city_report.xlsx", good, total)
    compared, problems = reconcile_workbooks(con, tmp_path)
    assert compared == 21 and problems == []
    bad = [good[0][:9] + [612000] + good[0][10:], good[1]]
    workbook(tmp_path / "bad" / "2022" / "city_report.xlsx", bad, total)
    _, problems = reconcile_workbooks(con, tmp_path / "bad")
    assert len(problems) == 1 and "aid_yuan shows 612000" in problems[0]
    wrong_total = [1077000, 715600, 0, 245686, 612029, 940, 48000]
    workbook(tmp_path / "bad_total" / "2022" / "city_report.xlsx", good, wrong_total)
    _, problems = reconcile_workbooks(con, tmp_path / "bad_total")
    assert len(problems) == 1 and "全市合计 subsidy_yuan shows 48000" in problems[0]


def test_a_verified_workbook_is_read_again_only_when_it_or_its_rollup_changes(tmp_path):
    con = duckdb.connect()
    con.execute("""CREATE SCHEMA reports; CREATE TABLE reports.rpt_city_rollup AS SELECT * FROM (VALUES
        (2022, '430405', true, 1077000.0, 715600.0, NULL, 245686.0, 612029.0, 940.0, 480000.0))
        t(year, district_code, summed, total_spending_yuan, basic_spending_yuan, project_spending_yuan, activity_yuan,
          aid_yuan, aid_person_times, subsidy_yuan)""")
    row = ["430405", "珠晖区", "已接收", "已审核", "是", 1077000, 715600, None, 245686, 612029, 940, 480000]
    path = tmp_path / "2022" / "city_report.xlsx"
    workbook(path, [row])
    assert reconcile_workbooks(con, tmp_path) == (7, [])
    assert reconcile_workbooks(con, tmp_path) == (0, [])  # verified, unchanged: not read
    con.execute("UPDATE reports.rpt_city_rollup SET aid_yuan = 612000")
    compared, problems = reconcile_workbooks(con, tmp_path)  # the rollup changed: read and compared again
    assert compared == 7 and len(problems) == 1
    assert reconcile_workbooks(con, tmp_path)[1] == problems  # a failing workbook is never remembered


def test_the_total_row_takes_only_the_districts_the_city_sums(tmp_path):
    # unreviewed figures left out (Settings.sum_unreviewed = false): 430406 is shown but not in 全市合计
    con = duckdb.connect()
    con.execute("""CREATE SCHEMA reports; CREATE TABLE reports.rpt_city_rollup AS SELECT * FROM (VALUES
        (2022, '430405', true, 1077000.0, 715600.0, NULL, 245686.0, 612029.0, 940.0, 480000.0),
        (2022, '430406', false, 900000.0, 600000.0, NULL, 100000.0, 200000.0, 10.0, 50000.0))
        t(year, district_code, summed, total_spending_yuan, basic_spending_yuan, project_spending_yuan, activity_yuan,
          aid_yuan, aid_person_times, subsidy_yuan)""")
    rows = [
        ["430405", "珠晖区", "已接收", "已审核", "是", 1077000, 715600, None, 245686, 612029, 940, 480000],
        ["430406", "雁峰区", "已接收", "未审核", "否", 900000, 600000, None, 100000, 200000, 10, 50000],
    ]
    workbook(tmp_path / "2022" / "city_report.xlsx", rows, [1077000, 715600, 0, 245686, 612029, 940, 480000])
    assert reconcile_workbooks(con, tmp_path)[1] == []
    both = [1977000, 1315600, 0, 345686, 812029, 950, 530000]
    workbook(tmp_path / "all" / "2022" / "city_report.xlsx", rows, both)
    _, problems = reconcile_workbooks(con, tmp_path / "all")
    assert len(problems) == 6 and all("全市合计" in p for p in problems)  # 项目支出 is empty in both rows
