"""The workbook's table bodies are rendered as XML in one pass (reporting/xlsx_body.py): what a reader opens must be
the cells that were given, whatever text a submission carries."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from reporting.workbook import COUNT_FORMAT, YUAN_FORMAT, _Book

SOFFICE = shutil.which("soffice")
HEADERS = [("区县", None), ("原文", None), ("金额", YUAN_FORMAT), ("人次", COUNT_FORMAT), ("计入", None)]
ROWS = [
    ["珠晖区", "慰问困难职工&家属<共>计", 1234.5, 56, True],
    ["雁峰区", "  前后有空格  ", None, 0, False],
    ["石鼓区", '=HYPERLINK("http://example.invalid")', float("nan"), None, None],
    ["蒸湘区", "", 98_765_432.01, 7, None],
    ["南岳区", "长" * 40_000, -3.0, None, None],
]


@pytest.fixture
def workbook(tmp_path):
    book = _Book(tmp_path / "book.xlsx", title="测试", subtitle="单位：元", maker="测试总工会")
    book.sheet("明细", HEADERS, ROWS, totals={2: "sum"}, total_label="合计")
    book.sheet("空表", HEADERS, [])
    return book.close()


def test_cells_read_back_as_given(workbook):
    sheet = load_workbook(workbook)["明细"]
    assert [c.value for c in sheet[4]] == [name for name, _ in HEADERS]
    body = [[c.value for c in row] for row in sheet.iter_rows(min_row=5, max_row=9)]
    assert body[0] == ["珠晖区", "慰问困难职工&家属<共>计", 1234.5, 56, True]
    assert body[1] == ["雁峰区", "  前后有空格  ", None, 0, False]  # whitespace kept, blanks stay blank
    # a submission's text that looks like a formula stays text; a value that is not a number is Excel's error
    assert body[2] == ["石鼓区", '=HYPERLINK("http://example.invalid")', "#NUM!", None, None]
    assert sheet["B7"].data_type == "s"
    assert body[3] == ["蒸湘区", None, 98_765_432.01, 7, None]  # empty text is no cell; amounts round-trip
    assert body[4][1] == "长" * 32_767 and body[4][2] == -3.0  # Excel's longest cell text
    assert sheet["C5"].number_format == YUAN_FORMAT and sheet["D5"].number_format == COUNT_FORMAT
    assert sheet["A10"].value == "合计" and sheet["C10"].value == "=SUM(C5:C9)"
    (table,) = sheet.tables.values()
    assert table.ref == "A4:E10"


def test_a_sheet_without_rows_keeps_one_empty_table_row(workbook):
    sheet = load_workbook(workbook)["空表"]
    (table,) = sheet.tables.values()
    assert table.ref == "A4:E5" and all(c.value is None for c in sheet[5])


@pytest.mark.skipif(not SOFFICE, reason="LibreOffice not installed (make test installs them)")
def test_libreoffice_reads_the_rendered_rows(workbook, tmp_path):
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",  # comma, quote, UTF-8
            "--outdir",
            str(tmp_path),
            str(workbook),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    text = (tmp_path / "book.csv").read_text(encoding="utf-8")
    assert "慰问困难职工&家属<共>计" in text and "珠晖区" in text and "1234.5" in text.replace(",", "")
