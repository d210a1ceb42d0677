"""Numbers as Chinese reports write them: arabic with decimals and thousands separators, Chinese numerals,
元/千元/万元/亿元, approximations (余/多/近/约) and percentages. Pure functions on strings.

The extractor only ever converts what a regular expression matched, and `value_of_span` re-reads a span the same
way, so a fact's span always reads back as its value (the faithfulness property the tests check).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
MULTIPLIERS = {"": 1, "千": 1_000, "万": 10_000, "亿": 100_000_000}

# Units of counted things. Longest first so 人次 wins over 人.
COUNT_UNITS = [
    "人次",
    "户次",
    "家次",
    "场次",
    "人",
    "名",
    "户",
    "家",
    "个",
    "支",
    "件",
    "箱",
    "次",
    "项",
    "场",
    "所",
    "批",
    "期",
    "位",
    "座",
    "处",
    "间",
    "块",
    "套",
    "台",
    "份",
    "册",
    "本",
    "辆",
    "对",
]

ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
CHINESE = r"[零〇一二两三四五六七八九十百千万亿]+"
APPROX_BEFORE = r"(?P<before>近|约|超过|逾|将近|大约)?"
AMOUNT_RE = re.compile(
    APPROX_BEFORE + rf"(?P<num>{ARABIC})\s?(?P<approx1>余|多)?\s?(?P<mult>亿|万|千)?(?P<approx2>余|多)?\s?元"
)
CN_AMOUNT_RE = re.compile(
    APPROX_BEFORE + rf"(?P<num>{CHINESE})(?P<approx1>余|多)?(?P<mult>万|亿|千)?(?P<approx2>余|多)?元"
)
# 万/亿 without 元 (资金30.00万, 发放306万, 执行数29.6万): money only where the words around say so
BARE_WAN_RE = re.compile(
    APPROX_BEFORE + rf"(?P<num>{ARABIC})\s?(?P<approx1>余|多)?(?P<mult>亿|万)(?P<approx2>余|多)?"
    r"(?![元\d])"
)
MONEY_BEFORE = re.compile(
    r"(?:资金|经费|金额|款项?|慰问金|救助金|补助金|助学金|奖金|补贴|预算|决算|执行数|支出|收入|"
    r"发放|投入|拨付|下拨|筹集|筹措|募集|捐赠|捐款|安排|使用|花费|价值|总额|共计|合计|总计)"
    r"[^，。；,;\d]{0,6}$"
)
MONEY_AFTER = re.compile(r"^(?:余|多)?(?:的)?(?:资金|经费|款|专项|温暖资金|慰问金|救助金|补助|元)")
# one unit written once for several numbers: 各是4125.49,4143.91万元 / 分别为300、150万元
SHARED_UNIT_RE = re.compile(rf"(?P<num>{ARABIC})(?=\s?[,，、]\s?(?:{ARABIC})\s?(?P<mult>亿|万|千)?元)")
# Cheap first looks (a pattern that starts with a character class is scanned fast): the full patterns, whose optional
# leading words (近/约/超过) make them slow to scan, run only on text these find something in.
MAY_HAVE_COUNT = re.compile(
    rf"[\d零〇一二两三四五六七八九十百千万亿]\s?(?:余|多)?\s?万?(?:余|多)?\s?[{''.join(sorted({u[0] for u in COUNT_UNITS}))}]"
)
MAY_HAVE_AMOUNT = re.compile(r"\d\s?(?:余|多)?\s?(?:亿|万|千)?(?:余|多)?\s?元")
MAY_HAVE_BARE_WAN = re.compile(r"\d\s?(?:余|多)?[万亿](?![元\d])")
MAY_HAVE_CN_AMOUNT = re.compile(r"[零〇一二两三四五六七八九十百千万亿](?:余|多)?(?:万|亿|千)?(?:余|多)?元")
MAY_HAVE_SHARED_UNIT = re.compile(r"\d\s?[,，、]\s?\d")
DISTRIBUTIVE = re.compile(r"(?:各|分别|依次)[^，。；,;\d]{0,6}$")
# A unit character that starts a longer word is not a unit: 2020 项目, 3人员, 5名称, 一次性.
NOT_A_UNIT_AFTER = {
    "项": "目",
    "人": "员民大事社口均",
    "名": "称单义额录",
    "个": "人体",
    "次": "性日数",
    "家": "庭属里长",
    "场": "所地景",
    "期": "间末限待",
    "位": "置于",
    "件": "事",
}
COUNT_RE = re.compile(
    APPROX_BEFORE + rf"(?P<num>{ARABIC}|{CHINESE})\s?(?P<approx1>余|多)?\s?(?P<mult>万)?(?P<approx2>余|多)?\s?"
    rf"(?P<unit>{'|'.join(COUNT_UNITS)})"
)
PERCENT_RE = re.compile(rf"(?P<num>{ARABIC})\s?(?P<unit>%|％)")


@dataclass(frozen=True)
class Number:
    start: int  # offsets in the text the match was made on
    end: int
    value: float  # amounts in 元, counts as stated, ratios 0–1
    unit: str  # as written: 万元, 元, 人次, %, …
    precision: float  # half a unit of the last stated digit, in the value's unit
    approx: bool
    unit_apart: bool = False  # the unit is written after a later number (各是4125.49,4143.91万元): no span reads it


def chinese_to_int(s: str) -> int | None:
    """一百零五 → 105, 二十二万 → 220000, 两千 → 2000, 十二 → 12. None if not a well-formed numeral."""
    if not s or any(ch not in CN_DIGITS and ch not in CN_SMALL_UNITS and ch not in CN_BIG_UNITS for ch in s):
        return None
    total = wan = section = digit = 0  # total: whole 亿s; wan: the 万 group; section: below 万
    seen_digit = False
    for ch in s:
        if ch in CN_DIGITS:
            digit, seen_digit = CN_DIGITS[ch], True
        elif ch in CN_SMALL_UNITS:
            section += (digit if seen_digit else 1) * CN_SMALL_UNITS[ch]
            digit, seen_digit = 0, False
        elif ch == "万":
            wan += ((section + digit) or 1) * 10_000
            section = digit = 0
            seen_digit = False
        else:  # 亿
            total += ((wan + section + digit) or 1) * 100_000_000
            wan = section = digit = 0
            seen_digit = False
    return total + wan + section + digit


def _arabic(num: str) -> tuple[float, int]:
    """Value and number of decimals of an arabic numeral with optional thousands separators."""
    plain = num.replace(",", "")
    decimals = len(plain.split(".", 1)[1]) if "." in plain else 0
    return float(plain), decimals


CN_PLACE = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}


def read_number(num: str) -> tuple[float, float] | None:
    """(value, half-unit precision) of an arabic or Chinese numeral; None if it is not one.

    A Chinese numeral is as precise as its last place: 二十二万 is known to ±5,000, 一百零五 to ±0.5.
    """
    if num and num[0].isdigit():
        value, decimals = _arabic(num)
        return value, 0.5 * 10**-decimals
    whole = chinese_to_int(num)
    if whole is None:
        return None
    return float(whole), 0.5 * CN_PLACE.get(num[-1], 1)


def _amount(m: re.Match) -> Number | None:
    read = read_number(m.group("num"))
    if read is None:
        return None
    mult_char = m.groupdict().get("mult") or ""
    value, precision = read
    mult = MULTIPLIERS[mult_char]
    approx = bool(m.group("before") or m.group("approx1") or m.groupdict().get("approx2"))
    start = m.start("num") if not m.group("before") else m.start()
    unit = f"{mult_char}元" if mult_char else _written_unit(m.group("num"))
    return Number(start, m.end(), exact_product(m.group("num"), value, mult), unit, precision * mult, approx)


def exact_product(num: str, value: float, mult: int) -> float:
    """value × mult without binary rounding (69.9亿 is 6,990,000,000, not 6,990,000,000.000001)."""
    if num[:1].isdigit():
        return float(Decimal(num.replace(",", "")) * mult)
    return value * mult


def _written_unit(num: str) -> str:
    """The unit as a reader sees it: 二十二万元 is written in 万元 even though 万 belongs to the numeral."""
    for big in ("亿", "万"):
        if not num[0].isdigit() and num.endswith(big):
            return f"{big}元"
    return "元"


def find_amounts(text: str, *, in_context: bool = True) -> list[Number]:
    """Every amount of money in the text. `in_context=False` reads a span on its own (a fact's span re-read): 万 without
    元 is then taken as money, since the words that made it money lie outside the span."""
    has_yuan, has_wan = "元" in text, "万" in text or "亿" in text
    if not has_yuan and not has_wan:
        return []
    found = (
        [n for n in map(_amount, AMOUNT_RE.finditer(text)) if n] if has_yuan and MAY_HAVE_AMOUNT.search(text) else []
    )
    taken = [(n.start, n.end) for n in found]

    def free(n: Number) -> bool:
        return not any(s < n.end and n.start < e for s, e in taken)

    for m in CN_AMOUNT_RE.finditer(text) if has_yuan and MAY_HAVE_CN_AMOUNT.search(text) else ():
        n = _amount(m)
        if n and free(n) and _plausible_chinese(m):
            found.append(n)
            taken.append((n.start, n.end))
    for m in BARE_WAN_RE.finditer(text) if has_wan and MAY_HAVE_BARE_WAN.search(text) else ():
        n = _amount(m)
        if (
            n
            and free(n)
            and (
                not in_context
                or MONEY_BEFORE.search(text[max(0, m.start() - 12) : m.start()])
                or MONEY_AFTER.match(text[m.end() : m.end() + 6])
            )
        ):
            found.append(Number(n.start, n.end, n.value, n.unit[:-1], n.precision, n.approx))
            taken.append((n.start, n.end))
    for m in SHARED_UNIT_RE.finditer(text) if has_yuan and MAY_HAVE_SHARED_UNIT.search(text) else ():
        before = text[max(0, m.start() - 8) : m.start()]
        separator = text[m.end() : m.end() + 2]
        if not (DISTRIBUTIVE.search(before) or "、" in separator):
            continue
        mult_char = m.group("mult") or ""
        value, decimals = _arabic(m.group("num"))
        n = Number(
            m.start(),
            m.end(),
            exact_product(m.group("num"), value, MULTIPLIERS[mult_char]),
            f"{mult_char}元",
            0.5 * 10**-decimals * MULTIPLIERS[mult_char],
            False,
            unit_apart=True,
        )
        if free(n):
            found.append(n)
            taken.append((n.start, n.end))
    return sorted(found, key=lambda n: n.start)


def _plausible_chinese(m: re.Match) -> bool:
    """A lone 万/千/百 is a word (万元户, 千家万户) unless an approximation names it a number (近千人次)."""
    num = m.group("num")
    return any(ch in CN_DIGITS for ch in num) or num == "十" or bool(m.group("before"))


def find_counts(text: str) -> list[Number]:
    found: list[Number] = []
    if not MAY_HAVE_COUNT.search(text):
        return found
    for m in COUNT_RE.finditer(text):
        num, unit = m.group("num"), m.group("unit")
        if text[m.end() : m.end() + 1] and text[m.end()] in NOT_A_UNIT_AFTER.get(unit, ""):
            continue
        read = read_number(num)
        if read is None or (not num[0].isdigit() and not _plausible_chinese(m)):
            continue
        value, precision = read
        scale = 10_000 if m.group("mult") else 1
        approx = bool(m.group("before") or m.group("approx1") or m.group("approx2"))
        start = m.start("num") if not m.group("before") else m.start()
        unit = ("万" if scale > 1 else "") + m.group("unit")
        found.append(Number(start, m.end(), exact_product(num, value, scale), unit, precision * scale, approx))
    return found


def find_percentages(text: str) -> list[Number]:
    out: list[Number] = []
    if "%" not in text and "％" not in text:
        return out
    for m in PERCENT_RE.finditer(text):
        value, decimals = _arabic(m.group("num"))
        out.append(Number(m.start(), m.end(), round(value / 100, 10), "%", 0.5 * 10**-decimals / 100, False))
    return out


def value_of_span(span_text: str) -> float | None:
    """Re-read a fact's span (number with its unit) exactly as the extractor read it."""
    for finder in (lambda t: find_amounts(t, in_context=False), find_percentages, find_counts):
        found = finder(span_text)
        if found:
            return found[0].value
    return None
