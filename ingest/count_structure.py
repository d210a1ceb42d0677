"""Which counts of people break down another count.

A count of people has the same structure as an amount: a total and its parts (全州共计帮扶困难职工子女89名，其中…35名、
…54名; 慰问了130名…、50名…、565名…、50名…。本次…慰问一线劳动者795名). A part must never be added to its total, so
each part gets the total as its parent — from the wording (其中 / 分别为 / 包括 after the total, in its sentence) or,
without a word, from the arithmetic: consecutive counts next to a count that add up to it exactly.
"""

from __future__ import annotations

import re

from ingest.model import Fact

PERSON_TIME_UNITS = ("人次", "户次")
PEOPLE_UNITS = (*PERSON_TIME_UNITS, "名", "人", "户", "位")  # keep in step with rpt_rollup_sources
BREAKDOWN = re.compile(r"其中|分别为|分别是|(?<!不)包括|具体为|含")
SENTENCE_END = re.compile(r"[。！？!?\n]")
BOUNDARY = re.compile(r"[。！？!?][\s。！？!?]*|\n+")  # a full stop and the line break after it are one boundary
NEAR = 1  # two parts sum a count of their own sentence or the one next to it
MANY = 3  # three or more counts adding up exactly are parts wherever they follow (a paragraph of its own)


def people_counts(facts: list[Fact]) -> list[Fact]:
    return sorted(
        (f for f in facts if f.kind == "count" and f.unit in PEOPLE_UNITS and f.span is not None),
        key=lambda f: f.span[0],  # type: ignore[index]
    )


def attach_count_breakdowns(text: str, facts: list[Fact]) -> None:
    counts = people_counts(facts)
    by_id = {f.id: f for f in counts}
    _by_wording(text, counts, by_id)
    _by_arithmetic(text, counts, by_id)


def _between(text: str, a: Fact, b: Fact) -> str:
    return text[a.span[1] : b.span[0]]  # type: ignore[index]


def _is_part(f: Fact, by_id: dict[str, Fact]) -> bool:
    return (f.parent or "") in by_id


def _by_wording(text: str, counts: list[Fact], by_id: dict[str, Fact]) -> None:
    """其中 after a count opens its breakdown; the counts that follow in the sentence are parts while they fit."""
    head: Fact | None = None
    used = 0.0
    for prev, f in zip(counts, counts[1:]):
        gap = _between(text, prev, f)
        if SENTENCE_END.search(gap):
            head = None
        if BREAKDOWN.search(gap) and not _is_part(prev, by_id) and prev.value > f.value:
            head, used = prev, 0.0
        if head is not None and _same_people(head, f):
            if used + f.value <= head.value:
                f.parent, used = head.id, used + f.value
            else:
                head = None


def _same_people(a: Fact, b: Fact) -> bool:
    """名, 人 and 位 count the same people; 户 and 人次 count something else."""
    persons = {"名", "人", "位"}
    return a.unit == b.unit or (a.unit in persons and b.unit in persons)


def _by_arithmetic(text: str, counts: list[Fact], by_id: dict[str, Fact]) -> None:
    """Consecutive counts right before or right after a count, in its sentence or the next, that add up to it
    exactly (at least two of them) are its parts."""
    for i, total in enumerate(counts):
        if _is_part(total, by_id) or total.approx or any(f.parent == total.id for f in counts):
            continue
        for run in (_run(text, total, reversed(counts[:i]), by_id), _run(text, total, counts[i + 1 :], by_id)):
            if run:
                for part in run:
                    part.parent = total.id
                break


def _run(text: str, total: Fact, neighbours, by_id: dict[str, Fact]) -> list[Fact]:
    run: list[Fact] = []
    used = 0.0
    last = total
    far = False  # a step of the run crosses more than the next sentence
    for f in neighbours:
        a, b = (f, last) if f.span[0] < last.span[0] else (last, f)  # type: ignore[index]
        far = far or len(BOUNDARY.findall(_between(text, a, b))) > NEAR
        if _is_part(f, by_id) or f.approx or not _same_people(total, f) or f.value >= total.value:
            return []
        run.append(f)
        used += f.value
        last = f
        if used == total.value and len(run) >= (MANY if far else 2):
            return run
        if used > total.value:
            return []
    return []
