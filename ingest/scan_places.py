"""Which recognised box of which page each fact of a scanned document was read from.

The text every span indexes is the recognised text after normalisation and the reading view (full-width digits,
traditional characters, joined lines, removals), so boxes are found in it by their content, in order: each box's
text, normalised the same way and without whitespace, is searched for from where the previous one was found.
A box the reading dropped (page furniture, a repeated paragraph) is simply not found; the next one still is.
"""

from __future__ import annotations

from ingest.model import Extraction, Problem, ScanPlace
from ingest.normalise import normalise
from ingest.ocr import LOW_CONFIDENCE, OcrBox, OcrText, crop_png, page_image
from ingest.reading import to_simplified
from ingest.submission_codes import OCR_LOW_CONFIDENCE

MIN_PARTIAL = 6  # characters: a shorter box found only in part could stand anywhere
NEAR = 200  # characters past the previous box a partly found box may stand


def _comparable(text: str) -> str:
    """A box's text as the document text has it (the same normalisation and simplification), without whitespace."""
    return "".join(to_simplified(normalise(text)).split())


def box_ranges(ocr: OcrText, document_text: str) -> list[tuple[int, int, OcrBox]]:
    """(start, end) in the document text of every box found in it, in reading order."""
    kept = [k for k, ch in enumerate(document_text) if not ch.isspace()]
    compact = "".join(document_text[k] for k in kept)
    found, cursor = [], 0
    for _, _, box in ocr.placed:
        needle = _comparable(box.text)
        if not needle:
            continue
        at, length = _find_most_of(compact, needle, cursor)
        if at < 0:
            continue
        found.append((kept[at], kept[at + length - 1] + 1, box))
        cursor = at + length
    return found


def _find_most_of(compact: str, needle: str, cursor: int) -> tuple[int, int]:
    """Where the box's text stands: whole, else without a few characters at either end that the reading removed
    (a stray point, a lost character, page furniture glued to the line); (-1, 0) when not even most of it is there."""
    at = compact.find(needle, cursor)
    if at >= 0:
        return at, len(needle)
    if len(needle) < MIN_PARTIAL:
        return -1, 0
    window = compact[: cursor + len(needle) + NEAR]  # a part found far ahead would skip the boxes in between
    for cut in range(1, len(needle) // 3 + 1):
        for part in (needle[cut:], needle[:-cut]):
            at = window.find(part, cursor)
            if at >= 0:
                return at, len(part)
    return -1, 0


def scan_places(extraction: Extraction, ocr: OcrText) -> list[ScanPlace]:
    """A place for every fact whose number stands in recognised boxes: the boxes of its first page, their union."""
    ranges = box_ranges(ocr, extraction.document.text)
    pages = {p.number: p for p in ocr.pages}
    images: dict[int, object] = {}  # page number → its decoded image
    crops: dict[tuple[int, tuple[int, int, int, int]], bytes] = {}  # figures of one line share its crop
    places = []
    for fact in extraction.facts:
        if fact.span is None:
            continue
        start, end = fact.span
        boxes = [b for s, e, b in ranges if s < end and e > start]
        if not boxes:
            continue
        on_page = [b for b in boxes if b.page == boxes[0].page]
        box = (
            min(b.box[0] for b in on_page),
            min(b.box[1] for b in on_page),
            max(b.box[2] for b in on_page),
            max(b.box[3] for b in on_page),
        )
        page = pages[boxes[0].page]
        if (page.number, box) not in crops:
            if page.number not in images:
                images[page.number] = page_image(page)
            crops[(page.number, box)] = crop_png(images[page.number], box)
        places.append(
            ScanPlace(
                fact_id=fact.id,
                page=page.number,
                box=box,
                confidence=min(b.confidence for b in boxes),
                line_text="".join(b.text for b in sorted(boxes, key=lambda b: (b.page, b.box[1], b.box[0]))),
                png=crops[(page.number, box)],
            )
        )
    return places


def low_confidence_problems(extraction: Extraction) -> list[Problem]:
    """One warning per figure the recogniser was unsure of (rule OCR001): the clerk compares it with the paper."""
    text = extraction.document.text
    problems = []
    by_id = {f.id: f for f in extraction.facts}
    for place in extraction.places:
        fact = by_id[place.fact_id]
        if place.confidence >= LOW_CONFIDENCE or fact.span is None:
            continue
        figure = text[fact.span[0] : fact.span[1]]
        problems.append(
            Problem(
                "warning",
                OCR_LOW_CONFIDENCE,
                f"扫描件第{place.page}页“{figure}”识别把握不大（置信度{place.confidence:.0%}）：“{place.line_text}”",
                fact.span,
            )
        )
    return problems
