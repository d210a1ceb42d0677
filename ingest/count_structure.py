"""Which counts of people break down another count.

A count of people has the same structure as an amount: a total and its parts (全州共计帮扶困难职工子女89名，其中…35名、
…54名; 慰问了130名…、50名…、565名…、50名…。本次…慰问一线劳动者795名). A part must never be added to its total, so
each part gets the total as its parent — from the wording (其中 / 分别为 / 包括 after the total, in its sentence) or,
without a word, from the arithmetic: consecutive counts next to a count that add up to it exactly.
"""

from __future__ import annotations

import bisect
import re

from ingest import taxonomy
from ingest.model import Fact

PERSON_TIME_UNITS = ("人次", "户次")
PEOPLE_UNITS = (*PERSON_TIME_UNITS, "名", "人", "户", "位")  # keep in step with rpt_rollup_sources
BREAKDOWN = re.compile(r"其中|分别为|分别是|(?<!不)包括|具体为|含")
SENTENCE_END = re.compile(r"[。！？!?\n]")
BOUNDARY = re.compile(r"[。！？!?][\s。！？!?]*|\n+")  # a full stop and the line break after it are one boundary
CLAUSE_BREAK = re.compile(r"[，,；;。！？!?\n]")
NEAR = 1  # two parts sum a count of their own sentence or the one next to it
MANY = 3  # three or more counts adding up exactly are parts wherever they follow (a paragraph of its own)


def people_counts(facts: list[Fact]) -> list[Fact]:
    return sorted(
        (
            f
            for f in facts
            if f.kind == "count"
            and f.unit in PEOPLE_UNITS
            and f.span is not None
            and f.category not in taxonomy.NOT_PEOPLE_REACHED
        ),
        key=lambda f: f.span[0],  # type: ignore[index]
    )


def attach_count_breakdowns(text: str, facts: list[Fact]) -> None:
    counts = people_counts(facts)
    attach_to_following_amount(text, counts, facts)
    by_id = {f.id: f for f in counts}
    amount_starts = sorted(f.span[0] for f in facts if f.kind == "amount" and f.span is not None)
    _by_wording(text, counts, by_id, amount_starts)
    _by_arithmetic(text, counts, by_id)
    _by_amounts(counts, {f.id: f for f in facts}, by_id)


SPENDING_AREAS = {"aid", "subsidy", "activity", "spending"}
CLAUSE_OF_SENTENCE_END = re.compile(r"[。！？!?；;\n]")


def attach_to_following_amount(text: str, counts: list[Fact], facts: list[Fact]) -> None:
    """A count with no amount before it in its sentence describes the first amount after it there: 为40名困难职工子女
    发放助学金16.2万元, 共计救助困难职工615人，救助金额达33.48万元."""
    amounts = sorted(
        (f for f in facts if f.kind == "amount" and f.span is not None and taxonomy.area(f.category) in SPENDING_AREAS),
        key=lambda f: f.span[0],  # type: ignore[index]
    )
    starts = [a.span[0] for a in amounts]  # type: ignore[index]
    for f in counts:
        if f.parent is not None:
            continue
        at = bisect.bisect_right(starts, f.span[1])  # type: ignore[index]
        after = amounts[at] if at < len(amounts) else None
        if after is not None and not CLAUSE_OF_SENTENCE_END.search(_between(text, f, after)):
            f.parent, f.category = after.id, after.category  # what the money was is what the count counts


def _after(text: str, f: Fact, length: int) -> str:
    """The words right after a count (what it counts: 困难职工, 家属)."""
    end = f.span[1]  # type: ignore[index]
    return text[end : end + length]


def _between(text: str, a: Fact, b: Fact) -> str:
    return text[a.span[1] : b.span[0]]  # type: ignore[index]


def _is_part(f: Fact, by_id: dict[str, Fact]) -> bool:
    return (f.parent or "") in by_id


