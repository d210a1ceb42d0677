"""The normalised text every span indexes: conversion artefacts gone, full-width digits made ASCII, scraper
duplication removed. Chinese punctuation stays: it is what sentences and clauses are split on."""

from __future__ import annotations

import re
import unicodedata

ARTEFACTS = re.compile(r"\[bookmark[:：][^\]]*\]|\[image:[^\]]*\]|\u200b|\ufeff")
# Full-width digits, letters and the punctuation that belongs to numbers; Chinese sentence punctuation is kept.
FULL_WIDTH = {chr(0xFF10 + i): str(i) for i in range(10)}
FULL_WIDTH.update({chr(0xFF21 + i): chr(0x41 + i) for i in range(26)})
FULL_WIDTH.update({chr(0xFF41 + i): chr(0x61 + i) for i in range(26)})
FULL_WIDTH.update({"．": ".", "％": "%", "　": " ", "\u00a0": " ", "－": "-", "／": "/"})
# A PDF's font may map characters to their radical code points (⼯ KANGXI RADICAL WORK for 工, ⻔ C-SIMPLIFIED GATE
# for 门): the text looks right and reads as nothing. Kangxi radicals fold to the ideograph (their compatibility
# decomposition); the simplified radicals of the supplement have none, so they are listed.
FULL_WIDTH.update({chr(cp): unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2F00, 0x2FD6)})
FULL_WIDTH.update(
    dict(
        zip("⺰⻅⻆⻈⻉⻋⻐⻓⻔⻙⻚⻛⻜⻠⻢⻥⻦⻧⻨⻩⻪⻬⻮⻰⻳", "纟见角讠贝车钅长门韦页风飞饣马鱼鸟卤麦黄黾齐齿龙龟")
    )
)
TRANSLATION = str.maketrans(FULL_WIDTH)
NEEDS_TRANSLATION = re.compile("[" + re.escape("".join(FULL_WIDTH)) + "]")
THOUSANDS_FULLWIDTH = re.compile(r"(?<=\d)，(?=\d{3}(?!\d))")
MARKDOWN = re.compile(r"^\s{0,3}#{1,6}\s+|\*\*|__", re.MULTILINE)  # headings and emphasis of .md submissions
MIN_DUPLICATE_LINE = 20  # shorter lines (table cells, "300") legitimately repeat


def normalise(raw: str) -> str:
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = MARKDOWN.sub("", ARTEFACTS.sub("", text))
    if NEEDS_TRANSLATION.search(text):  # str.translate looks up every character: only when it changes some
        text = text.translate(TRANSLATION)
    text = THOUSANDS_FULLWIDTH.sub(",", text)
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(_drop_repeated_paragraphs(lines)).strip("\n")


def _drop_repeated_paragraphs(lines: list[str]) -> list[str]:
    """A long paragraph that appears again verbatim is a copy (pages scraped twice), not a second statement."""
    seen: set[str] = set()
    kept = []
    for line in lines:
        key = line.strip()
        if len(key) >= MIN_DUPLICATE_LINE:
            if key in seen:
                continue
            seen.add(key)
        kept.append(line)
    return kept
