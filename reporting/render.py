"""The jinja2 environment the report pages share (autoescaped: every text from a submission is escaped)."""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from core.db import beijing_minute
from core.labels import SEVERITY_ZH
from expectations.catalogue import compared_zh
from ingest.ocr import LOW_CONFIDENCE
from ingest.taxonomy import category_zh
from reporting import formatting
from reporting.data import AREA_ZH, MEASURE_ZH

TEMPLATES = Path(__file__).with_name("templates")


def highlight(sentence: str | None, figure: str | None) -> Markup:
    """The sentence with the figure it gave marked, escaped."""
    sentence = sentence or ""
    if not figure or figure not in sentence:
        return escape(sentence)
    before, _, after = sentence.partition(figure)
    return escape(before) + Markup("<mark>") + escape(figure) + Markup("</mark>") + escape(after)


def scan_image(png: bytes | None, page: int | None, confidence: float | None) -> Markup:
    """The line of a scanned page a figure was read from, as the recogniser saw it, beside the recognised sentence
    (inline: the page and the report stay one self-contained file)."""
    if not png or page is None:
        return Markup("")
    doubt = confidence is not None and confidence < LOW_CONFIDENCE
    caption = f"扫描件第{page}页原图" + (f"（识别把握不大：{confidence:.0%}，请与原件核对）" if doubt else "")
    source = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return Markup('<figure class="scan{}"><img src="{}" alt="{}"><figcaption>{}</figcaption></figure>').format(
        " doubtful" if doubt else "", source, caption, caption
    )


@cache
def environment() -> Environment:
    """One per process: jinja2 caches compiled templates in it (a fresh one per page cost 12 ms in parsing)."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        yuan=formatting.yuan,
        wan=formatting.wan,
        count=formatting.count,
        yoy=formatting.yoy,
        district_yoy=formatting.district_yoy,
        beijing=beijing_minute,
        highlight=highlight,
        category_zh=category_zh,
    )
    env.globals.update(
        AREA_ZH=AREA_ZH,
        MEASURE_ZH=MEASURE_ZH,
        SEVERITY_ZH=SEVERITY_ZH,
        share=formatting.share,
        comparable_yoy=formatting.comparable_yoy,
        parts_gap_note=formatting.parts_gap_note,
        compared_zh=compared_zh,
        findings_summary=formatting.findings_summary,
        review_mark=formatting.review_mark,
        reading_note=formatting.reading_note,
        scan_image=scan_image,
    )
    return env
