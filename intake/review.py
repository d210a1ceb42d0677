"""报送 → 确认 → 审核: the district corrects and confirms the figures of a version, the city approves or returns them.

The portal and the CLI call these functions and nothing else; each refuses, with a Chinese message (ReviewError),
what the state of the version does not allow. The facts are those the warehouse holds for the version (or, before it
is taken in, what the same `examine` reads from the uploaded file: the same reading); the original file and the raw
reading are never changed — a correction is an event beside them (intake/review_ledger.py), applied by `corrected`
here for the pages and by dbt (int_facts_corrected) for the warehouse, the same way.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from core.db import beijing_minute
from core.labels import CORRECTION_ZH, MEASURE_ZH, NOT_SUMMED_ZH, READER_NOT_SUMMED_ZH, ReviewState
from ingest.model import Fact
from ingest.taxonomy import CATEGORY_ZH, category_zh
from intake.headline import Headline, headline
from intake.review_ledger import Event, ReviewLedger

FIELDS = ("value", "category", "measure", "parent", "excluded")
MEASURES = ("actual", "budget", "change", "prior", "rate")
# a clerk's 不计入 reason, recorded as what it means in the contract's own terms where it has them
NOT_SUMMED_AS: dict[str, tuple[str, str]] = {
    "other_year": ("measure", "prior"),
    "standard": ("measure", "rate"),
    "pass_through": ("category", "subsidy.pass_through"),
    "cumulative": ("excluded", "cumulative"),
    "other_org": ("excluded", "other_org"),
}
FIELD_ZH = {
    **{k: CORRECTION_ZH[k] for k in ("value", "category", "measure", "parent")},
    "excluded": CORRECTION_ZH["not_summed"],
}
ADDED_PREFIX = "k"  # the ids of figures a district added (k1, k2, …): never an id the reader gives (f1, f2, …)
SAME_VALUE = 0.005  # 元: a number read again from the same sentence is the same number


class ReviewError(ValueError):
    """What cannot be done, in Chinese, for the person who tried."""


@dataclass(frozen=True)
class Version:
    """One version of a district-year as the review knows it: its bytes' hash, and its id once taken in."""

    district_code: str
    year: int
    sha256: str
    submission_id: str | None = None


@dataclass
class Corrected:
    """A version's facts with the district's corrections applied, and what was corrected."""

    facts: list[Fact]
    original: dict[str, Fact]  # the reading, by fact id
    changes: dict[str, list[Event]]  # fact id → the corrections in force on it (latest per field), or its addition
    excluded: dict[str, str]  # fact id → NOT_SUMMED_ZH code
    stale: list[Event] = field(default_factory=list)  # corrections whose sentence no longer holds their number
    carried: list[Event] = field(default_factory=list)  # of the previous confirmed version, in force here

    @property
    def headline(self) -> Headline:
        return headline(self.facts, self.excluded)

    def correction_count(self) -> int:
        return sum(len(v) for v in self.changes.values())


@dataclass(frozen=True)
class ReviewStatus:
    state: ReviewState
    confirmation: Event | None  # the last confirmation in force
    review: Event | None  # the city's last word on that confirmation
    returned: Event | None  # the last 退回 of this version (its comment stays visible after a new confirmation)


def anchored(fact: Fact, event: Event) -> bool:
    """The correction was made on this reading of the fact: same sentence, same number."""
    return (
        event.anchor_value is not None
        and fact.text == (event.anchor_text or "")
        and abs(fact.value - event.anchor_value) < SAME_VALUE
    )


