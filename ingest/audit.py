"""Every number accounted for: each number in a document is either read as a fact or dismissed with a reason
(a date, a year, a phone number, a code, a list number, a row number, a percentage, a quantity that is not money…).
What is left — money-like numbers that were neither read nor dismissed — is the extractor's unexplained remainder:
it makes recall visible on any real document without labels, and a district is told which sentences hold money
that could not be read (rule RDG001).

Pure functions on the text the extractor read; the reasons are Chinese because districts and city staff read them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.numbers import COUNT_UNITS

NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")  # no look-behind: a leading class lets the scan skip fast
MONEY_NEAR = re.compile(
    r"^\s?(?:余|多)?\s?(?:亿|万|千)?(?:余|多)?元|^\s?(?:余|多)?(?:亿|万)(?!人|户|名|个|家|次|件|余人)"
)
MONEY_WORDS = re.compile(r"资金|经费|金额|支出|收入|预算|决算|拨款|补助|慰问金|救助金|助学金|费用|万元|元")

# (reason, pattern on the text around the number: `before` and `after` are matched at the number's edges)
Dismissal = tuple[str, "re.Pattern[str] | None", "re.Pattern[str] | None"]
DISMISSALS: list[Dismissal] = [
    ("年份", None, re.compile(r"^\s?(?:年|年度|—|-|－|至|~|/)")),
    ("日期", None, re.compile(r"^\s?(?:月|日|号)")),
    ("日期", re.compile(r"(?:\d{4}[-./年]|\d[-./])$"), None),
    ("时间", None, re.compile(r"^:\d{2}")),
    ("时间", re.compile(r"\d:$"), None),
    ("电话", re.compile(r"(?:电话|联系|手机|热线|传真)[^\d]{0,6}$|\d-$"), None),
    ("序号", re.compile(r"(?:^|\n)\s*[（(]?$"), re.compile(r"^\s?(?:[、.．）)](?!\d)|\s)")),
    ("序号", re.compile(r"(?:[；;。，,：:]|为|分别为|是)\s?$"), re.compile(r"^\s?(?:[、.．](?!\d)|[\u4e00-\u9fff“])")),
    ("图表编号", re.compile(r"(?:图|表|附件|附表|公开|部分|栏)\s?$"), None),
    ("日期", None, re.compile(r"^\s?[·.．]\s?\d{1,2}(?!\d)")),
    ("电话", None, re.compile(r"^-\d{7,8}")),
    ("页面信息", re.compile(r"[\[【]$"), re.compile(r"^[\]】]")),
    ("尺寸", None, re.compile(r"^[*×x]\d")),
    ("尺寸", re.compile(r"\d[*×x]$"), None),
    ("日期", re.compile(r"\d[·.．]$"), None),
    ("页面信息", None, re.compile(r"^\s?(?:页|KB|MB)")),
    ("序号", re.compile(r"[（(]$"), re.compile(r"^[）)]")),
    ("名次", re.compile(r"第\s?$"), None),
    ("百分比", None, re.compile(r"^\s?[%％‰]")),
    (
        "页面信息",
        re.compile(r"(?:浏览|点击|访问|阅读|字号|页码?|共|第)[^\d]{0,4}$"),
        re.compile(r"^\s?(?:次|页|KB|MB|kb)"),
    ),
    ("文件编号", re.compile(r"[〔\[【(（]$|号文?$|第$"), re.compile(r"^\s?[〕\]】)）]\s?\d*号|^号")),
    ("面积/重量等", None, re.compile(r"^\s?(?:㎡|m²|平方米|平米|公斤|千克|吨|斤|公里|米|亩|小时|分钟|岁|周岁|度)")),
    ("时长", None, re.compile(r"^\s?(?:个月|天|年来|周年|年间|多年|余年|年以上)")),
    ("时长", None, re.compile(r"^\s?年(?!度)")),  # 连续26年 (a year itself is four digits: `_is_year`)
    ("条款", re.compile(r"第\s?$"), re.compile(r"^\s?[条款章节项部届次期批]")),
]
COUNT_AFTER = re.compile(
    rf"^\s?(?:余|多)?\s?万?(?:余|多)?\s?(?:{'|'.join(COUNT_UNITS)}|批次|辆|人员|名单位|所学校|"
    r"床|条|袋|桶|盒|包|首|部|篇|幅|张|副|双|瓶|棵|株|头|只|枚|把|顶|封|吨)"
)
SOURCE_LINE = re.compile(r"^(?:source:|来源[:：]|https?://|www\.)", re.IGNORECASE)
IDENTIFIER = re.compile(r"[A-Za-z0-9]{12,}|[A-Za-z]\d|\d[A-Za-z]")


@dataclass(frozen=True)
class NumberNote:
    start: int  # offsets in the document text
    end: int
    text: str  # the number as written
    verdict: str  # fact / dismissed / unread
    reason: str  # the fact's id, why it is not a figure, or (unread) what makes it look like money
    money_like: bool
    sentence: str  # the line it stands in, for people (empty for a fact: it quotes its own)


def _line(text: str, start: int, end: int) -> tuple[int, int]:
    return text.rfind("\n", 0, start) + 1, (text.find("\n", end) if text.find("\n", end) >= 0 else len(text))


def _dismissal(text: str, start: int, end: int, token: str, line: str, line_start: int) -> str | None:
    before = text[max(0, start - 12) : start]
    after = text[end : end + 8]
    if SOURCE_LINE.match(line.strip()):
        return "来源网址"
    if IDENTIFIER.search(text[max(0, start - 1) : end + 1]) or (
        len(token.replace(",", "")) >= 9 and "," not in token and "." not in token
    ):
        return "编号或代码"
    if (
        re.search(r"\.(?:xls|xlsx|doc|docx|pdf|html?|shtml|jpg|png)", text[end : end + 40])
        and "\n" not in text[end : end + 40].split(".")[0]
    ):
        return "文件名"
    plain = token.replace(",", "")
    if _is_year(plain, after, before):
        return "年份"
    for reason, before_pattern, after_pattern in DISMISSALS:
        if reason == "年份":
            continue
        if (before_pattern is None or before_pattern.search(before)) and (
            after_pattern is None or after_pattern.search(after)
        ):
            return reason
    if COUNT_AFTER.match(after):
        return "计数（非金额）"
    if "《" in text[max(0, start - 30) : start] and "》" in text[end : end + 30]:
        return "文件名"
    if (
        re.fullmatch(r"\d{1,2}", plain)
        and (start == line_start or text[start - 1] in " \t|")
        and not MONEY_NEAR.match(after)
    ):
        return "行次/栏次"
    return None


def _is_year(plain: str, after: str, before: str) -> bool:
    if not re.fullmatch(r"(?:19|20)\d{2}", plain):
        return False
    return not MONEY_NEAR.match(after) and not re.match(r"^\s?(?:余|多)?(?:人|户|名|个|家)", after)


def audit_numbers(
    text: str, read: list[tuple[int, int, str]], dismissed: list[tuple[int, int, str]]
) -> list[NumberNote]:
    """Account for every arabic number of `text`: `read` are the spans the extractor turned into facts (with the
    fact's id), `dismissed` those it set aside itself (行次 cells); the rest is dismissed here or left unread."""
    read_sorted = sorted(read)
    dismissed_sorted = sorted(dismissed)
    notes: list[NumberNote] = []
    ri = di = 0
    for m in NUMBER.finditer(text):
        start, end = m.span()
        token = m.group()
        while ri < len(read_sorted) and read_sorted[ri][1] <= start:
            ri += 1
        while di < len(dismissed_sorted) and dismissed_sorted[di][1] <= start:
            di += 1
        if ri < len(read_sorted) and read_sorted[ri][0] <= start < read_sorted[ri][1]:
            notes.append(NumberNote(start, end, token, "fact", read_sorted[ri][2], True, ""))  # a fact quotes its own
            continue
        line_start, line_end = _line(text, start, end)
        line = text[line_start:line_end]
        if di < len(dismissed_sorted) and dismissed_sorted[di][0] <= start < dismissed_sorted[di][1]:
            notes.append(NumberNote(start, end, token, "dismissed", dismissed_sorted[di][2], False, line.strip()))
            continue
        reason = _dismissal(text, start, end, token, line, line_start)
        after = text[end : end + 6]
        money_like = bool(MONEY_NEAR.match(after)) or (
            reason is None and "." in token and len(token.split(".")[1]) == 2 and bool(MONEY_WORDS.search(line))
        )
        if reason is not None and not MONEY_NEAR.match(after):
            notes.append(NumberNote(start, end, token, "dismissed", reason, False, line.strip()))
        else:
            notes.append(
                NumberNote(
                    start,
                    end,
                    token,
                    "unread",
                    "金额单位" if MONEY_NEAR.match(after) else ("金额表格" if money_like else "未识别"),
                    money_like,
                    line.strip(),
                )
            )
    return notes


def unread_money(notes: list[NumberNote]) -> list[NumberNote]:
    return [n for n in notes if n.verdict == "unread" and n.money_like]
