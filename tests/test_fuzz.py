"""No input escapes as an exception: the text reader, the extractor and the template reader take anything a district
(or a broken export) can produce and answer with facts or with problems, never with a traceback."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.extract import extract_text
from ingest.model import Extraction
from ingest.readers import ReadError, decode_text

PIECES = [
    "万元",
    "元",
    "亿",
    "万",
    "千元",
    "余",
    "多",
    "其中",
    "合计",
    "总计",
    "，",
    "。",
    "；",
    "：",
    "（",
    "）",
    "\n",
    "\t",
    "|",
    "%",
    "人次",
    "户",
    "个",
    "-",
    ".",
    ",",
    "、",
    "年",
    "度",
    "2022",
    "预算",
    "决算",
    "支出",
    "收入",
    "單位：萬元",
    "經(jīng)費",
    "????",
    "第",
    "共计",
    "比上年增加",
    "每人",
    "各是",
    "行次",
    "总工会",
    " ",
]
TEXT = st.lists(
    st.one_of(
        st.sampled_from(PIECES),
        st.text(alphabet=string.digits, min_size=1, max_size=12),
        st.text(min_size=0, max_size=6),
    ),
    max_size=80,
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_any_text_is_read_without_an_exception(text):
    extraction = extract_text(text)
    assert isinstance(extraction, Extraction)
    for fact in extraction.facts:
        assert fact.value == fact.value  # never NaN
    for note in extraction.numbers:
        assert note.verdict in {"fact", "dismissed", "unread"}


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_decode_or_are_named_unreadable(data):
    try:
        decode_text(data, "x.txt")
    except ReadError as exc:
        assert "x.txt" in str(exc)


CELL = st.one_of(
    st.none(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True),
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),  # what Excel holds
    st.sampled_from(
        ["1e400", "Infinity", "nan", "=SUM(E2:E5)", "十万", "-3", "1,234.50", " ", "困难职工帮扶", "实际支出", "预算"]
    ),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(st.lists(st.lists(CELL, min_size=9, max_size=9), max_size=6), CELL)
def test_any_filled_template_reads_to_facts_or_named_cells(tmp_path_factory, rows, total):
    from openpyxl import load_workbook

    from ingest.template import read_template, write_template

    path = write_template(
        tmp_path_factory.mktemp("t") / "t.xlsx", union_name="珠晖区总工会", district_code="430405", year=2022
    )
    wb = load_workbook(path)
    wb["概况"]["B5"] = total if not isinstance(total, float) or total == total else None
    for row in rows:
        wb["帮扶"].append([c if not (isinstance(c, float) and c != c) else "nan" for c in row])
    wb.save(path)
    extraction = read_template(path)
    assert all(f.value == f.value and abs(f.value) != float("inf") for f in extraction.facts)
    assert all(p.message for p in extraction.problems)
