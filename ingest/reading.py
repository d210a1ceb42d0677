"""The text the extractor reads, kept aligned with the text as the district wrote it.

Real reports reach us through Word, PDF text layers and web mirrors, and each leaves marks that have nothing to do
with what the report says:
- traditional characters (萬元, 決算數) — converted to simplified with OpenCC, the maintained converter;
- pinyin that mirror sites insert after characters (經(jīng)費, 合計(jì)) — removed;
- runs of question marks where a mirror lost characters (????), a stray point before a unit (714.万元) — removed;
- page furniture (浏览:640次, 上一篇, Copyright) — recognised, never joined to the text nor read as figures;
- lines wrapped inside a sentence by a PDF's text layer or a narrow page (金秋助⏎学支出, １９万⏎元) — joined, so that
  reading never depends on where a line happened to be wrapped.

`ReadingText.text` is what every rule reads and every span indexes (it reads back as the value: "13.5万元");
`ReadingText.quote` gives the district's own words for any stretch of it, through an offset map, so a fact's sentence
is shown as it was written (共計13.5萬元). Everything here is character-for-character except removals, which the
map records.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass
from functools import lru_cache

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
# pinyin in half- or full-width parentheses right after a Chinese character: 經(jīng), 區（qū）
PINYIN_TONED = re.compile(rf"(?<=[\u4e00-\u9fff])[(（][a-z{TONED}]*[{TONED}][a-z{TONED}]*[)）]")
PINYIN_PLAIN = re.compile(r"(?<=[\u4e00-\u9fff])[(（][a-z]{1,6}[)）]")
MIN_TONED_FOR_PLAIN = 3  # a page with several toned groups is a mirror: its neutral-tone groups go too
LOST_CHARACTERS = re.compile(r"\?{3,}|？{3,}|\ufffd+")
STRAY_POINT = re.compile(r"(?<=\d)\.(?=\s?(?:万|亿|千|萬|億)?元)")  # 714.万元
SENTENCE_FINAL = tuple("。！？!?；;：:…」』”）)")
LIST_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]{1,2}\s*[）)]|"
    r"\d{1,2}\s*[、．.](?!\d)|[①②③④⑤⑥⑦⑧⑨⑩]|第[一二三四五六七八九十\d]+[部章节条])"
)
NUMBER_AT_END = re.compile(r"[\d零〇一二两三四五六七八九十百千万亿.,]$")
UNIT_AT_START = re.compile(r"^(?:余|多)?(?:万|亿|千)?元|^(?:余|多)?(?:人次|户次|人|户|名|家|个|%)")
MIN_WRAP_WIDTH = 30  # display columns; narrower "wraps" are table cells and short lines
MIN_FULL_LINES = 3  # lines reaching the width: fewer are no evidence of a page
WRAP_TOLERANCE = 0.88  # a line at least this share of the page's wrap width is a wrapped line


@dataclass(frozen=True)
class ReadingText:
    text: str  # what is read; spans index it
    source: str  # the normalised text as written
    origin: array | None  # origin[i]: offset in `source` of text[i], one extra entry for the end;
    # None when nothing was removed (offsets are the same)

    def quote(self, start: int, end: int) -> str:
        """The source text of text[start:end] (removed characters inside the stretch come back with it)."""
        if end <= start:
            return ""
        if self.origin is None:
            return self.source[start:end]
        return self.source[self.origin[start] : self.origin[end - 1] + 1]

    def source_offset(self, pos: int) -> int:
        pos = min(pos, len(self.text))
        return pos if self.origin is None else self.origin[pos]


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified, one character for one (so offsets stay aligned); a line whose phrase conversion
    would change its length is converted character by character."""
    converted = _t2s().convert(text)
    if converted == text:
        return text
    if len(converted) == len(text):
        return converted
    lines = text.split("\n")
    out = []
    for line in lines:
        c = _t2s().convert(line)
        out.append(c if len(c) == len(line) else "".join(_t2s().convert(ch) or ch for ch in line))
    return "\n".join(out)


def _display_width(line: str) -> int:
    """Columns a line takes on a page: a Chinese character two, an ASCII one."""
    return 2 * len(line) - len(line.encode("ascii", "ignore"))


def wrap_width(lines: list[str]) -> int | None:
    """The width at which a text layer wrapped its lines: what its long lines reach (the 90th percentile, so one
    flattened table line does not set it). A PDF's body lines all reach it; a web page's open-ended lines (titles,
    cells, breadcrumbs) fall far short of its paragraphs, which end in punctuation and are never joined anyway."""
    widths = sorted(_display_width(line.strip()) for line in lines if len(line.strip()) >= 12)
    if len(widths) < MIN_FULL_LINES:
        return None
    width = widths[int(0.9 * (len(widths) - 1))]
    full = sum(w >= width * WRAP_TOLERANCE for w in widths)
    return width if width >= MIN_WRAP_WIDTH and full >= MIN_FULL_LINES else None


