"""The shape of a report: headings and the section path they make, paragraphs, sentences and clauses.

A 绩效报告 follows the finance ministry's outline: 一、 / （一） / 1、 / （1）. A heading line often carries its
first paragraph too (（一）文体活动方面开展情况，2022年共开支…), so a heading is the marker plus its title up to the
first comma or full stop.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

CN_NUM = "一二三四五六七八九十"
HEADING_PATTERNS = [
    (1, re.compile(rf"^\s*[{CN_NUM}]+\s*[、.．]")),
    (2, re.compile(rf"^\s*[（(]\s*[{CN_NUM}]+\s*[）)]")),
    (3, re.compile(r"^\s*\d{1,2}\s*[、．.](?!\d)")),
    (4, re.compile(r"^\s*[（(]\s*\d{1,2}\s*[）)]")),
    (4, re.compile(r"^\s*[①②③④⑤⑥⑦⑧⑨⑩]")),
]
TITLE_END = re.compile(r"[，,。；;：:]")
SENTENCE_END = re.compile(r"[。！？!?；;]")
FULL_STOP = re.compile(r"[。！？!?]")  # a whole sentence, as quoted to people: semicolons stay inside
# Clause boundaries: Chinese and ASCII commas (not between digits), colons and parentheses.
CLAUSE_END = re.compile(r"[，：:（）()]|(?<!\d),|,(?!\d)")
ENUMERATION = re.compile(r"(?:^|[；;。：:，,\s])\s*(?:\d{1,2}\s*[、．.](?!\d)|[（(]\d{1,2}[）)]|[①②③④⑤⑥⑦⑧⑨⑩])")


@dataclass
class Paragraph:
    start: int  # offset of the line in the document text
    text: str
    level: int | None  # heading level when the line starts with a heading marker
    section: str  # heading path in force for this paragraph (including its own heading)


def heading_level(line: str) -> int | None:
    for level, pattern in HEADING_PATTERNS:
        if pattern.match(line):
            return level
    return None


def heading_title(line: str) -> str:
    match = TITLE_END.search(line)
    title = line[: match.start()] if match else line
    return title.strip()[:40]


def paragraphs(text: str) -> list[Paragraph]:
    """Non-empty lines with the section path each stands in."""
    out: list[Paragraph] = []
    path: dict[int, str] = {}
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            level = heading_level(stripped)
            if level is not None:
                path = {k: v for k, v in path.items() if k < level}
                path[level] = heading_title(stripped)
            out.append(Paragraph(offset, line, level, " > ".join(path[k] for k in sorted(path))))
        offset += len(line) + 1
    return out


SENTENCE_CHARS = frozenset("。！？!?；;")
FULL_STOP_CHARS = frozenset("。！？!?")
ANY_BOUNDARY = re.compile(r"[。！？!?；;，：:（）()]|(?<!\d),|,(?!\d)")


class Bounds:
    """The sentence and clause boundaries of one paragraph, found once: each number then finds its sentence (a
    semicolon ends one; `whole=True` runs to the full stop) and its clause (between commas, colons and brackets, not
    the comma of a thousands separator) by bisection. Every boundary is a single character."""

    def __init__(self, text: str):
        self.text = text
        self.length = len(text)
        self._sentence_ends: list[int] = []
        self._full_stops: list[int] = []
        self._clause_ends: list[int] = []
        for m in ANY_BOUNDARY.finditer(text):  # one scan, sorted by kind
            ch, end = m.group(), m.end()
            if ch in SENTENCE_CHARS:
                self._sentence_ends.append(end)
                if ch in FULL_STOP_CHARS:
                    self._full_stops.append(end)
            else:
                self._clause_ends.append(end)

    @staticmethod
    def _around(ends: list[int], pos: int, length: int) -> tuple[int, int]:
        i = bisect_right(ends, pos)
        start = ends[i - 1] if i else 0
        j = bisect_left(ends, pos + 1)
        return start, (ends[j] if j < len(ends) else length)

    def sentence(self, pos: int, whole: bool = False) -> tuple[int, int]:
        return self._around(self._full_stops if whole else self._sentence_ends, pos, self.length)

    def clause(self, start: int, end: int) -> tuple[int, int]:
        sentence_start, sentence_end = self.sentence(start)
        i = bisect_right(self._clause_ends, start)
        clause_start = (
            self._clause_ends[i - 1]
            if i and self._clause_ends[i - 1] >= max(start - 200, 0) + 1
            else max(start - 200, 0)
        )
        j = bisect_left(self._clause_ends, end + 1)
        stop = (
            self._clause_ends[j] - 1
            if j < len(self._clause_ends) and self._clause_ends[j] <= sentence_end
            else min(sentence_end, self.length)
        )
        return max(clause_start, sentence_start), stop
