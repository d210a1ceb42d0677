"""Faithfulness as a property: for any amount written any way inside any sentence, the fact's span reads back as its
value, and the value is what the writer meant."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.extract import extract_text
from ingest.numbers import value_of_span

FULL_WIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")
LABELS = ["困难职工帮扶支出", "对下补助", "文体活动开支", "部门整体支出为", "送温暖慰问金", "某项费用"]


@st.composite
def written_amount(draw):
    """(text as written, value in 元)."""
    style = draw(st.sampled_from(["yuan", "sep", "wan", "wan_full", "yi"]))
    if style in {"wan", "wan_full"}:
        hundredths = draw(st.integers(min_value=1, max_value=99_999_99))
        text = f"{hundredths // 100}.{hundredths % 100:02d}万元"
        if style == "wan_full":
            text = text.translate(FULL_WIDTH)
        return text, hundredths * 100
    if style == "yi":
        tenths = draw(st.integers(min_value=1, max_value=999))
        return f"{tenths // 10}.{tenths % 10}亿元", tenths * 10_000_000
    value = draw(st.integers(min_value=1, max_value=99_999_999))
    return (f"{value:,}元" if style == "sep" else f"{value}元"), value


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(LABELS), written_amount()), min_size=1, max_size=6),
    st.sampled_from(["，", "；", "。", "\n"]),
)
def test_every_amount_span_reads_back_as_its_value(items, joiner):
    text = (
        "区总工会2022年度部门整体支出绩效报告\n"
        + joiner.join(f"{label}{written}" for label, (written, _) in items)
        + "。"
    )
    extraction = extract_text(text)
    amounts = [f for f in extraction.facts if f.kind == "amount"]
    assert sorted(f.value for f in amounts) == sorted(float(v) for _, (_, v) in items)
    for fact in amounts:
        assert value_of_span(extraction.document.text[fact.span[0] : fact.span[1]]) == fact.value
