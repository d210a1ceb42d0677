"""Extraction accuracy on the real corpus and on the generated samples; prints per-document figures and fails below
the targets of the extraction issue."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.extraction_scoring import Score, score_corpus

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "fixtures" / "corpus"
SAMPLES = HERE.parent / "samples"
FOUNDING_SAMPLE = "000_9080c3ed6720e0e2.txt"


def report(scores: list[Score]) -> None:
    for s in scores:
        print(
            f"{s.file}: amounts {s.amount_hits}/{s.amounts} counts {s.count_hits}/{s.counts} "
            f"parents {s.parent_hits}/{s.parents} meaning {s.meaning_hits}/{s.meaning} emitted {s.emitted} "
            f"(labelled share {(s.amount_hits + s.count_hits) / max(s.emitted, 1):.2f})"
            + (f" extra parents {s.extra_parents}" if s.extra_parents else "")
        )


def total(scores, hit, of):
    return sum(getattr(s, hit) for s in scores) / max(sum(getattr(s, of) for s in scores), 1)


@pytest.fixture(scope="module")
def corpus_scores():
    scores = score_corpus(CORPUS / "truth.jsonl", CORPUS)
    report(scores)
    return scores


@pytest.fixture(scope="module")
def sample_scores():
    scores = score_corpus(SAMPLES / "truth.jsonl", SAMPLES / "landing")
    report(scores)
    return scores


def test_founding_sample_is_read_completely_and_correctly(corpus_scores):
    (s,) = [s for s in corpus_scores if s.file == FOUNDING_SAMPLE]
    assert s.amount_hits == s.amounts == 20 and s.count_hits == s.counts
    assert s.parent_hits == s.parents and not s.extra_parents
    assert s.faithful == s.spans


def test_corpus_targets(corpus_scores):
    """The targets of the extraction issue on the whole corpus of real texts (34 files: reports, 决算, flattened
    tables and forms, news items, traditional characters)."""
    assert len(corpus_scores) >= 34
    assert total(corpus_scores, "amount_hits", "amounts") >= 0.95
    assert total(corpus_scores, "count_hits", "counts") >= 0.97
    assert total(corpus_scores, "parent_hits", "parents") >= 0.90
    assert all(not s.extra_parents for s in corpus_scores)
    assert total(corpus_scores, "faithful", "spans") == 1.0
    assert total(corpus_scores, "meaning_hits", "meaning") >= 0.90


def test_genre_tables_are_read(corpus_scores):
    """Tables that arrive as text (one cell per line, cells ending in '|', traditional characters with mirror pinyin)
    are read cell by cell, not skipped."""
    by_file = {s.file: s for s in corpus_scores}
    for name in (
        "07_yiyang_2022_jixiao_fubiao.txt",
        "63_yueyanglou_wenlvguangti_2023.txt",
        "75_nanzhang_zhaoshang_2019.txt",
        "84_unknown_caigouzhongxin_2015.txt",
    ):
        assert by_file[name].amount_hits == by_file[name].amounts, name


def test_generated_sample_targets(sample_scores):
    assert len(sample_scores) >= 30
    assert total(sample_scores, "amount_hits", "amounts") >= 0.97
    assert total(sample_scores, "count_hits", "counts") >= 0.97
    assert total(sample_scores, "parent_hits", "parents") >= 0.97
    assert all(not s.extra_parents for s in sample_scores)
    assert total(sample_scores, "faithful", "spans") == 1.0
