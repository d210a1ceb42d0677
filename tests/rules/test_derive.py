"""Derived facts for the spending identity."""

from __future__ import annotations

from expectations.derive import with_derived_facts
from ingest.extract import extract_text


def derived_of(text):
    return [f for f in with_derived_facts(extract_text(text)).facts if f.derived]


def test_project_spending_derived_from_total_and_basic():
    (fact,) = derived_of("部门整体支出为107.70万元。全年基本支出71.56万元。")
    assert (fact.category, fact.value, fact.measure) == ("spending.project", 361_400, "actual")
    assert fact.label == "项目支出（推算）" and fact.span is None and "推算" in fact.text
    assert fact.precision == 100  # ±50 元 on each stated figure


def test_total_derived_from_its_parts():
    (fact,) = derived_of("基本支出71.56万元，项目支出36.14万元。")
    assert (fact.category, fact.value, fact.parent) == ("spending.total", 1_077_000, None)


def test_nothing_derived_when_all_three_or_one_are_stated_or_the_parts_contradict():
    assert derived_of("部门整体支出为107.70万元，其中基本支出71.56万元，项目支出36.14万元。") == []
    assert derived_of("部门整体支出为107.70万元。") == []
    assert derived_of("部门整体支出为10万元。基本支出71.56万元。") == []
