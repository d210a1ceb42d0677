"""The extraction contract (shared/DESIGN.md, "Facts: the extraction contract") as Python types.

Everything downstream — the warehouse loader, the rule catalogue, `uwh extract` — speaks these types,
so the JSON shape is produced in exactly one place (`Extraction.to_json`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

FactKind = Literal["amount", "count", "ratio"]
# actual: spent/received in the reporting year; budget: 预算/安排/下达/目标; change: a difference between periods;
# prior: a previous period's figure; rate: a per-person/per-household standard; None: the text does not say.
Measure = Literal["actual", "budget", "change", "prior", "rate"]
Severity = Literal["fatal", "warning", "info"]


@dataclass
class Fact:
    id: str  # "f1", "f2", … unique within one extraction
    kind: FactKind
    label: str  # what the figure is, in the text's own words (e.g. "基本支出")
    value: float  # amounts in 元, counts as stated, ratios 0–1
    unit: str  # the unit as written: 万元, 元, 人次, 户, %, …
    category: str  # dotted taxonomy, see ingest/taxonomy.py
    measure: Measure | None = None
    parent: str | None = None  # id of the fact this one breaks down
    section: str = ""  # heading path, "二、… > （一）…"
    text: str = ""  # the whole sentence (or "sheet!cell: …" for templates)
    span: tuple[int, int] | None = None  # offsets into Document.text of the number with its unit
    precision: float = 0.0  # half a unit of the last stated digit, in the value's unit (107.70万元 → 50.0)
    approx: bool = False  # 余/多/约/近
    derived: bool = False  # computed by a rule, not stated in the text
    direction: str | None = None  # "increase" / "decrease" for measure == "change"
    restates: str | None = None  # id of the fact this one states again (a headline or lead repeating the body)
    scope: str | None = None  # "all_levels": all unions of the area together (全市各级工会…), not this union's own

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["span"] = list(self.span) if self.span is not None else None
        return d


@dataclass
class Problem:
    severity: Severity
    code: str  # machine-readable, e.g. "unreadable_file", "unclassified_number"
    message: str  # Simplified Chinese, shown to the district
    span: tuple[int, int] = (0, 0)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["span"] = list(self.span)
        return d


@dataclass
class Document:
    org: str | None
    year: int | None
    kind: str | None  # e.g. 部门整体支出绩效报告, 决算, 新闻稿
    text: str  # the normalised text that every span indexes
    district_code: str | None = None  # the registry entry whose union the document names, if exactly one
    org_confident: bool = False  # the name stands in the title, header or signature (not only in the body)
    year_confident: bool = False  # the year stands in the title, or as the report's year in the header
    header: str = ""  # title, header lines and signature: where the document names itself
    years_covered: tuple[int, ...] = ()  # a title spanning years (2022-2023年度): one report, several years
    scanned_pages: int = 0  # pages read by OCR from page images (a scan or photo); 0: the file had text


@dataclass
class ScanPlace:
    """Where on a page image a fact read by OCR stands: its provenance is the picture, not only the sentence."""

    fact_id: str
    page: int  # 1-based page of the file
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in the page image rendered at ingest.ocr.DPI
    confidence: float  # the recogniser's lowest score over the line(s) the figure stands in, 0–1
    line_text: str  # what was recognised there
    png: bytes = b""  # the cropped line image

    def to_dict(self) -> dict[str, Any]:
        return {
            "fact_id": self.fact_id,
            "page": self.page,
            "box": list(self.box),
            "confidence": round(self.confidence, 4),
            "line_text": self.line_text,
        }


@dataclass
class Extraction:
    document: Document
    facts: list[Fact] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    numbers: list = field(default_factory=list)  # ingest.audit.NumberNote: every number and what became of it
    places: list[ScanPlace] = field(default_factory=list)  # facts read from page images: page, box, crop

    def to_json(self) -> dict[str, Any]:
        return {
            "document": asdict(self.document),
            "facts": [f.to_dict() for f in self.facts],
            "problems": [p.to_dict() for p in self.problems],
            "scan_places": [p.to_dict() for p in self.places],
        }
