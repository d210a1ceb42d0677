"""Who wrote a document, for which year, and what kind of document it is.

A report names its union where it names itself: the title, the header lines above the text and the signature
(落款) below it. A name met in the body may be any union the text talks about (上级工会, a town union it visited,
the 省总工会 that sent money), so only the header zone counts as the document naming itself with confidence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

HEADER_LINES = 8
SIGNATURE_LINES = 6
SIGNATURE_MAX = 30
TITLE_MAX = 60
CJK = re.compile(r"[\u4e00-\u9fff]")
PAGE_FURNITURE = re.compile(
    r"发表于|发布时间|来源|浏览|点击|字号|当前位置|首页|\d{1,2}:\d{2}"
)  # characters: a signature line is short (珠晖区总工会 / 2023年3月15日)
YEAR = re.compile(r"(20\d{2}|19\d{2})\s*年")
# a year that starts a span (自2012年…以来, 2015年起, 从2010年开始): when a text is dated by the years it names, the
# start of a span it looks back over is not its own year
SPAN_START = re.compile(r"[^。；;，,]{0,12}?(?:以来|(?<![发兴提崛])起|开始)")
YEAR_OF_REPORT = re.compile(
    r"(20\d{2}|19\d{2})\s*年度|(20\d{2}|19\d{2})\s*年(?:部门|单位|上半年|下半年|工作|决算|预算)"
)
# a union's name: a place (optionally with its province or city) and 总工会/工会. What stands before the place —
# 记者从, 此次夏送清凉活动, 作为 — is cut at the last character that cannot belong to a place name.
UNION_WORD = re.compile(r"总工会|(?<!总)工会")
CJK_RUN_AT_END = re.compile(r"[\u4e00-\u9fff]+$")
PLACE_SUFFIXES = ("区", "县", "市", "旗", "镇", "乡", "街道")
PLACE_WINDOW = 18
# characters of verbs, particles and campaign words that do not occur in place names (ones that do — 九龙坡, 和平,
# 开封, 本溪, 日照, 共青城, 会同 — are left out on purpose)
NOT_A_PLACE = set(
    "的在为由向与于及对把此次作记者活动展带领席部党组员议举行了是全各该我其到给被让送慰问助学秋凉暖结计划报告"
    "年度月讯网悉近期今去"
)
LEADING_PREPOSITIONS = set("从向在由对给据经")
# a title that covers two years: 2022-2023年度, 2022年度、2023年度, 2022至2023年
YEAR_SPAN = re.compile(r"((?:19|20)\d{2})\s*(?:年度?)?\s*(?:-|—|–|－|~|～|至|到|、|和|及|与)\s*((?:19|20)\d{2})\s*年")
DOC_KINDS = [
    ("部门整体支出绩效", "部门整体支出绩效报告"),
    ("绩效自评", "绩效自评"),
    ("绩效目标", "绩效目标申报表"),
    ("决算", "决算"),
    ("预算", "预算"),
    ("工作总结", "工作总结"),
    ("总结", "工作总结"),
    ("绩效", "绩效报告"),
]


@dataclass(frozen=True)
class Identity:
    org: str | None  # the union the document names itself, as written
    org_confident: bool  # named in the title, header or signature
    year: int | None
    year_confident: bool  # stated in the title or as the report's year (2022年度) in the header
    kind: str | None
    header: str  # title, header lines and signature: where a document names itself
    title: str
    years_covered: tuple[int, ...] = ()  # two or more when the title spans years (2022-2023年度)


def is_source_line(line: str) -> bool:
    return line.lower().startswith("source:")


def title_of(text: str) -> str:
    """The document's title: a short line near the top that names a union or a report; else its first short line.
    A page that opens mid-text (page 7 of a report) has no title: a sentence is not one."""
    lines = [line.strip() for line in text.split("\n")[:HEADER_LINES]]
    candidates = [s for s in lines if s and not is_source_line(s) and len(s) <= TITLE_MAX and "。" not in s[:-1]]
    headline = [s for s in candidates if len(CJK.findall(s)) >= 6 and not PAGE_FURNITURE.search(s)]
    return next(
        (s for s in candidates if "工会" in s or "报告" in s),
        headline[0] if headline else candidates[0] if candidates else "",
    )


def header_of(text: str, title: str) -> str:
    lines = [line.strip() for line in text.split("\n") if line.strip() and not is_source_line(line.strip())]
    head = lines[:HEADER_LINES]
    tail = [line for line in lines[HEADER_LINES:][-SIGNATURE_LINES:] if len(line) <= SIGNATURE_MAX]
    return "\n".join([title, *head, *tail])


def union_names(zone: str) -> list[str]:
    """Union names written in a stretch of text, each cut to the place it names (记者从宝鸡市总工会 → 宝鸡市总工会);
    a bare 县总工会 names no place and is not a name."""
    names = []
    for m in UNION_WORD.finditer(zone):
        run = CJK_RUN_AT_END.search(zone, max(0, m.start() - PLACE_WINDOW), m.start())
        if run is None or not run.group().endswith(PLACE_SUFFIXES):
            continue
        place = run.group()
        cut = max((i for i, ch in enumerate(place) if ch in NOT_A_PLACE), default=-1)
        place = place[cut + 1 :]
        if place[:1] in LEADING_PREPOSITIONS and len(place) >= 4:  # 从宝鸡市 (but 从化区 is a place)
            place = place[1:]
        if len(place) >= 2 and not re.fullmatch(r"(?:区|县|市|镇|乡)+", place):
            names.append(place + m.group())
    return names


def identify(text: str) -> Identity:
    title = title_of(text)
    header = header_of(text, title)
    in_header = union_names(header)
    body = [] if in_header else union_names(text[:3000])
    org = in_header[0] if in_header else (Counter(body).most_common(1)[0][0] if body else None)
    years = [int(y) for y in YEAR.findall(title) if 2000 <= int(y) <= 2100]
    confident = bool(years)
    if not years:
        stated = [int(a or b) for a, b in YEAR_OF_REPORT.findall(header)]
        years, confident = ([Counter(stated).most_common(1)[0][0]], True) if stated else ([], False)
    if not years:
        counted = Counter(
            int(m.group(1))
            for m in YEAR.finditer(text)
            if 2000 <= int(m.group(1)) <= 2100 and not SPAN_START.match(text, m.end())
        )
        years = [counted.most_common(1)[0][0]] if counted else []
    head = "\n".join(text.split("\n")[:HEADER_LINES])
    kind = next((k for word, k in DOC_KINDS if word in title), None) or (
        "新闻稿" if re.search(r"讯|记者|来源|发布时间|浏览", head) else None
    )
    span = YEAR_SPAN.search(title)
    covered = tuple(range(int(span.group(1)), int(span.group(2)) + 1)) if span and span.group(1) < span.group(2) else ()
    return Identity(org, bool(in_header), years[0] if years else None, confident, kind, header, title, covered)
