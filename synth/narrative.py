"""Writes one 部门整体支出绩效报告 in the finance ministry's outline, choosing among several phrasings for every
figure, and records the ground truth (in the corpus truth.jsonl format) as it writes each figure."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from synth.figures import Breakdown, Item

SAMPLE_MARK = "（示例数据：本报告由 union-warehouse 样例生成器生成，非真实报告）"
CN = "零一二三四五六七八九"
FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def chinese_numeral(n: int) -> str:
    """1–99 in Chinese numerals (十二, 二十, 三)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN[ones]
    return ("" if tens == 1 else CN[tens]) + "十" + (CN[ones] if ones else "")


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    facts: list[dict] = field(default_factory=list)
    counts: list[dict] = field(default_factory=list)
    labels: set[str] = field(default_factory=set)


class Writer:
    def __init__(self, rng: random.Random, full_width: bool = False):
        self.rng = rng
        self.report = Report()
        self.full_width = full_width

    # ---- formatting -----------------------------------------------------------------------------------------
    def money(self, value: int, *, style: str | None = None) -> tuple[str, str]:
        """(text, unit_in_text) in one of the ways reports write money."""
        style = style or self.rng.choice(["wan2", "wan2", "yuan", "yuan_sep", "wan_short"])
        if style in {"wan2", "wan_short"} and value % 100:
            style = "yuan"  # 万元 with two decimals states whole hundreds of 元 only
        if style == "wan_short" and value % 10000 == 0:
            text, unit = f"{value // 10000}万元", "万元"
        elif style in {"wan2", "wan_short"}:
            text, unit = f"{value / 10000:.2f}万元", "万元"
        elif style == "yuan_sep":
            text, unit = f"{value:,}元", "元"
        else:
            text, unit = f"{value}元", "元"
        if self.full_width and self.rng.random() < 0.3:
            text = text.replace(",", "").translate(FULL_WIDTH)
        return text, unit

    def count_text(self, n: int, unit: str) -> str:
        if n < 100 and self.rng.random() < 0.15:
            return f"{chinese_numeral(n)}{unit}"
        return f"{n}{unit}"

    # ---- truth ----------------------------------------------------------------------------------------------
    def unique(self, label: str) -> str:
        base, k = label, 2
        while label in self.report.labels:
            label, k = f"{base}（{k}）", k + 1
        self.report.labels.add(label)
        return label

    def amount_fact(
        self,
        label: str,
        value: int,
        unit: str,
        snippet: str,
        kind: str,
        *,
        measure: str = "actual",
        parent: str | None = None,
    ) -> str:
        label = self.unique(label)
        fact = {
            "label": label,
            "value_yuan": value,
            "unit_in_text": unit,
            "text": snippet,
            "measure": measure,
            "kind": kind,
        }
        if parent:
            fact["parent"] = parent
        self.report.facts.append(fact)
        return label

    def count_fact(self, label: str, value: int, unit: str, snippet: str, kind: str) -> None:
        self.report.counts.append(
            {"label": self.unique(label), "value": value, "unit": unit, "text": snippet, "kind": kind}
        )

    def line(self, text: str) -> None:
        self.report.lines.append(text)

    # ---- phrases ----------------------------------------------------------------------------------------------
    def figure(
        self,
        label: str,
        value: int,
        kind: str,
        template: str,
        *,
        measure: str = "actual",
        parent: str | None = None,
        style: str | None = None,
    ) -> tuple[str, str]:
        """Fill `template` ({m} = the money text) and record the figure; returns (text, truth label)."""
        money, unit = self.money(value, style=style)
        text = template.format(m=money)
        snippet = text[max(0, text.index(money) - 8) : text.index(money) + len(money)]
        snippet = snippet.split("，")[-1].split("。")[-1].split("；")[-1].split("：")[-1]
        return text, self.amount_fact(label, value, unit, snippet, kind, measure=measure, parent=parent)

    def item_with_count(self, item: Item, parent: str, kind: str, verb: str) -> str:
        text, _ = self.figure(item.label, item.amount, kind, f"{item.label}{verb}{{m}}", parent=parent)
        if item.count is None:
            return text
        count = self.count_text(item.count, item.count_unit)
        clause = f"{item.count_noun}{count}"
        self.count_fact(f"{item.label}{item.count_noun}", item.count, item.count_unit, clause, "beneficiaries")
        return f"{text}，{clause}"

    def breakdown(
        self,
        b: Breakdown,
        heading: str,
        year: int,
        *,
        total_templates: list[str],
        verb_choices: list[str],
        overflow: int = 0,
    ) -> None:
        """A total and its items, in one of four shapes: 其中 on each item, 分别为, 包括, or numbered lines."""
        total_text, total_label = self.figure(
            f"{b.topic}支出",
            b.total,
            b.kind,
            self.rng.choice(total_templates).format(year=year, topic=b.topic, m="{m}"),
        )
        items = list(b.items)
        if overflow:
            items[0] = Item(
                items[0].label, items[0].amount + overflow, items[0].count, items[0].count_unit, items[0].count_noun
            )
        verb = self.rng.choice(verb_choices)
        shape = "qizhong" if overflow else self.rng.choice(["qizhong", "fenbie", "baokuo", "numbered"])
        parts = [self.item_with_count(i, total_label, b.kind, verb) for i in items]
        if shape == "numbered":
            self.line(f"{heading}")
            self.line(f"{total_text}。")
            for n, part in enumerate(parts, start=1):
                self.line(f"{n}.{part}。")
            return
        if shape == "qizhong":
            body = "；".join(f"其中{p}" for p in parts)
        elif shape == "fenbie":
            body = "分别为：" + "；".join(f"{n}.{p}" for n, p in enumerate(parts, start=1))
        else:
            body = "包括" + "；".join(parts)
        joiner = "。" if shape == "qizhong" else "，"
        self.line(f"{heading}，{total_text}{joiner}{body}。")