def corrected(facts: list[Fact], events: list[Event], *, upto_seq: int | None = None) -> Corrected:
    """Apply the corrections and additions of `events` (one version's, in order; those after `upto_seq` ignored)."""
    original = {f.id: f for f in facts}
    latest: dict[tuple[str, str], Event] = {}
    added: dict[str, Event] = {}
    stale: list[Event] = []
    for e in events:
        if upto_seq is not None and e.seq > upto_seq:
            continue
        if e.kind == "addition" and e.fact_id:
            added[e.fact_id] = e
        elif e.kind == "correction" and e.fact_id and e.field:
            fact = original.get(e.fact_id)
            if fact is None or not anchored(fact, e):
                stale.append(e)
            else:
                latest[(e.fact_id, e.field)] = e
    changes: dict[str, list[Event]] = {}
    excluded: dict[str, str] = {}
    out: list[Fact] = []
    for f in facts:
        mine = {fld: latest[(f.id, fld)] for fld in FIELDS if (f.id, fld) in latest}
        if mine:
            changes[f.id] = list(mine.values())
            f = _with(f, {fld: e.after_text for fld, e in mine.items()})
            if mine.get("excluded") and mine["excluded"].after_text:
                excluded[f.id] = mine["excluded"].after_text or ""
        out.append(f)
    for fact_id, e in added.items():
        out.append(added_fact(e))
        changes[fact_id] = [e]
    return Corrected(out, original, changes, excluded, stale)


def _with(fact: Fact, after: dict[str, str | None]) -> Fact:
    updates: dict = {}
    if "value" in after and after["value"] is not None:
        updates["value"] = float(after["value"])
    if "category" in after and after["category"]:
        updates["category"] = after["category"]
    if "measure" in after:
        updates["measure"] = after["measure"] or None
    if "parent" in after:
        updates["parent"] = after["parent"] or None
    if "excluded" in after:  # the district's word on summing it replaces the reader's (a restatement, all levels)
        updates["restates"] = updates["scope"] = None
    return dataclasses.replace(fact, **updates)


def added_fact(event: Event) -> Fact:
    d = event.detail
    span = d.get("span")
    return Fact(
        id=event.fact_id or "",
        kind=d.get("kind", "amount"),
        label=d["label"],
        value=float(d["value"]),
        unit=d.get("unit", "元"),
        category=d["category"],
        measure=d.get("measure") or None,
        text=d.get("source_text") or f"区县补录：{event.reason or ''}",
        span=tuple(span) if span else None,
    )


def status_of(events: list[Event], version: Version) -> ReviewStatus:
    """Where one version stands: confirmed since its last change?, and the city's word on that confirmation."""
    mine = [e for e in events if e.sha256 == version.sha256]
    last_change = max((e.seq for e in mine if e.kind in ("correction", "addition")), default=0)
    confirmations = [e for e in mine if e.kind == "confirmation"]
    returned = next((e for e in reversed(mine) if e.kind == "review" and e.detail.get("decision") == "return"), None)
    confirmation = confirmations[-1] if confirmations else None
    if confirmation is None or last_change > confirmation.seq:
        return ReviewStatus(ReviewState.UNCONFIRMED, confirmation, None, returned)
    review = next((e for e in reversed(mine) if e.kind == "review" and e.seq > confirmation.seq), None)
    if review is None:
        return ReviewStatus(ReviewState.CONFIRMED, confirmation, None, returned)
    decision = ReviewState.APPROVED if review.detail.get("decision") == "approve" else ReviewState.RETURNED
    return ReviewStatus(decision, confirmation, review, returned)


