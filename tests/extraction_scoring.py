"""Scores extraction against truth the way ../shared/tools/eval_extract.py does (one-to-one by value and sentence),
in-process, plus the direction that scorer does not check: no fact gets a parent the truth does not give."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ingest.audit import unread_money
from ingest.extract import extract_file
from ingest.numbers import value_of_span

MEANING = {
    "total_spending": ("spending", "actual"),
    "basic_spending": ("spending.basic", "actual"),
    "project_spending": ("spending.project", "actual"),
    "hardship": ("aid", "actual"),
    "activity": ("activity", "actual"),
    "subsidy_lower": ("subsidy", "actual"),
    "total_income": ("income", "actual"),
    "income_item": ("income", "actual"),
    "yoy_change": (None, "change"),
    "hardship_change": (None, "change"),
    "activity_change": (None, "change"),
    "prior_year": (None, "prior"),
    "budget": (None, "budget"),
    "standard": (None, "rate"),
}


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def overlaps(a: str, b: str) -> bool:
    a, b = _norm(a), _norm(b)
    return bool(a and b) and (a in b or b in a)


@dataclass
class Score:
    file: str
    amounts: int = 0
    amount_hits: int = 0
    counts: int = 0
    count_hits: int = 0
    parents: int = 0
    parent_hits: int = 0
    extra_parents: list[str] = field(default_factory=list)
    meaning: int = 0
    meaning_hits: int = 0
    spans: int = 0
    faithful: int = 0
    emitted: int = 0
    misses: list[str] = field(default_factory=list)  # what was not read, or read with the wrong meaning/parent
    unread_money: int = 0  # the audit's money-like numbers neither read nor dismissed


def score_document(record: dict, reports_dir: Path) -> Score:
    extraction = extract_file(reports_dir / record["file"])
    text = extraction.document.text
    score = Score(record["file"], emitted=len(extraction.facts))
    used: set[str] = set()

    def find(pool, value, snippet):
        for f in pool:
            if f.id not in used and abs(f.value - float(value)) < 0.006 and overlaps(f.text, snippet):
                used.add(f.id)
                return f
        return None

    amounts = [f for f in extraction.facts if f.kind == "amount"]
    counts = [f for f in extraction.facts if f.kind == "count"]
    matched = {}
    truth_amounts = [t for t in record.get("facts", []) if t.get("value_yuan") is not None]  # ranges: not scored
    for t in truth_amounts:
        score.amounts += 1
        f = find(amounts, t["value_yuan"], t["text"])
        if not f:
            score.misses.append(f"amount not read: {t['label']} {t['value_yuan']:g} «{_norm(t['text'])[:40]}»")
        if f:
            score.amount_hits += 1
            matched[t["label"]] = f
            want = MEANING.get(t.get("kind"))
            if want and t.get("note") != "budget":
                score.meaning += 1
                category_ok = want[0] is None or f.category.startswith(want[0])
                score.meaning_hits += category_ok and f.measure == want[1]
                if not (category_ok and f.measure == want[1]):
                    score.misses.append(
                        f"meaning: {t['label']} wants {want[0] or '*'}/{want[1]}, read {f.category}/{f.measure}"
                    )
    for t in [t for t in record.get("counts", []) if t.get("value") is not None]:
        score.counts += 1
        hit = find(counts, t["value"], t["text"]) is not None
        score.count_hits += hit
        if not hit:
            score.misses.append(f"count not read: {t['label']} {t['value']:g} «{_norm(t['text'])[:40]}»")
    labels_with_parents = any(t.get("parent") for t in truth_amounts)
    for t in truth_amounts:
        f = matched.get(t["label"])
        if f is None:
            continue
        if t.get("parent") and t["parent"] in matched:
            score.parents += 1
            score.parent_hits += f.parent == matched[t["parent"]].id
            if f.parent != matched[t["parent"]].id:
                score.misses.append(f"parent: {t['label']} belongs to {t['parent']}")
        elif not t.get("parent") and labels_with_parents and f.parent is not None and f.span is not None:
            # prose only: a table's truth annotates the structure on one column, the reading applies it to all
            score.extra_parents.append(t["label"])
    for f in amounts:
        if f.span:
            score.spans += 1
            score.faithful += value_of_span(text[f.span[0] : f.span[1]]) == f.value
    score.unread_money = len(unread_money(extraction.numbers))
    return score


def score_corpus(truth: Path, reports_dir: Path) -> list[Score]:
    return [
        score_document(json.loads(line), reports_dir)
        for line in truth.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
