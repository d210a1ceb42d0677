"""Which figures state again a figure the text already gave.

News items and reports say their main figure more than once: the headline (and a mirror's 原标题 / 查看完整版本 line)
repeats the body (义乌市总工会拨付136万元 慰问战“疫”职工 … 市总工会拨付136万元专项慰问金), the body points back at it
(此次下拨的100万元…), the lead gives it and the body gives it again. Each is one figure; summed twice, the city's aid
doubles. A restating fact keeps its place, sentence and value (nothing the text says is dropped) and names the fact it
restates (`Fact.restates`); the rollup takes the stated one only.

The rules, from the genre, never from one text:
- a headline (a short line without a full stop at the top, or a mirror's 原标题/查看完整版本 line) repeating a figure
  of the body restates it;
- a figure the words before it point back at (此次/本次/该/这/上述…的) restates the same earlier figure;
- a figure of the lead paragraph stated again later in the text: the later statement restates it;
- a sentence opened by 其中 details the one before it: a figure it names again (170名受助学生包括30名新生和140名….
  其中，30名大学新生每人资助5000元…) restates that sentence's figure, even one of its breakdown.
"Same figure": same kind, same area (帮扶, 文体活动, 对下补助, spending, …), same measure, the same value within the
stated precision, and neither breaks the other down.
"""

from __future__ import annotations

import re

from ingest import taxonomy
from ingest.count_structure import SENTENCE_END, same_people
from ingest.model import Fact

CJK = re.compile(r"[\u4e00-\u9fff]")  # a line of none (an address, a date) is no text
FULL_STOP = re.compile(r"[。！？!?；;]")
SAME_VALUE = 0.005  # 元: what two statements of one figure may differ by beyond their stated precision
HEADLINE_MAX = 60
TITLE_LINES = 3  # a title, a subtitle or a site's breadcrumb, then the text
HEADLINE_LINE = re.compile(
    r"^(?:原标题|标题|查看完整版本|【)"
)  # characters; a longer line without a full stop is a form row or a run-on, not a headline
# the words right before a figure that refer back to one already given: 此次下拨的100万元, 上述资金
DETAILS_THE_LAST = re.compile(r"\s*其中\s*[，,:：]?")  # a sentence opening on 其中 details the sentence before it
POINTS_BACK = re.compile(r"(?:此次|本次|这次|这笔|该笔|这批|上述|以上|前述)[\u4e00-\u9fff“”\"]{0,12}的\s*$")


def mark_restatements(text: str, facts: list[Fact], lead_span: tuple[int, int] | None) -> None:
    placed = [f for f in facts if f.span is not None and f.kind in {"amount", "count"} and not f.derived]
    placed.sort(key=lambda f: f.span[0])  # type: ignore[index]
    by_id = {f.id: f for f in facts}
    # candidates are compared only with figures of their own kind and area (a long 决算 has thousands of figures)
    alike: dict[tuple[str, str | None], list[Fact]] = {}
    for f in placed:
        alike.setdefault((f.kind, taxonomy.area(f.category)), []).append(f)
    headline = {f.id for f in placed if in_headline(text, f)}
    for f in placed:
        if f.id in headline and not f.restates:
            group = alike[(f.kind, taxonomy.area(f.category))]
            # a title repeats the figure whether or not the body lists it as a part of a larger one
            stated = next((g for g in group if g.id not in headline and _same(f, g, by_id, parts=True)), None)
            if stated is not None and not stated.restates:
                f.restates = stated.id
    for group in alike.values():
        # earlier figures by value bucket, a bucket twice the widest precision: the same figure is in the next one
        width = 2 * max(max(g.precision for g in group), SAME_VALUE) + 1
        seen: dict[int, list[Fact]] = {}
        for f in group:
            bucket = int(f.value // width)
            near = [g for b in (bucket - 1, bucket, bucket + 1) for g in seen.get(b, [])]
            seen.setdefault(bucket, []).append(f)
            if f.restates:
                continue
            detailed = _detailed(text, f, [g for g in near if not g.restates], by_id)
            if detailed is not None:
                f.restates = detailed.id
                continue
            first = min((g for g in near if not g.restates and _same(f, g, by_id)), key=_start, default=None)
            if first is None:
                continue
            if POINTS_BACK.search(_words_before(text, f)) or (
                lead_span and _within(first, lead_span) and not _within(f, lead_span)
            ):
                f.restates = first.id


def _detailed(text: str, f: Fact, earlier: list[Fact], by_id: dict[str, Fact]) -> Fact | None:
    """The figure of the sentence right before f's that f names again, when f's sentence opens on 其中."""
    if not earlier:
        return None
    opening = _sentence_start(text, _start(f))
    if opening == 0 or not DETAILS_THE_LAST.match(text, opening):
        return None
    previous = _sentence_start(text, opening - 1)
    return next((g for g in earlier if previous <= _start(g) < opening and _same(f, g, by_id, parts=True)), None)


def _sentence_start(text: str, pos: int) -> int:
    """Where the sentence holding pos begins (after the last sentence end before it)."""
    ends = [m.end() for m in SENTENCE_END.finditer(text, max(0, pos - 400), pos)]
    return ends[-1] if ends else max(0, pos - 400)


def _start(f: Fact) -> int:
    return f.span[0]  # type: ignore[index]


def _line_of(text: str, f: Fact) -> str:
    start = text.rfind("\n", 0, f.span[0]) + 1  # type: ignore[index]
    end = text.find("\n", f.span[0])  # type: ignore[index]
    return text[start : end if end >= 0 else len(text)]


def in_headline(text: str, f: Fact) -> bool:
    """A headline: a short line without a full stop at the top of the text, or a mirror's 原标题/查看完整版本 line —
    not a short table row further down (困难职工帮扶 50000元 is a figure of its own)."""
    line = _line_of(text, f).strip()
    if len(line) > HEADLINE_MAX or FULL_STOP.search(line) or "\t" in line:
        return False
    line_start = text.rfind("\n", 0, f.span[0]) + 1  # type: ignore[index]
    earlier = [e.strip() for e in text[:line_start].split("\n") if e.strip()]
    # above the body: no line before it reads as the text (a sentence, a long line); a site's name, breadcrumb and
    # date lines come before a news page's title
    above_body = not any((len(e) > HEADLINE_MAX or FULL_STOP.search(e)) and CJK.search(e) for e in earlier)
    return len(earlier) < TITLE_LINES or above_body or HEADLINE_LINE.match(line) is not None


def _words_before(text: str, f: Fact) -> str:
    start = f.span[0]  # type: ignore[index]
    return text[max(0, start - 20) : start]


def _within(f: Fact, span: tuple[int, int]) -> bool:
    return span[0] <= f.span[0] < span[1]  # type: ignore[index]


def _same(a: Fact, b: Fact, by_id: dict[str, Fact], parts: bool = False) -> bool:
    return (
        a.kind == b.kind
        and taxonomy.area(a.category) == taxonomy.area(b.category)
        and (a.kind == "count" and same_people(a, b) or a.kind == "amount")
        and a.measure == b.measure
        and abs(a.value - b.value) <= max(a.precision, b.precision, SAME_VALUE)
        and a.value > 0
        and a.parent != b.id
        and b.parent != a.id
        and (parts or not (_is_breakdown_part(a, by_id) or _is_breakdown_part(b, by_id)))
    )


def _is_breakdown_part(f: Fact, by_id: dict[str, Fact]) -> bool:
    """An item of a list is a part, not a figure a headline would repeat."""
    parent = by_id.get(f.parent or "")
    return parent is not None and parent.kind == f.kind
