"""Every way a Chinese report writes a number, read to the value DESIGN.md fixes."""

from __future__ import annotations

import pytest

from ingest.normalise import normalise
from ingest.numbers import chinese_to_int, find_amounts, find_counts, find_percentages, value_of_span


@pytest.mark.parametrize(
    "text, value, unit, precision",
    [
        ("部门整体支出为107.70万元", 1_077_000, "万元", 50),
        ("全年支出1,337,715元", 1_337_715, "元", 0.5),
        ("预算二十二万元", 220_000, "万元", 5_000),
        ("两千元", 2_000, "元", 500),
        ("资金1.5亿元", 150_000_000, "亿元", 5_000_000),
        ("经费30千元", 30_000, "千元", 500),
        ("一般公共预算财政拨款 67.56 万元", 675_600, "万元", 50),
        ("慰问金0.4万元", 4_000, "万元", 500),
    ],
)
def test_amounts(text, value, unit, precision):
    (n,) = find_amounts(text)
    assert (n.value, n.unit, n.precision) == (value, unit, precision)
    assert value_of_span(text[n.start : n.end]) == value


def test_full_width_digits_after_normalisation():
    text = normalise("部门整体支出为１０７．７０万元，共１，３３７，７１５元")
    assert [n.value for n in find_amounts(text)] == [1_077_000, 1_337_715]


@pytest.mark.parametrize(
    "text, approx", [("共投入资金83万多元", True), ("约3万元", True), ("近3万元", True), ("共3万元", False)]
)
def test_approximate_amounts(text, approx):
    (n,) = find_amounts(text)
    assert n.approx is approx


@pytest.mark.parametrize(
    "text, value, unit, approx",
    [
        ("一百零五人次", 105, "人次", False),
        ("100余名队员", 100, "名", True),
        ("近千人次", 1000, "人次", True),
        ("解困脱困三户", 3, "户", False),
        ("走访十二个企业", 12, "个", False),
        ("933人次", 933, "人次", False),
        ("6户次", 6, "户次", False),
    ],
)
def test_counts(text, value, unit, approx):
    (n,) = find_counts(text)
    assert (n.value, n.unit, n.approx) == (value, unit, approx)


@pytest.mark.parametrize(
    "text",
    [
        "2022年7月15日",
        "第一届比赛",
        "一线职工",
        "四季送品牌",
        "2020 项目名称",
        "联系电话0722-6232953",
        "1、督促基层工会",
        "千家万户",
        "《工会法》第五章第四十二条",
    ],
)
def test_not_figures(text):
    assert find_amounts(text) == [] and find_counts(text) == []


def test_percentages_are_ratios():
    (n,) = find_percentages(normalise("满意度达100％，增长21.07%")[:8])
    assert n.value == 1.0
    assert [p.value for p in find_percentages("增长21.07%")] == [pytest.approx(0.2107)]


@pytest.mark.parametrize(
    "numeral, value",
    [
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("一百零五", 105),
        ("两千", 2000),
        ("二十二万", 220000),
        ("一亿二千万", 120_000_000),
        ("三", 3),
    ],
)
def test_chinese_numerals(numeral, value):
    assert chinese_to_int(numeral) == value