def _by_wording(text: str, counts: list[Fact], by_id: dict[str, Fact], amount_starts: list[int]) -> None:
    """其中 after a count opens its breakdown; the counts that follow in the sentence are its parts, even where they
    do not add up to it (the wording says so; the arithmetic is the district's to mend). A 其中 whose first figure is
    an amount opens the amount's breakdown instead (…救助困难职工35人次，其中助学帮扶支出…元，资助16人次: 16 is the
    part-amount's people)."""
    head: Fact | None = None
    for prev, f in zip(counts, counts[1:]):
        gap = _between(text, prev, f)
        if SENTENCE_END.search(gap):
            head = None
        marker = BREAKDOWN.search(gap)
        if marker and not _is_part(prev, by_id) and prev.value > f.value:
            after_marker = prev.span[1] + marker.end()  # type: ignore[index]
            opens_amounts = bisect.bisect_left(amount_starts, after_marker) < bisect.bisect_left(
                amount_starts,
                f.span[0],  # type: ignore[index]
            )
            if not opens_amounts:
                head = prev
        if head is not None and same_people(head, f) and f.value < head.value:
            f.parent = head.id


def same_people(a: Fact, b: Fact) -> bool:
    """名, 人 and 位 count the same people; 户 and 人次 count something else."""
    persons = {"名", "人", "位"}
    return a.unit == b.unit or (a.unit in persons and b.unit in persons)


def _by_arithmetic(text: str, counts: list[Fact], by_id: dict[str, Fact]) -> None:
    """Consecutive counts right before or right after a count, in its sentence or the next, that add up to it
    exactly (at least two of them) are its parts."""
    broken_down = {f.parent for f in counts}
    for i, total in enumerate(counts):
        if _is_part(total, by_id) or total.approx or total.id in broken_down:
            continue
        for run in (_run(text, total, reversed(counts[:i]), by_id), _run(text, total, counts[i + 1 :], by_id)):
            if run:
                for part in run:
                    part.parent = total.id
                broken_down.add(total.id)
                break


def _by_amounts(counts: list[Fact], facts: dict[str, Fact], by_id: dict[str, Fact]) -> None:
    """The people an amount's part reached are a part of the people the amount reached: 共计救助困难职工615人，救助金额
    33.48万元 … 救助困难职工212人，发放10.6万元 … 救助403人，发放22.88万元 (the amounts add up, so do the people)."""
    reached = {f.parent: f for f in counts if f.parent in facts and facts[f.parent or ""].kind == "amount"}
    for f in counts:
        amount = facts.get(f.parent or "")
        if amount is None or amount.kind != "amount":
            continue
        whole = reached.get(amount.parent) if amount.parent else None
        if whole is not None and whole is not f and same_people(whole, f) and f.value < whole.value:
            f.parent = whole.id


def _run(text: str, total: Fact, neighbours, by_id: dict[str, Fact]) -> list[Fact]:
    run: list[Fact] = []
    used = 0.0
    last = total
    far = False  # a step of the run crosses more than the next sentence
    joined = True  # the parts stand in one clause, joined by 和/及/、 (550名在职困难职工和200名退休困难职工)
    # joined parts far from their total must name its people (550名在职困难职工 under 750位困难职工, not 200名家属)
    noun = _after(text, total, 4).lstrip("余多")[:4]
    for f in neighbours:
        a, b = (f, last) if f.span[0] < last.span[0] else (last, f)  # type: ignore[index]
        between = _between(text, a, b)
        far = far or len(BOUNDARY.findall(between)) > NEAR
        if last is not total:
            joined = joined and not CLAUSE_BREAK.search(between)
        if _is_part(f, by_id) or f.approx or not same_people(total, f) or f.value >= total.value:
            return []
        run.append(f)
        used += f.value
        last = f
        if used == total.value:
            if len(run) >= (MANY if far else 2):
                return run
            if joined and len(run) >= 2 and noun and all(noun in _after(text, part, 10) for part in run):
                return run
        if used > total.value:
            return []
    return []