class Review:
    """The review of one district-year: its events, and the actions on one of its versions."""

    def __init__(self, ledger: ReviewLedger, district_code: str, year: int):
        self.ledger, self.district_code, self.year = ledger, district_code, year
        self.events = ledger.events(district_code, year)

    def of(self, version: Version) -> list[Event]:
        return [e for e in self.events if e.sha256 == version.sha256]

    def status(self, version: Version) -> ReviewStatus:
        return status_of(self.events, version)

    def reading(
        self, version: Version, facts: list[Fact], previous: tuple[Version, list[Fact]] | None = None
    ) -> Corrected:
        """The version's facts as the district sees them now: its own corrections, else — for a version never
        corrected or confirmed — those of the last confirmed version where the same sentence holds the same number."""
        own = self.of(version)
        result = corrected(facts, own)
        if not own and previous is not None:
            carried = carry_forward(self.of(previous[0]), previous[1], facts)
            if carried:
                result = corrected(facts, carried)
                result.carried = carried
        return result

    # -- the district ---------------------------------------------------------------------------------------------
    def _open_for_changes(self, version: Version) -> None:
        if self.status(version).state == ReviewState.APPROVED:
            raise ReviewError("该版本的数字已由市总工会审核通过并锁定，不能再更正；如有错误请报送新版本。")

    def correct(
        self, version: Version, facts: list[Fact], fact_id: str, field_name: str, value: str, *, actor: str,
        reason: str = "",
    ) -> Event:  # fmt: skip
        """One field of one fact: value (元 or the count), category, measure, parent (a fact id, '' for none),
        or not_summed (a NOT_SUMMED_ZH code; '' to count it again)."""
        self._open_for_changes(version)
        current = corrected(facts, self.of(version))
        by_id = {f.id: f for f in current.facts}
        fact = current.original.get(fact_id)
        if fact is None:
            raise ReviewError(f"没有编号为 {fact_id} 的数字（只能更正读取到的数字；漏读的请用“补录”）。")
        if field_name == "not_summed":
            if value and value not in NOT_SUMMED_AS:
                raise ReviewError(f"不计入的原因须为：{'、'.join(NOT_SUMMED_ZH.values())}。")
            field_name, value = NOT_SUMMED_AS[value] if value else ("excluded", "")
        after = _checked(field_name, value, fact, by_id)
        before = _field_text(by_id[fact_id], field_name, current.excluded)
        if after == before:
            raise ReviewError(f"{fact.label}：新值与当前值相同，未作更正。")
        return self._append(
            version, kind="correction", fact_id=fact_id, field=field_name, before_text=before, after_text=after,
            anchor_text=fact.text, anchor_value=fact.value, reason=reason or None, actor=actor,
        )  # fmt: skip

    def add(
        self, version: Version, facts: list[Fact], document_text: str, *, label: str, value: str, category: str,
        measure: str, unit: str = "元", sentence: str = "", reason: str = "", actor: str,
    ) -> Event:  # fmt: skip
        """A figure the reader missed: pointing at its sentence in the text, or typed with a reason."""
        self._open_for_changes(version)
        label = label.strip()
        if not label:
            raise ReviewError("请填写补录数字的名称（例如：送温暖慰问金）。")
        amount = _number(value, label)
        if category not in CATEGORY_ZH:
            raise ReviewError(f"{label}：请选择类别。")
        if measure not in MEASURES:
            raise ReviewError(f"{label}：请选择口径（实际/预算/…）。")
        sentence = sentence.strip()
        span = None
        if sentence:
            at = document_text.find(sentence)
            if at < 0:
                raise ReviewError(f"{label}：所指的原文“{sentence[:30]}”在报告中找不到，请从报告中原样复制该句。")
            span = [at, at + len(sentence)]
        elif not reason.strip():
            raise ReviewError(f"{label}：报告中没有该数字的原文时，须说明来源（例如：据决算报表第3行）。")
        taken = {f.id for f in facts} | {e.fact_id for e in self.of(version) if e.kind == "addition"}
        fact_id = next(f"{ADDED_PREFIX}{n}" for n in range(1, len(taken) + 2) if f"{ADDED_PREFIX}{n}" not in taken)
        detail = {
            "kind": "count" if unit != "元" else "amount", "label": label, "value": amount, "unit": unit,
            "category": category, "measure": measure, "source_text": sentence or None, "span": span,
        }  # fmt: skip
        return self._append(
            version, kind="addition", fact_id=fact_id, after_text=f"{amount}", detail=detail,
            reason=reason.strip() or None, actor=actor,
        )  # fmt: skip

    def confirm(self, version: Version, facts: list[Fact], *, actor: str, carried: list[Event] = ()) -> Event:  # type: ignore[assignment]
        """确认报送: the figures as they now stand become part of the version. Corrections carried over from the last
        confirmed version are recorded as this version's own first."""
        state = self.status(version).state
        if state == ReviewState.APPROVED:
            raise ReviewError("该版本已审核通过，无需再次确认。")
        if state == ReviewState.CONFIRMED:
            raise ReviewError("该版本已确认，正等待市总工会审核。")
        events = [
            {**_as_row(e), "sha256": version.sha256, "submission_id": version.submission_id, "actor": actor,
             "reason": f"沿用上次确认的更正（{e.submission_id or e.sha256[:12]}）"}
            for e in carried
        ]  # fmt: skip
        figures = corrected(facts, self.of(version) + [_pending(r) for r in events]).headline
        events.append(
            {
                "kind": "confirmation", "district_code": self.district_code, "year": self.year,
                "sha256": version.sha256, "submission_id": version.submission_id, "actor": actor,
                "detail": {"figures": {k: fig.value for k, fig in figures.figures.items()}},
            }
        )  # fmt: skip
        stored = self.ledger.append(events)
        self.events += stored
        return stored[-1]

    # -- the city -------------------------------------------------------------------------------------------------
    def approve(self, version: Version, *, actor: str, comment: str = "") -> Event:
        self._reviewable(version)
        return self._append(
            version, kind="review", detail={"decision": "approve", "comment": comment.strip()}, actor=actor
        )

    def send_back(self, version: Version, *, actor: str, comment: str) -> Event:
        self._reviewable(version)
        if not comment.strip():
            raise ReviewError("退回时须写明原因，区县据此更正。")
        return self._append(
            version, kind="review", detail={"decision": "return", "comment": comment.strip()}, actor=actor
        )

    def _reviewable(self, version: Version) -> None:
        state = self.status(version).state
        if state == ReviewState.UNCONFIRMED:
            raise ReviewError("区县尚未确认该版本的数字，不能审核。")
        if state != ReviewState.CONFIRMED:
            raise ReviewError("该版本的数字已经审核过；区县重新确认后才能再次审核。")

    def _append(self, version: Version, **event) -> Event:
        row = {"district_code": self.district_code, "year": self.year, "sha256": version.sha256,
               "submission_id": version.submission_id, **event}  # fmt: skip
        stored = self.ledger.append([row])[0]
        self.events.append(stored)
        return stored


