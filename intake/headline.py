"""The figures the city's rollup takes from one submission, how each is built, and why the other candidates are not.

The same selection as dbt's rpt_rollup_sources (the warehouse's authority; `tests/test_review_flow.py` holds the two
to the same answer on every sample): a spending headline (整体/基本/项目) is one fact — the stated one, the largest if
stated twice; an area (帮扶, 文体活动, 对下补助) is the sum of its top-level actual amounts; 帮扶人次 are the people an aid
reached, given for the aid itself or for an amount of it (not of one the district said is not to be summed): its 人次
where the text gives them, else the 名/人/户 it names, a count restated (title and body) once. A figure that restates
another (Fact.restates) or sums all unions of the area (Fact.scope) is never a candidate. The verdict page shows this
before the district confirms, so a clerk sees what the city will sum, not a list of every number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.labels import FIGURE_ZH, NOT_SUMMED_ZH
from ingest.count_structure import PEOPLE_UNITS, PERSON_TIME_UNITS
from ingest.model import Fact
from ingest.taxonomy import category_zh

SPENDING = {
    "spending.total": "total_spending_yuan",
    "spending.basic": "basic_spending_yuan",
    "spending.project": "project_spending_yuan",
}
AREAS = {"activity": "activity_yuan", "aid": "aid_yuan", "subsidy": "subsidy_yuan"}
NOT_THIS_YEAR = ("prior", "budget", "rate", "change")
# the people a standard was paid to were reached (为25名劳模每名慰问1000元); those of a plan or another year were not
NOT_REACHED_BY = ("prior", "budget", "change")
MEASURE_LEFT_OUT = {
    "budget": "预算数，不是实际支出",
    "prior": "上年或其他年度的数",
    "change": "增减额，不是支出",
    "rate": "标准（每人/每户），不是支出",
}


def area_of(category: str | None) -> str:
    return (category or "").split(".", 1)[0]


def figure_of(fact: Fact) -> str | None:
    """The rollup figure an amount of this category would add to (None: no figure takes it)."""
    if fact.category in SPENDING:
        return SPENDING[fact.category]
    if fact.category == "subsidy.pass_through":
        return "pass_through_yuan"
    return AREAS.get(area_of(fact.category))


@dataclass
class Figure:
    figure: str  # rpt_city_rollup column
    facts: list[Fact] = field(default_factory=list)

    @property
    def name_zh(self) -> str:
        return FIGURE_ZH[self.figure]

    @property
    def value(self) -> float:
        return sum(f.value for f in self.facts)

    @property
    def derived(self) -> bool:
        return any(f.derived for f in self.facts)


@dataclass
class Headline:
    figures: dict[str, Figure]  # in FIGURE_ZH's order, only those with a source
    left_out: list[tuple[Fact, str]]  # candidates not summed, each with why (Chinese)

    def value(self, figure: str) -> float | None:
        found = self.figures.get(figure)
        return found.value if found else None

    def source_ids(self) -> set[str]:
        return {f.id for fig in self.figures.values() for f in fig.facts}


def headline(facts: list[Fact], excluded: dict[str, str] | None = None) -> Headline:
    """`excluded`: fact id → reason code (NOT_SUMMED_ZH) of facts the district said are not to be summed."""
    excluded = excluded or {}
    by_id = {f.id: f for f in facts}
    holding = _holding_pass_through(facts, by_id, excluded)
    contributions: dict[str, list[Fact]] = {}
    left_out: list[tuple[Fact, str]] = []

    def top_level(f: Fact) -> bool:
        parent = by_id.get(f.parent or "")
        return (
            parent is None
            or parent.id in excluded
            or parent.scope == "all_levels"  # this union's share of all levels' total (其中市总本级60万元)
            or parent.id in holding
            or area_of(parent.category) != area_of(f.category)
        )

    spending: dict[str, list[Fact]] = {}
    for f in facts:
        figure = figure_of(f) if f.kind == "amount" else None
        if figure is None:
            continue
        if f.id in excluded:
            left_out.append((f, f"区县标注：{NOT_SUMMED_ZH.get(excluded[f.id], excluded[f.id])}"))
        elif f.scope == "all_levels":
            left_out.append((f, "全地区各级工会的合计数，不是本级工会的支出"))
        elif f.restates in by_id:
            left_out.append((f, f"重复表述，与「{by_id[f.restates].label}」是同一个数"))
        elif f.measure != "actual":
            left_out.append((f, MEASURE_LEFT_OUT.get(f.measure or "", "未说明是实际支出")))
        elif f.category in SPENDING:
            spending.setdefault(figure, []).append(f)
        elif f.derived:
            left_out.append((f, "推算数，其组成部分已计入"))
        elif f.id in holding:
            left_out.append((f, "含上级转拨资金，只计入本级自有的部分"))
        elif not top_level(f):
            parent = by_id[f.parent or ""]
            left_out.append((f, f"是「{parent.label}」的组成部分，已计入上一级数"))
        else:
            contributions.setdefault(figure, []).append(f)
    for figure, candidates in spending.items():
        # the stated one before the derived, the largest, then the first by id (as dbt orders fact_id, a string)
        chosen = min(candidates, key=lambda f: (f.derived, -f.value, f.id))
        contributions[figure] = [chosen]
        for f in candidates:
            if f is not chosen:
                left_out.append((f, f"同一指标只取一项：已取「{chosen.label}」{chosen.value:,.2f}元"))
    people = [f for f in facts if _counts_people_reached(f, by_id, excluded)]
    if any(by_id[f.parent].measure == "actual" for f in people if f.parent in by_id):
        # the text ties people to money it paid (向500名一线职工发放慰问金20万元): the people it names without an amount
        # (慰问44名劳模工匠, 1100名农民工) are not those the summed money reached (rpt_rollup_sources, same rule)
        people = [f for f in people if f.parent in by_id]
    # what an amount reached is its 人次 when the text gives them, else the people or households it names
    with_times = {f.parent for f in people if f.unit in PERSON_TIME_UNITS}
    seen: set[tuple[str, float]] = set()
    for f in people:
        if f.unit not in PERSON_TIME_UNITS and f.parent in with_times:
            continue
        if (f.category, f.value) in seen:  # a title or lead restating the body's count
            continue
        seen.add((f.category, f.value))
        contributions.setdefault("aid_person_times", []).append(f)
    figures = {k: Figure(k, contributions[k]) for k in FIGURE_ZH if k in contributions}
    return Headline(figures, left_out)


def _holding_pass_through(facts: list[Fact], by_id: dict[str, Fact], excluded: dict[str, str]) -> set[str]:
    """Totals holding money passed on from above beside a part of their own (170.5万元，其中争取上级162.5万元，县级
    配套8万元): the own parts are this union's, the total is not summed (int_facts_enriched.holds_pass_through)."""
    kinds: dict[str, set[bool]] = {}
    for f in facts:
        parent = by_id.get(f.parent or "")
        if (
            f.kind == "amount"
            and parent is not None
            and parent.category != "subsidy.pass_through"
            and f.id not in excluded
        ):
            kinds.setdefault(parent.id, set()).add(f.category == "subsidy.pass_through")
    return {total for total, passed in kinds.items() if passed == {True, False}}


def _counts_people_reached(f: Fact, by_id: dict[str, Fact], excluded: dict[str, str]) -> bool:
    """A count of the people an aid of this year reached (人次, 名, 人, 户 …), given for the aid itself or for an amount
    of it (a standard's too: it was paid to them): not a breakdown of another count, not a cumulative's or a budget's."""
    parent = by_id.get(f.parent or "")
    return (
        f.kind == "count"
        and f.unit in PEOPLE_UNITS
        and area_of(f.category) == "aid"
        and f.measure not in NOT_THIS_YEAR
        and f.value > 1  # 每一位职工, 一名: a phrase, not a count
        and f.id not in excluded
        and f.restates not in by_id  # a headline or lead repeating the body's count
        and f.scope != "all_levels"
        and (f.parent or "") not in excluded  # the 人次 of a cumulative are cumulative too
        and (parent is None or (parent.kind == "amount" and parent.measure not in NOT_REACHED_BY))
    )


def describe(fact: Fact) -> str:
    """One line for a fact on the figures page: its label, category and value as read."""
    unit = "元" if fact.kind == "amount" else fact.unit
    return f"{fact.label}（{category_zh(fact.category)}）{fact.value:,.2f}{unit}"
