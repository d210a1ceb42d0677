"""Page images to text: scanned (stamped) PDFs and photos of pages, read offline with RapidOCR (PP-OCRv4 Chinese
models inside the `rapidocr-onnxruntime` wheel; nothing is downloaded at run time).

The recogniser gives text boxes. What a report says is rebuilt from their geometry, never from the order the
detector happened to return them in:
- boxes on one visual row are one line; a wide gap between them is a table cell boundary (a tab, as in a Word table);
- a line that reaches the page's right margin continues on the next line (or page) unless the next one is indented
  or starts a list item: a paragraph is one line of text, so a number wrapped across lines (107.7⏎0万元) is whole;
- every box keeps its page, its box in the page image and the recogniser's confidence: the provenance of a figure
  read from a scan is the cropped image of the line it stands in.
Common recognition confusions in the genre's vocabulary (项自→项目, 部内支出→部门支出) are corrected where the corrected
word is one of the genre's and the misread one is not a word of it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DPI = 200  # what the recogniser reads a page at: digits of a 10.5 pt table stay distinct, a page takes ~6 s
MAX_PAGES = 60  # a year's report; more is a scanned annex or a mistake, and each page costs seconds
MAX_PIXELS = 40_000_000  # a photo larger than this is decompressed to gigabytes before anything is read
LOW_CONFIDENCE = 0.90  # below this the recogniser's own score says a line may be misread (rule OCR001)
CELL_GAP = 2.5  # a gap wider than this many character heights between boxes of one row separates table cells
MARGIN_SLACK = 2.0  # character heights short of the right margin a wrapped line may end
INDENT = 1.2  # character heights: a line starting this far right of the margin starts a paragraph

Progress = Callable[[int, int], None]  # (page being read, pages): long work says where it is


class OcrError(ValueError):
    """A page image that cannot be read; the message (Chinese) names what is wrong."""


@dataclass(frozen=True)
class OcrBox:
    page: int  # 1-based
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in the page image at DPI
    text: str
    confidence: float


@dataclass
class OcrPage:
    number: int  # 1-based
    boxes: list[OcrBox]
    png: bytes = b""  # the page image (grayscale PNG): the crops a fact's provenance shows are cut from it


@dataclass
class OcrText:
    """The text read from the pages, and where each box's text stands in it."""

    text: str
    pages: list[OcrPage]
    placed: list[tuple[int, int, OcrBox]] = field(default_factory=list)  # (start, end) in `text` of each box


# ---- recognition ------------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _engine():
    import logging

    from rapidocr_onnxruntime import RapidOCR

    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    return RapidOCR()


def read_pdf_scan(path: Path, progress: Progress | None = None) -> OcrText:
    """Every page of a PDF rendered at DPI and recognised, at most MAX_PAGES."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise OcrError(f"{path.name}：PDF无法打开（{exc}），请重新扫描后报送") from exc
    try:
        count = len(pdf)
        if count > MAX_PAGES:
            raise OcrError(
                f"{path.name}：扫描件共{count}页，超过{MAX_PAGES}页上限，请只报送绩效报告正文（不含附件）的扫描件"
            )
        images = (page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L") for page in pdf)
        return read_pages(images, progress, pages=count)
    finally:
        pdf.close()


def read_photo(path: Path, progress: Progress | None = None) -> OcrText:
    return read_pages([photo_image(path)], progress, pages=1)


def photo_image(path: Path):
    """A photo or scan of one page (PNG, JPEG, TIFF), upright as its camera recorded, grayscale."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(path) as img:
            img.load()
            return ImageOps.exif_transpose(img).convert("L")
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as exc:
        raise OcrError(f"{path.name}：图片无法打开（文件可能已损坏或过大），请重新扫描或拍照后报送") from exc


def recognise(image, number: int) -> OcrPage:
    """The text boxes of one page image."""
    import numpy as np

    result, _ = _engine()(np.asarray(image.convert("RGB")))
    boxes = []
    for quad, text, score in result or []:
        xs, ys = [p[0] for p in quad], [p[1] for p in quad]
        box = (int(min(xs)), int(min(ys)), int(max(xs)) + 1, int(max(ys)) + 1)
        boxes.append(OcrBox(number, box, correct_genre_words(text.strip()), float(score)))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False, compress_level=3)
    return OcrPage(number, boxes, buffer.getvalue())


def read_pages(images: Iterable, progress: Progress | None = None, pages: int = 0) -> OcrText:
    read = []
    for number, image in enumerate(images, start=1):
        if progress:
            progress(number, pages or number)
        read.append(recognise(image, number))
    return layout_text(read)