def carry_forward(previous_events: list[Event], previous_facts: list[Fact], facts: list[Fact]) -> list[Event]:
    """The corrections in force at the previous version's last confirmation, moved to this version's facts where the
    same sentence still holds the same number (a parent moves with its own sentence and number; a figure added
    with a sentence, where the text still has it). Returned as unsaved events (seq 0) for `corrected`."""
    confirmed = [e for e in previous_events if e.kind == "confirmation"]
    if not confirmed:
        return []
    upto = confirmed[-1].seq
    old = {f.id: f for f in previous_facts}

    def moved(fact_id: str | None) -> str | None:
        f = old.get(fact_id or "")
        target = f and next((n for n in facts if n.text == f.text and abs(n.value - f.value) < SAME_VALUE), None)
        return target.id if target else None

    out: list[Event] = []
    for e in previous_events:
        if e.seq > upto or e.kind not in ("correction", "addition"):
            continue
        if e.kind == "addition":
            if not e.detail.get("source_text") or any(e.detail["source_text"] in (f.text or "") for f in facts):
                out.append(e)
            continue
        target = moved(e.fact_id)
        if target is None:
            continue
        after = e.after_text
        if e.field == "parent" and after:
            after = moved(after)
            if after is None:
                continue
        new = next(f for f in facts if f.id == target)
        out.append(
            dataclasses.replace(e, fact_id=target, after_text=after, anchor_text=new.text, anchor_value=new.value)
        )
    return out


