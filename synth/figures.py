"""Consistent figures for one district-year: totals whose parts add up, drifting plausibly from year to year.

Every amount is a whole number of 元 and every 万元 figure a multiple of 100 元, so a report may state any figure in
元 or in 万元 with two decimals and the arithmetic still holds exactly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Item:
    label: str
    amount: int  # 元
    count: int | None = None  # 人次 / 户 / 个 … it reached
    count_unit: str | None = None
    count_noun: str | None = None  # 帮扶困难职工, 慰问一线职工 …


@dataclass
class Breakdown:
    topic: str  # 文体活动, 困难职工帮扶, 对下补助
    kind: str  # truth kind: activity, hardship, subsidy_lower, budget
    total: int
    items: list[Item] = field(default_factory=list)


@dataclass
class Figures:
    total: int
    basic: int
    project: int
    staff: dict[str, int]
    activity: Breakdown
    hardship: Breakdown
    warmth: Item
    subsidy: Breakdown
    budget: Breakdown | None
    prior_total: int | None
    per_person_standard: int


ACTIVITY_ITEMS = [
    "职工气排球比赛",
    "职工健步走活动",
    "职工羽毛球赛",
    "“五一”文艺演出",
    "职工篮球赛",
    "读书分享会",
    "职工技能竞赛",
    "职工运动会",
]
HARDSHIP_ITEMS = [
    ("医疗互助帮扶支出", "帮扶困难职工"),
    ("生活救助帮扶支出", "救助困难职工"),
    ("子女助学帮扶支出", "资助困难职工子女"),
    ("大病救助支出", "救助大病职工"),
    ("金秋助学支出", "资助困难学生"),
]
SUBSIDY_ITEMS = [
    ("户外劳动者服务站点补助", "家", "补助服务站点"),
    ("基层工会工作经费", "个", "补助乡镇街道工会"),
    ("企业工会文体设施专项经费", "个", "支持企业工会"),
    ("职工之家建设补助", "个", "建设职工之家"),
]
BUDGET_ITEMS = ["职工服务工作经费", "劳模管理工作经费", "工会活动经费", "困难职工帮扶专项经费"]


def _round100(x: float) -> int:
    return int(round(x / 100.0)) * 100


def _split(total: int, parts: int, rng: random.Random, *, unit: int = 1) -> list[int]:
    """`parts` positive whole amounts (multiples of `unit`) that add up to `total` exactly."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    raw = [total * w / sum(weights) for w in weights]
    out = [max(unit, int(r // unit) * unit) for r in raw[:-1]]
    out.append(total - sum(out))
    return out


# The district whose real 2022 report is bundled keeps its real size (部门整体支出 107.70万元), so its generated
# neighbouring years read as the same union rather than tripping the year-on-year check.
REAL_SCALES = {"430405": 1.0}


def district_scale(code: str, seed: int) -> float:
    return REAL_SCALES.get(code) or random.Random(f"{seed}-{code}-scale").uniform(0.7, 3.5)


def make_figures(code: str, year: int, seed: int) -> Figures:
    rng = random.Random(f"{seed}-{code}-{year}")
    scale = district_scale(code, seed) * (1 + 0.06 * (year - 2021)) * rng.uniform(0.9, 1.1)
    total = _round100(1_000_000 * scale)
    basic = _round100(total * rng.uniform(0.55, 0.72))
    activity = Breakdown("文体活动", "activity", _round100(total * rng.uniform(0.08, 0.18)))
    labels = rng.sample(ACTIVITY_ITEMS, rng.randint(2, 4))
    activity.items = [Item(lbl, amt) for lbl, amt in zip(labels, _split(activity.total, len(labels), rng))]
    hardship = Breakdown("困难职工帮扶", "hardship", _round100(total * rng.uniform(0.12, 0.22)))
    picks = rng.sample(HARDSHIP_ITEMS, rng.randint(2, 3))
    hardship.items = [
        Item(lbl, amt, max(1, amt // rng.randint(2000, 15000)), "人次", noun)
        for (lbl, noun), amt in zip(picks, _split(hardship.total, len(picks), rng, unit=1000))
    ]
    warmth_amount = _round100(total * rng.uniform(0.08, 0.15))
    warmth = Item(
        "送温暖支出", warmth_amount, max(1, warmth_amount // rng.randint(200, 800)), "人次", "走访慰问一线职工"
    )
    subsidy = Breakdown("对下补助", "subsidy_lower", _round100(total * rng.uniform(0.15, 0.3)))
    picks_s = rng.sample(SUBSIDY_ITEMS, rng.randint(2, 4))
    subsidy.items = [
        Item(lbl, amt, rng.randint(3, 20), unit, noun)
        for (lbl, unit, noun), amt in zip(picks_s, _split(subsidy.total, len(picks_s), rng, unit=1000))
    ]
    budget = None
    if rng.random() < 0.6:
        budget = Breakdown("项目资金", "budget", _round100(total * rng.uniform(0.15, 0.3)) // 10000 * 10000 or 10000)
        names = rng.sample(BUDGET_ITEMS, 3)
        budget.items = [Item(n, a) for n, a in zip(names, _split(budget.total, 3, rng, unit=10000))]
    prior_rng = random.Random(f"{seed}-{code}-{year - 1}")
    prior_scale = district_scale(code, seed) * (1 + 0.06 * (year - 1 - 2021)) * prior_rng.uniform(0.9, 1.1)
    return Figures(
        total=total,
        basic=basic,
        project=total - basic,
        staff={"在职人员": rng.randint(3, 12), "退休人员": rng.randint(0, 6), "聘用人员": rng.randint(0, 4)},
        activity=activity,
        hardship=hardship,
        warmth=warmth,
        subsidy=subsidy,
        budget=budget,
        prior_total=_round100(1_000_000 * prior_scale),
        per_person_standard=rng.choice([300, 500, 800, 1000]),
    )