# ---- layout -----------------------------------------------------------------------------------------------------
def rows_of(boxes: list[OcrBox]) -> list[list[OcrBox]]:
    """Boxes grouped into visual rows (vertical centres within half a box height), each row left to right."""
    rows: list[list[OcrBox]] = []
    for b in sorted(boxes, key=lambda b: (b.box[1] + b.box[3]) / 2):
        centre, height = (b.box[1] + b.box[3]) / 2, b.box[3] - b.box[1]
        if rows:
            last = rows[-1]
            last_centre = sum((x.box[1] + x.box[3]) / 2 for x in last) / len(last)
            if abs(centre - last_centre) <= max(height, last[0].box[3] - last[0].box[1]) / 2:
                last.append(b)
                continue
        rows.append([b])
    return [sorted(row, key=lambda b: b.box[0]) for row in rows]


def _char_height(boxes: list[OcrBox]) -> float:
    heights = sorted(b.box[3] - b.box[1] for b in boxes)
    return float(heights[len(heights) // 2]) if heights else 20.0


LIST_ITEM = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]{1,2}[）)]|\d{1,2}[、．.](?!\d)|[①-⑩])"
)


def layout_text(pages: list[OcrPage]) -> OcrText:
    """The pages' boxes as text: rows joined into paragraphs where a row runs on, cells separated by tabs."""
    parts: list[str] = []
    placed: list[tuple[int, int, OcrBox]] = []
    pos = 0
    runs_on = False  # the previous row reached the right margin: the next continues its paragraph
    for page in pages:
        if not page.boxes:
            continue
        height = _char_height(page.boxes)
        left = min(b.box[0] for b in page.boxes)
        right = max(b.box[2] for b in page.boxes)
        for row in rows_of(page.boxes):
            text_start = row[0].box[0]
            continues = (
                runs_on and len(row) == 1 and text_start - left < INDENT * height and not LIST_ITEM.match(row[0].text)
            )
            if parts and not continues:
                parts.append("\n")
                pos += 1
            for k, b in enumerate(row):
                if k:
                    gap = b.box[0] - row[k - 1].box[2]
                    separator = "\t" if gap > CELL_GAP * height else ""
                    parts.append(separator)
                    pos += len(separator)
                placed.append((pos, pos + len(b.text), b))
                parts.append(b.text)
                pos += len(b.text)
            runs_on = len(row) == 1 and right - row[-1].box[2] < MARGIN_SLACK * height
    return OcrText("".join(parts), pages, placed)


# ---- genre vocabulary -------------------------------------------------------------------------------------------
# Characters the recogniser confuses (seen on this genre's scans), and the genre's words they break. A misreading is
# corrected only inside one of these words, so a correction needs the whole word around it to be certain.
CONFUSABLE = {
    "自": "目",
    "内": "门",
    "末": "未",
    "己": "已",
    "巳": "已",
    "士": "土",
    "千": "干",
    "人": "入",
    "日": "目",
}
GENRE_WORDS = (
    "项目",
    "项目支出",
    "部门",
    "部门整体支出",
    "未完成",
    "已完成",
    "基层工会",
    "工会干部",
    "目标",
    "绩效目标",
    "专项",
    "帮扶",
    "收入",
    "支出",
    "预算",
    "决算",
    "土地",
)


@lru_cache(maxsize=1)
def _corrections() -> tuple[re.Pattern, dict[str, str]]:
    genre = set(GENRE_WORDS)
    wrong: dict[str, str] = {}
    for word in GENRE_WORDS:
        for k, ch in enumerate(word):
            for bad, good in CONFUSABLE.items():
                if ch == good:
                    misread = word[:k] + bad + word[k + 1 :]
                    if misread not in genre:
                        wrong[misread] = word
    pattern = re.compile("|".join(sorted(map(re.escape, wrong), key=len, reverse=True)))
    return pattern, wrong


def correct_genre_words(text: str) -> str:
    """项自→项目, 部内→部门 … where the misread form is no word of the genre; lengths are kept (a correction swaps one
    character), so every box keeps its place in the text."""
    pattern, wrong = _corrections()
    return pattern.sub(lambda m: wrong[m.group(0)], text)


# ---- provenance -------------------------------------------------------------------------------------------------
CROP_GRAYS = 8  # enough to read a line as the scanner saw it; a crop stays ~10 KB in the warehouse


def page_image(page: OcrPage):
    """The page image as recognised (PIL, grayscale), decoded from its PNG: once per page, whatever it is cut into."""
    from PIL import Image

    with Image.open(io.BytesIO(page.png)) as img:
        img.load()
        return img.copy()


def crop_png(image, box: tuple[int, int, int, int], pad: int = 4) -> bytes:
    """The stretch of a page image inside `box` (with a little margin), as PNG: what the machine saw."""
    x0, y0, x1, y1 = box
    piece = image.crop((max(0, x0 - pad), max(0, y0 - pad), min(image.width, x1 + pad), min(image.height, y1 + pad)))
    buffer = io.BytesIO()
    piece.quantize(CROP_GRAYS).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
