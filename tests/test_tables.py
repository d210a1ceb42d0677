"""Tables are tables, whichever way they arrive: Word tables (merged cells, a header over two rows), ruled PDF tables
(pdfplumber's geometry, printed by a real Chromium), and tables flattened into text — one cell per line, cells ending
in '|', a whole table on one line with its amounts printed after the row labels. What each column measures comes
from its header, parents from the table's own 其中 / 小计 / 合计 and arithmetic, and a reading the arithmetic does not
confirm is said, never silently assigned."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document as WordDocument

from ingest.extract import extract_file, extract_text
from ingest.normalise import normalise
from ingest.readers import read_pdf

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed (make test installs it)")


def amounts(extraction):
    return [f for f in extraction.facts if f.kind == "amount"]


def table_facts(extraction, label):
    return [(f.value, f.measure) for f in amounts(extraction) if f.label == label]


# ---- flattened into text ------------------------------------------------------------------------------------------
FLATTENED = """某区总工会2023年度部门整体支出绩效自评附表
2023年度部门整体支出绩效评价基础数据表
经费控制情况（万元）
2022年决算数
2023年预算数
2023年决算数
支出总额
500.00
520.00
510.00
基本支出
300.00
310.00
305.00
  其中：公用经费
40.00
42.00
41.00
项目支出:
200.00
210.00
205.00
1、职工帮扶专项经费
120.00
130.00
125.00
2、专项资金（一个专项一行）
劳模慰问
80.00
80.00
职工书屋建设
0
0
政府采购金额
60.00
60.00
厉行节约保障措施
进一步完善内控机制，加强预算支出管理，严格落实过紧日子要求，压减一般性支出，降低行政运行支出。"""


def test_a_table_flattened_one_cell_per_line():
    extraction = extract_text(FLATTENED)
    assert table_facts(extraction, "支出总额") == [(5_000_000, "prior"), (5_200_000, "budget"), (5_100_000, "actual")]
    by = {(f.label, f.measure): f for f in amounts(extraction)}
    total, basic, project = by["支出总额", "actual"], by["基本支出", "actual"], by["项目支出", "actual"]
    assert basic.parent == total.id and project.parent == total.id  # 300 + 200 = 500 …
    assert by["公用经费", "actual"].parent == basic.id  # 其中
    assert by["职工帮扶专项经费", "actual"].parent == project.id  # numbered under 项目支出:
    # a row with two cells lost its first (the earlier year): read right-aligned, confirmed by 项目支出's own sum
    assert table_facts(extraction, "劳模慰问") == [(800_000, "budget"), (800_000, "actual")]
    assert by["劳模慰问", "actual"].parent == project.id
    assert by["政府采购金额", "actual"].parent is None  # the breakdown is complete
    assert by["职工帮扶专项经费", "actual"].category == "aid.hardship"  # aid to people stays aid
    doubts = [p.message for p in extraction.problems if p.code == "table_doubt"]
    assert len(doubts) == 1 and "政府采购金额" in doubts[0]  # unconfirmed: said, not hidden
    assert all(f.span is None and f.unit == "万元" for f in amounts(extraction))  # no unit beside a cell


PIPED = """（单位：万元）
三公经费项目 |
合计 |
因公出国（境）费 |
公务用车购置及运行费 |
公务接待费 |
小计 |
公务用车
购置费 |
公务用车
运行费 |
小计 |
国内接待 |
外事接待 |
行次 |
1 |
2 |
3 |
4 |
5 |
6 |
7 |
8 |
2023年度预算数 |
10.00 |
0.00 |
6.00 |
0.00 |
6.00 |
4.00 |
4.00 |
0.00 |
2023年度决算数 |
9.00 |
0.00 |
5.50 |
0.00 |
5.50 |
3.50 |
3.50 |
0.00 |
决算对比 |
-1.00 |
0.00 |
-0.50 |
0.00 |
-0.50 |
-0.50 |
-0.50 |
0.00 |
注：决算数是当年一般公共预算财政拨款安排的实际支出，决算对比为决算数减去预算数，负数表示比预算节约。"""


def test_a_transposed_table_with_a_two_level_header_and_cells_ending_in_bars():
    extraction = extract_text("某区总工会2023年度部门决算“三公”经费说明\n" + PIPED)
    by = {(f.label, f.measure): f for f in amounts(extraction)}
    total = by["合计（2023年度决算数）", "actual"]
    car = by["公务用车购置及运行费小计（2023年度决算数）", "actual"]
    assert total.value == 90_000 and car.parent == total.id
    assert by["公务用车运行费（2023年度决算数）", "actual"].parent == car.id
    assert by["国内接待（2023年度决算数）", "actual"].parent == by["公务接待费小计（2023年度决算数）", "actual"].id
    assert by["合计（2023年度预算数）", "budget"].value == 100_000
    saved = by["合计（决算对比）", "change"]
    assert (saved.value, saved.direction) == (10_000, "decrease")  # -1.00 read as a decrease
    assert all(f.category == "spending.three_public" for f in amounts(extraction))
    assert all(n.verdict != "unread" for n in extraction.numbers)  # 行次 1…8 are not amounts


ONE_LINE = (
    "收入支出决算总表 部门：某区总工会 公开01表 金额单位：元 收入 项目 行次 栏次 金额 1 一、财政拨款收入 1 "
    "二、上级补助收入 2 三、事业收入 3 四、其他收入 4 1,200,000.00 300,000.00 5 6 本年收入合计 7 "
    "年初结转和结余 8 总计 9 1,500,000.00 1,500,000.00 支出 项目 行次 栏次 金额 2 一、一般公共服务支出 10 "
    "1,450,000.00 二、社会保障和就业支出 11 50,000.00"
)


def test_a_whole_table_on_one_line_with_amounts_printed_after_the_labels():
    extraction = extract_text("某区总工会2022年度部门决算公开表\n" + ONE_LINE)
    by = {f.value: f for f in amounts(extraction)}
    # a cell right after its own label and row number is that row's
    assert by[1_450_000].label == "一般公共服务支出" and by[1_450_000].category == "spending.by_function"
    # two amounts after four labels: which rows they belong to is unknown, and said so
    unknown = [f for f in amounts(extraction) if "行次不明" in f.label]
    assert sorted(f.value for f in unknown) == [300_000, 1_200_000]
    assert all(f.category.startswith("income") for f in unknown)
    # the total among the later labels equals their sum: the arithmetic places it, and makes it their parent
    income_total = next(f for f in amounts(extraction) if f.label == "本年收入合计")
    assert income_total.value == 1_500_000 and {f.parent for f in unknown} == {income_total.id}
    doubts = [p.message for p in extraction.problems if p.code == "table_doubt"]
    assert len(doubts) == 2 and all("无法确定属于哪一行" in d for d in doubts)


# ---- Word tables --------------------------------------------------------------------------------------------------
def test_a_word_table_with_merged_cells_and_a_header_over_two_rows(tmp_path):
    doc = WordDocument()
    doc.add_paragraph("某区总工会2023年度部门整体支出绩效报告")
    doc.add_paragraph("附表：部门支出情况（单位：万元）")
    table = doc.add_table(rows=4, cols=5)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "项目"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "2022年"
    table.cell(0, 3).merge(table.cell(0, 4)).text = "2023年"
    for col, text in zip(range(1, 5), ["预算数", "决算数", "预算数", "决算数"]):
        table.cell(1, col).text = text
    for row, (label, *cells) in enumerate(
        [
            ("部门整体支出", "100.00", "98.00", "110.00", "107.70"),
            ("  其中：基本支出", "70.00", "69.00", "72.00", "71.56"),
        ],
        start=2,
    ):
        table.cell(row, 0).text = label
        for col, text in enumerate(cells, start=1):
            table.cell(row, col).text = text
    path = tmp_path / "report.docx"
    doc.save(path)
    extraction = extract_file(path)
    assert table_facts(extraction, "部门整体支出") == [
        (1_000_000, "prior"),
        (980_000, "prior"),
        (1_100_000, "budget"),
        (1_077_000, "actual"),
    ]
    by = {(f.label, f.measure, f.value): f for f in amounts(extraction)}
    assert by["基本支出", "actual", 715_600].parent == by["部门整体支出", "actual", 1_077_000].id


# ---- PDF ----------------------------------------------------------------------------------------------------------
PAGE = """<html><head><meta charset="utf-8"><style>
body {{ font-family: "Noto Sans CJK SC", sans-serif; width: 150mm; font-size: 12pt; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #000; padding: 2px 6px; }}
</style></head><body>{body}</body></html>"""


def print_pdf(tmp_path: Path, body: str) -> Path:
    html, pdf = tmp_path / "page.html", tmp_path / "page.pdf"
    html.write_text(PAGE.format(body=body), encoding="utf-8")
    subprocess.run(
        [
            CHROMIUM,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            html.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return pdf


@needs_chromium
def test_a_ruled_pdf_table_is_read_by_its_geometry(tmp_path):
    pdf = print_pdf(
        tmp_path,
        """<h3>某区总工会2023年度部门整体支出绩效报告</h3><p>单位：万元</p>
        <table><tr><th>项目</th><th>2022年决算数</th><th>2023年预算数</th><th>2023年决算数</th></tr>
        <tr><td>支出总额</td><td>1274.38</td><td>1342.49</td><td>1342.49</td></tr>
        <tr><td>基本支出</td><td>606.44</td><td>719.99</td><td>719.99</td></tr>
        <tr><td>项目支出</td><td>667.94</td><td>622.50</td><td>622.50</td></tr></table>""",
    )
    assert "支出总额\t1274.38\t1342.49\t1342.49" in normalise(read_pdf(pdf).text)  # cells as cells, in columns
    extraction = extract_file(pdf)
    assert table_facts(extraction, "支出总额") == [
        (12_743_800, "prior"),
        (13_424_900, "budget"),
        (13_424_900, "actual"),
    ]
    by = {(f.label, f.measure): f for f in amounts(extraction)}
    assert by["项目支出", "actual"].parent == by["支出总额", "actual"].id


@needs_chromium
def test_a_pdf_reads_as_its_text_does_wherever_the_page_wrapped(tmp_path):
    """The 雁峰区 2023 sample printed to a narrow page: every line of its text layer is wrapped mid-sentence, and its
    figures are read exactly as from the text file (the issue's 532,300-instead-of-365,100 case)."""
    sample = next(Path(__file__).resolve().parent.parent.joinpath("samples", "landing", "2023", "430406").glob("*.txt"))
    text = sample.read_text(encoding="utf-8")
    body = "".join(f"<p>{line}</p>" for line in text.splitlines() if line.strip())
    extraction = extract_file(print_pdf(tmp_path, body))
    from_text = extract_text(text)

    def figures(e):
        return sorted((f.value, f.category, f.measure, f.parent is None) for f in amounts(e))

    assert figures(extraction) == figures(from_text)
    wrapped = [s for s in read_pdf(print_pdf(tmp_path, body)).text.split("。") if "\n" in s.strip()]
    assert len(wrapped) >= 5  # the page did wrap sentences