def _joins_next(line: str, following: str, width: int | None) -> bool:
    """Whether the break after `line` is a wrap inside a sentence rather than the end of a paragraph."""
    a, b = line.strip(), following.strip()
    if (
        not a
        or not b
        or a.endswith(SENTENCE_FINAL)
        or LIST_START.match(b)
        or "\t" in line
        or "\t" in following
        or is_page_furniture(a)
        or is_page_furniture(b)
    ):
        return False
    if NUMBER_AT_END.search(a) and UNIT_AT_START.match(b) and len(a) >= 8:
        return True  # a number is never separated from its unit by a paragraph break
    return (
        width is not None
        and _display_width(a) >= width * WRAP_TOLERANCE
        and re.search(r"[\u4e00-\u9fff]", a) is not None
        and re.search(r"[\u4e00-\u9fff]", b) is not None
    )


PAGE_FURNITURE = re.compile(
    r"浏览(?:次数|量)?\s*[:：]?\s*\d|点击(?:数|量|率)?\s*[:：]|访问量|阅读(?:数|量)?\s*[:：]\s*\d|"
    r"字号|字体大小|分享到|扫一扫|上一篇|下一篇|版权所有|Copyright|©|当前位置|返回首页|"
    r"关闭窗口|责任编辑|[【\[](?:打印|保存|关闭)[】\]]"
)
FURNITURE_MAX = 120


def is_page_furniture(line: str) -> bool:
    return len(line) <= FURNITURE_MAX and PAGE_FURNITURE.search(line) is not None


# A news page lists other articles under a heading of its own after the report ends: their figures are other
# organisations' news (相关新闻 → 市残联慰问6321名贫困残疾人), never the union's.
OTHER_ARTICLES = re.compile(
    r"^\W{0,3}(?:相关(?:新闻|阅读|文章|报道|链接|推荐)|延伸阅读|推荐阅读|热点推荐|热门推荐|栏目热点|更多(?:新闻|阅读|资讯)|猜你喜欢)\W{0,3}$"
)


def other_articles_start(paragraph_texts: list[str]) -> int | None:
    """The index of the paragraph that heads a list of other articles after the report's first sentence, if any (a
    site's 热点推荐 above the article is its navigation)."""
    body = next((i for i, text in enumerate(paragraph_texts) if _READS_AS_TEXT.search(text)), None)
    if body is None:
        return None
    return next((i for i, text in enumerate(paragraph_texts) if i > body and OTHER_ARTICLES.match(text.strip())), None)


_READS_AS_TEXT = re.compile(r"[\u4e00-\u9fff][^。！？]*[。！？]")


def _removals(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in PINYIN_TONED.finditer(text)]
    if len(spans) >= MIN_TONED_FOR_PLAIN:
        spans += [m.span() for m in PINYIN_PLAIN.finditer(text)]
    spans += [m.span() for m in LOST_CHARACTERS.finditer(text)]
    spans += [m.span() for m in STRAY_POINT.finditer(text)]
    lines = text.split("\n")
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    # only a line that stops without punctuation, before another line, can be a wrap: most reports have none
    open_ends = [
        k
        for k in range(len(lines) - 1)
        if lines[k].strip() and lines[k + 1].strip() and not lines[k].rstrip().endswith(SENTENCE_FINAL)
    ]
    # the page's wrap width is measured only when a long line stops without punctuation
    width = wrap_width(lines) if any(len(lines[k]) >= MIN_WRAP_WIDTH // 2 for k in open_ends) else None
    for k in open_ends:
        following = lines[k + 1]
        if _joins_next(lines[k], following, width):
            # the line break and the indentation that follows it
            lead = len(following) - len(following.lstrip())
            end_of_line = starts[k] + len(lines[k])
            spans.append((end_of_line, end_of_line + 1 + lead))
    return sorted(set(spans))


def reading_text(source: str) -> ReadingText:
    removals = _removals(source)
    if not removals:
        return ReadingText(to_simplified(source), source, None)
    kept_parts, origin = [], array("l")
    pos = 0
    for start, end in removals:
        if start < pos:
            start = pos
        if start >= end:
            continue
        kept_parts.append(source[pos:start])
        origin.extend(range(pos, start))
        pos = end
    kept_parts.append(source[pos:])
    origin.extend(range(pos, len(source)))
    origin.append(len(source))
    return ReadingText(to_simplified("".join(kept_parts)), source, origin)
