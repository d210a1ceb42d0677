"""报送 → 确认 → 审核 in Python: the append-only ledger, corrections applied to the real reader's facts, the states a
version goes through and what each refuses, and a resubmission starting from the last confirmed corrections.

The report is the bundled 珠晖区 2021 sample with one sentence added that the reader misreads: a fund's running total
stated without its years (本会金秋助学基金已发放助学金337.34万元) read as this year's aid — the misreading the review
exists for (a text that says 1998年…至今 is read as many years by the reader itself).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from core.labels import ReviewState
from expectations.derive import with_derived_facts
from ingest.extract import extract_text
from intake.headline import headline
from intake.review import Review, ReviewError, Version, carry_forward, change_zh, corrected
from intake.review_ledger import ReviewLedger
from tests.conftest import SAMPLES

# the text names no years: only the district knows the fund has paid this since it was set up
CUMULATIVE = "（三）金秋助学方面，本会金秋助学基金已发放助学金337.34万元，资助困难职工子女2100余人次。"


def cumulative_report() -> str:
    """The 珠晖区 2021 sample with the cumulative sentence after its aid paragraph."""
    text = next((SAMPLES / "landing" / "2021" / "430405").iterdir()).read_text(encoding="utf-8")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("（二）困难职工帮扶方面"))
    return "\n".join([*lines[: at + 1], CUMULATIVE, *lines[at + 1 :]]) + "\n"


def read(text: str):
    extraction = with_derived_facts(extract_text(text, file_name="report.txt"))
    return extraction.facts, extraction.document.text


@pytest.fixture()
def report():
    facts, text = read(cumulative_report())
    cumulative = next(f for f in facts if abs(f.value - 3_373_400) < 1)
    return facts, text, cumulative


@pytest.fixture()
def review(tmp_path: Path) -> Review:
    return Review(ReviewLedger(tmp_path / "reviews.sqlite"), "430405", 2021)


VERSION = Version("430405", 2021, "a" * 64, "430405-2021-v1")


def test_the_ledger_refuses_to_change_or_forget_what_was_said(tmp_path):
    ledger = ReviewLedger(tmp_path / "reviews.sqlite")
    stored = ledger.append(
        [{"kind": "confirmation", "district_code": "430405", "year": 2021, "sha256": "a" * 64, "actor": "x"}] * 2
    )
    assert [e.seq for e in stored] == [1, 2] and stored[0].event_id != stored[1].event_id
    con = sqlite3.connect(tmp_path / "reviews.sqlite")
    for statement in ("UPDATE events SET actor = 'y'", "DELETE FROM events"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute(statement)
    assert [e.actor for e in ledger.events()] == ["x", "x"]


def test_the_reader_sums_the_cumulative_and_the_clerks_correction_takes_it_out(report, review):
    facts, _, cumulative = report
    before = headline(facts)
    assert cumulative.id in {f.id for f in before.figures["aid_yuan"].facts}  # the misreading
    assert before.value("aid_yuan") == pytest.approx(176_800 + 3_373_400 + 135_800)
    review.correct(VERSION, facts, cumulative.id, "not_summed", "cumulative", actor="clerk", reason="历年累计数")
    now = corrected(facts, review.of(VERSION))
    after = now.headline
    assert after.value("aid_yuan") == pytest.approx(176_800 + 135_800)
    # its 2100 人次 are cumulative too: no longer summed with the year's
    assert after.value("aid_person_times") == pytest.approx(before.value("aid_person_times") - 2100)
    assert any(f.id == cumulative.id and "累计" in why for f, why in after.left_out)
    assert now.original[cumulative.id] == cumulative  # the reading itself is never changed


def test_a_version_goes_through_confirm_return_confirm_approve_and_is_then_locked(report, review):
    facts, _, cumulative = report
    assert review.status(VERSION).state == ReviewState.UNCONFIRMED
    with pytest.raises(ReviewError, match="尚未确认"):
        review.approve(VERSION, actor="city")
    review.correct(VERSION, facts, cumulative.id, "not_summed", "cumulative", actor="clerk")
    review.confirm(VERSION, facts, actor="clerk")
    assert review.status(VERSION).state == ReviewState.CONFIRMED
    with pytest.raises(ReviewError, match="已确认"):
        review.confirm(VERSION, facts, actor="clerk")
    with pytest.raises(ReviewError, match="须写明原因"):
        review.send_back(VERSION, actor="city", comment=" ")
    review.send_back(VERSION, actor="city", comment="送温暖支出请核对")
    status = review.status(VERSION)
    assert status.state == ReviewState.RETURNED and status.returned.detail["comment"] == "送温暖支出请核对"
    with pytest.raises(ReviewError, match="重新确认后"):
        review.approve(VERSION, actor="city")
    warmth = next(f for f in facts if f.label == "送温暖支出")
    review.correct(VERSION, facts, warmth.id, "value", "135,000", actor="clerk", reason="以决算为准")
    assert review.status(VERSION).state == ReviewState.UNCONFIRMED  # changed since it was confirmed
    confirmation = review.confirm(VERSION, facts, actor="clerk")
    assert confirmation.detail["figures"]["aid_yuan"] == pytest.approx(176_800 + 135_000)
    review.approve(VERSION, actor="city")
    status = review.status(VERSION)
    assert status.state == ReviewState.APPROVED and status.returned is not None  # the comment stays visible
    with pytest.raises(ReviewError, match="锁定"):
        review.correct(VERSION, facts, warmth.id, "value", "1", actor="clerk")


def test_a_clerk_counts_again_what_the_reader_left_out_as_a_restatement_or_all_levels(review):
    facts, _ = read(
        "珠晖区总工会发放慰问金20万元\n"
        "近日，珠晖区总工会发放慰问金20万元，慰问困难职工100人。全区各级工会组织共慰问患病职工30名，发放慰问金6万元。\n"
    )
    headline_line = next(f for f in facts if f.value == 200_000 and f.restates)
    levels = next(f for f in facts if f.value == 60_000)
    assert levels.scope == "all_levels" and corrected(facts, []).headline.value("aid_yuan") == 200_000
    # the clerk knows better: the headline's 20万 is a second payment, and the 6万 was the district union's own
    for fact in (headline_line, levels):
        event = review.correct(VERSION, facts, fact.id, "not_summed", "", actor="clerk", reason="本单位另行发放")
        assert event.before_text in ("restated", "all_levels") and event.after_text is None
    now = corrected(facts, review.of(VERSION))
    assert now.headline.value("aid_yuan") == 200_000 + 200_000 + 60_000
    assert "重复表述（读取判断） → 计入" in change_zh(review.of(VERSION)[0])


def test_corrections_refuse_what_the_field_does_not_take(report, review):
    facts, text, cumulative = report
    with pytest.raises(ReviewError, match="没有编号"):
        review.correct(VERSION, facts, "f999", "value", "1", actor="clerk")
    with pytest.raises(ReviewError, match="不是数字"):
        review.correct(VERSION, facts, cumulative.id, "value", "三百万", actor="clerk")
    with pytest.raises(ReviewError, match="不计入的原因"):
        review.correct(VERSION, facts, cumulative.id, "not_summed", "because", actor="clerk")
    with pytest.raises(ReviewError, match="相同"):
        review.correct(VERSION, facts, cumulative.id, "measure", "actual", actor="clerk")
    parent = next(f for f in facts if f.parent == cumulative.id)
    with pytest.raises(ReviewError, match="组成部分"):
        review.correct(VERSION, facts, cumulative.id, "parent", parent.id, actor="clerk")
    assert review.of(VERSION) == []  # nothing refused was recorded


def test_a_missed_figure_is_added_from_its_sentence_or_typed_with_a_reason(report, review):
    facts, text, _ = report
    sentence = "送温暖支出13.58万元"
    assert sentence in text
    with pytest.raises(ReviewError, match="找不到"):
        review.add(VERSION, facts, text, label="夏送清凉", value="5000", category="aid.summer", measure="actual",
                   sentence="夏送清凉支出5000元", actor="clerk")  # fmt: skip
    with pytest.raises(ReviewError, match="须说明来源"):
        review.add(VERSION, facts, text, label="夏送清凉", value="5000", category="aid.summer", measure="actual",
                   actor="clerk")  # fmt: skip
    added = review.add(VERSION, facts, text, label="夏送清凉", value="5,000", category="aid.summer", measure="actual",
                       reason="据决算报表第12行", actor="clerk")  # fmt: skip
    assert added.fact_id == "k1"
    now = corrected(facts, review.of(VERSION))
    assert now.headline.value("aid_yuan") == pytest.approx(headline(facts).value("aid_yuan") + 5000)
    assert next(f for f in now.facts if f.id == "k1").text == "区县补录：据决算报表第12行"


def test_a_resubmission_starts_from_the_confirmed_corrections_where_the_sentence_still_holds_the_number(report, review):
    facts, _, cumulative = report
    warmth = next(f for f in facts if f.label == "送温暖支出")
    review.correct(VERSION, facts, cumulative.id, "not_summed", "cumulative", actor="clerk")
    review.correct(VERSION, facts, warmth.id, "category", "aid.condolence", actor="clerk")
    review.confirm(VERSION, facts, actor="clerk")
    # v2: a sentence added at the top shifts every id; the 送温暖 sentence now states another number
    text = cumulative_report().replace("送温暖支出13.58万元", "送温暖支出13.60万元")
    new_facts, _ = read("本报告为更正后的版本。全年组织职工培训3次。\n" + text)
    carried = carry_forward(review.of(VERSION), facts, new_facts)
    moved = next(f for f in new_facts if abs(f.value - 3_373_400) < 1)
    assert [(e.fact_id, e.field, e.after_text) for e in carried] == [(moved.id, "excluded", "cumulative")]
    v2 = Version("430405", 2021, "b" * 64, "430405-2021-v2")
    reading = review.reading(v2, new_facts, previous=(VERSION, facts))
    assert reading.carried == carried and moved.id in reading.excluded
    review.confirm(v2, new_facts, actor="clerk", carried=reading.carried)
    assert review.status(v2).state == ReviewState.CONFIRMED
    assert corrected(new_facts, review.of(v2)).excluded == {moved.id: "cumulative"}