def change_zh(e: Event) -> str:
    """One correction or addition as the district and the city read it: what, before → after, who and when, why."""
    if e.kind == "addition":
        d = e.detail
        text = f"补录「{d.get('label')}」{float(d.get('value', 0)):,.2f}{d.get('unit', '元')}（{category_zh(d.get('category'))}）"
    else:
        field_name = e.field or ""
        text = f"{e.fact_id} {FIELD_ZH.get(field_name, field_name)}：{_value_zh(field_name, e.before_text)} → {_value_zh(field_name, e.after_text)}"
    when = f"，{beijing_minute(e.recorded_at)}" if e.recorded_at else ""
    return text + f"（{e.actor}{when}）" + (f"：{e.reason}" if e.reason else "")


def _value_zh(field_name: str, value: str | None) -> str:
    if value is None or value == "":
        return "计入" if field_name == "excluded" else "—"
    if field_name == "value":
        return f"{float(value):,.2f}"
    if field_name == "category":
        return category_zh(value)
    if field_name == "measure":
        return MEASURE_ZH.get(value, value)
    if field_name == "excluded":
        return NOT_SUMMED_ZH.get(value) or READER_NOT_SUMMED_ZH.get(value, value)
    return value


def _as_row(e: Event) -> dict:
    return {k: getattr(e, k) for k in ("kind", "district_code", "year", "fact_id", "field", "before_text",
                                        "after_text", "anchor_text", "anchor_value", "detail")}  # fmt: skip


def _pending(row: dict) -> Event:
    """An event about to be recorded, as `corrected` reads it (seq 0: applied whatever the cut-off)."""
    known = {f.name for f in dataclasses.fields(Event)} - {"seq", "event_id"}
    return Event(seq=0, event_id="", **{k: v for k, v in row.items() if k in known})


def _number(value: str, label: str) -> float:
    text = str(value).replace(",", "").replace("，", "").strip()
    try:
        number = float(text)
    except ValueError:
        raise ReviewError(f"{label}：“{value}”不是数字，请填写以元为单位的数值（例如 1077000）。") from None
    if number < 0:
        raise ReviewError(f"{label}：数值不能为负。")
    return number


def _checked(field_name: str, value: str, fact: Fact, by_id: dict[str, Fact]) -> str | None:
    """The new value as stored (text), refused in Chinese when it is not one the field takes."""
    if field_name == "value":
        return f"{_number(value, fact.label)}"
    if field_name == "category":
        if value not in CATEGORY_ZH:
            raise ReviewError(f"{fact.label}：未知类别 {value}。")
        return value
    if field_name == "measure":
        if value not in MEASURES:
            raise ReviewError(f"{fact.label}：口径须为实际、预算、增减、上年或标准。")
        return value
    if field_name == "parent":
        if not value:
            return None
        if value == fact.id or value not in by_id:
            raise ReviewError(f"{fact.label}：所属的上级数字 {value} 不存在。")
        seen, at = {fact.id}, by_id.get(value)
        while at is not None:
            if at.id in seen:
                raise ReviewError(f"{fact.label}：不能归入自己的组成部分。")
            seen.add(at.id)
            at = by_id.get(at.parent or "")
        return value
    if field_name == "excluded":
        return value or None
    raise ReviewError(f"不能更正的项目：{field_name}。")


def _field_text(fact: Fact, field_name: str, excluded: dict[str, str]) -> str | None:
    if field_name == "value":
        return f"{float(fact.value)}"
    if field_name == "excluded":
        return excluded.get(fact.id) or reader_not_summed(fact)
    return getattr(fact, field_name)


def reader_not_summed(fact: Fact) -> str | None:
    """Why the reader itself leaves the fact out of the rollup (READER_NOT_SUMMED_ZH), if it does."""
    if fact.restates:
        return "restated"
    return "all_levels" if fact.scope == "all_levels" else None
