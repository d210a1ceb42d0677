"""Files to text: .txt/.md (UTF-8, UTF-8 with BOM, GB18030/GBK), .docx (paragraphs and tables in document order),
.pdf (its text layer; a scan without one is recognised page by page, ingest.ocr), photos of pages (.png/.jpg/.tif)
and old Word files (.doc/.wps, converted by LibreOffice, ingest.convert). Every failure is a `ReadError` whose
message names the file and what is wrong, in Chinese."""

from __future__ import annotations

import re
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from ingest.ocr import OcrError, OcrText, Progress

MAX_DOCX_UNCOMPRESSED = 64 * 1024 * 1024  # a real report (or workbook) is a few MB unpacked; more is a zip bomb
MAX_DOCX_RATIO = 200  # uncompressed / compressed
MAX_DOCX_BODY = 16 * 1024 * 1024  # word/document.xml: a 300-page report's body is a few MB


T = TypeVar("T")


class ReadError(ValueError):
    """A file that cannot be read; the message is for the district."""


@dataclass
class ReadResult:
    text: str
    warnings: list[str] = field(default_factory=list)
    ocr: OcrText | None = None  # the recognised pages, when the text was read from page images


IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
# A text layer with fewer visible characters than this per page is a scan's (a scanner app's watermark, a stamp's
# name), not the report's: the pages are recognised instead.
MIN_CHARS_PER_PAGE = 8


# The characters that make up most of any Chinese report, simplified and traditional: a decoding that yields few of
# them is the wrong one (Big5 bytes read as GB18030 decode "successfully" into rare characters).
COMMON_HANZI = frozenset(
    "的一是不了在人有我他这中大来上个国到说们为子和你地出也时年得就那要下以生会自着去之过家学对可里后小么心多天而能好"
    "都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把"
    "法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使"
    "教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数"
    "件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特"
    "觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该"
    "领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸"
    "钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观"
    "争究包组造落视济喜离虽坏兴切敢复较整夜這個們為來說國時會對後麼見經頭現動兩長樣點從實話問機給幾業間電門東無開與"
    "發當經過還進樣間關員報區總產際內書費會務錢歲證帶幫萬億職補貼慰溫暖預算決支出計劃單位"
)
MIN_COMMON_SHARE = 0.25


def _common_share(text: str) -> float:
    hanzi = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    return sum(ch in COMMON_HANZI for ch in hanzi) / len(hanzi) if hanzi else 1.0


def decode_text(data: bytes, name: str) -> ReadResult:
    """UTF-8 (with or without BOM), then GB18030 (a superset of GBK and GB2312) or Big5 (traditional), whichever
    reads as Chinese; never silent mojibake: bytes that read as neither are named as an unsupported encoding."""
    if not data.strip():
        raise ReadError(f"{name}：文件为空")
    if data.startswith(b"\xef\xbb\xbf"):
        return ReadResult(data[3:].decode("utf-8", errors="replace"))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ReadResult(data.decode("utf-16"))
    try:
        return ReadResult(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    readings = []
    for encoding in ("gb18030", "big5"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        readings.append((_common_share(text), encoding, text))
    if readings:
        share, encoding, text = max(readings)
        if share >= MIN_COMMON_SHARE:
            warnings = [] if encoding == "gb18030" else [f"{name}：文件为繁体Big5编码，已按Big5读取"]
            return ReadResult(text, warnings)
    raise ReadError(
        f"{name}：无法识别文件编码（不是UTF-8、GB18030/GBK或Big5，读出的是乱码），"
        "请在Word或记事本中另存为UTF-8编码后重新报送"
    )


def zip_bomb_problem(path: Path) -> str | None:
    """Why an Office file (docx, xlsx: zip archives) must not be unpacked, judged from its directory alone."""
    with zipfile.ZipFile(path) as zf:
        return _unpacked_too_large(path, zf.infolist())


def _unpacked_too_large(path: Path, infos: list[zipfile.ZipInfo]) -> str | None:
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_DOCX_UNCOMPRESSED or total / packed > MAX_DOCX_RATIO:
        return f"{path.name}：文件解压后过大（{total} 字节），疑似压缩炸弹，已拒绝读取"
    return None


def _check_zip(path: Path) -> None:
    if not zipfile.is_zipfile(path):
        raise ReadError(f"{path.name}：不是有效的Word文档（.docx 应为zip格式，文件可能已损坏或实为其他格式）")
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        problem = _unpacked_too_large(path, infos)
        if problem:
            raise ReadError(problem)
        body = next((i for i in infos if i.filename == "word/document.xml"), None)
        if body is None:
            raise ReadError(f"{path.name}：zip中没有Word正文（word/document.xml），不是Word文档")
        if body.file_size > MAX_DOCX_BODY:
            raise ReadError(
                f"{path.name}：Word正文过大（{body.file_size // 1024 // 1024} MB，上限 "
                f"{MAX_DOCX_BODY // 1024 // 1024} MB），请删除嵌入的大段表格或另存为PDF后报送"
            )


def read_docx(path: Path) -> ReadResult:
    """Paragraphs and tables in document order; a table row becomes one line, cells separated by tabs. Only the body
    (word/document.xml) is parsed: opening the whole package (styles, numbering, theme, settings) cost 8× as much
    and nothing of it reaches the text."""
    _check_zip(path)
    from docx.oxml import parse_xml
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        with zipfile.ZipFile(path) as zf:
            body = parse_xml(zf.read("word/document.xml")).body
    except Exception as exc:  # a damaged member or malformed XML raises several types
        raise ReadError(f"{path.name}：Word文档无法打开（{type(exc).__name__}）") from exc
    lines: list[str] = []
    for block in body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, None).text)  # type: ignore[arg-type]  # no part: text needs none
        elif tag == "tbl":
            for row in Table(block, None).rows:  # type: ignore[arg-type]
                # a cell merged across columns comes back once per grid column: its text stands in the first and
                # the others stay empty, so every row keeps the table's columns (a header over two rows lines up)
                cells, previous = [], None
                for cell in row.cells:
                    cells.append("" if cell._tc is previous else re.sub(r"\s*\n\s*", "", cell.text.strip()))
                    previous = cell._tc
                lines.append("\t".join(cells))
    return ReadResult("\n".join(lines))


def read_pdf(path: Path, progress: Progress | None = None) -> ReadResult:
    """A text-layer PDF: prose in reading order and each ruled table as tab rows (pdfplumber finds a table by its
    lines, so cells are cells, not whatever order the text layer happens to hold them in). A PDF whose pages hold
    no text of their own (a scan, a stamped copy) is recognised from its page images."""
    pages = _check_pdf(path)
    import logging

    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font warnings of every CJK PDF say nothing to anyone
    try:
        with pdfplumber.open(str(path)) as pdf:
            text = "\n".join(_pdf_page_text(page) for page in pdf.pages)
    except ReadError:
        raise
    except Exception as exc:  # pdfminer raises many types for damaged streams
        raise ReadError(f"{path.name}：PDF内容无法解析（{type(exc).__name__}）") from exc
    if len("".join(text.split())) < MIN_CHARS_PER_PAGE * max(pages, 1):
        return read_scan(path, progress)
    return ReadResult(text)


def read_scan(path: Path, progress: Progress | None = None) -> ReadResult:
    """A scanned PDF or a photo of a page, recognised (ingest.ocr); the result says so in a warning."""
    from ingest import ocr

    try:
        read = ocr.read_pdf_scan(path, progress) if path.suffix.lower() == ".pdf" else ocr.read_photo(path, progress)
    except OcrError as exc:
        raise ReadError(str(exc)) from exc
    if not read.text.strip():
        raise ReadError(
            f"{path.name}：扫描件（图片）中没有识别出文字，可能是空白页或图像过于模糊；"
            "请重新扫描（200dpi以上、页面端正）或报送Word文档"
        )
    pages = len(read.pages)
    return ReadResult(
        read.text,
        [f"{path.name}：本文件为扫描件（图片），共{pages}页，数字由文字识别读出，请对照原件逐项核对"],
        read,
    )


def _check_pdf(path: Path) -> int:
    """Damaged or password-protected files are named as such before any reading; the number of pages."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
    except (PdfReadError, OSError, ValueError) as exc:
        raise ReadError(f"{path.name}：PDF文件已损坏，无法读取（{type(exc).__name__}）") from exc
    if reader.is_encrypted:
        try:
            if not reader.decrypt(""):
                raise ReadError(f"{path.name}：PDF已加密，请提供未加密的文件")
        except Exception as exc:
            raise ReadError(f"{path.name}：PDF已加密，请提供未加密的文件") from exc
    try:
        return len(reader.pages)
    except Exception as exc:  # a broken page tree
        raise ReadError(f"{path.name}：PDF文件已损坏，无法读取（{type(exc).__name__}）") from exc


def _pdf_page_text(page) -> str:
    """The page top to bottom: text between tables as the text layer gives it, each table as tab rows."""
    tables = sorted(page.find_tables(), key=lambda t: t.bbox[1])
    parts: list[str] = []
    top = page.bbox[1]
    for table in tables:
        x0, t_top, x1, t_bottom = table.bbox
        if t_top > top:
            parts.append(page.crop((page.bbox[0], top, page.bbox[2], t_top)).extract_text() or "")
        for row in table.extract():
            cells = [re.sub(r"\s*\n\s*", "", cell or "").strip() for cell in row]
            parts.append("\t".join(cells))
        top = max(top, t_bottom)
    if top < page.bbox[3]:
        parts.append(page.crop((page.bbox[0], top, page.bbox[2], page.bbox[3])).extract_text() or "")
    return "\n".join(p for p in parts if p)


def read_converted(path: Path, reader: Callable[[Path], T]) -> T:
    """An old Office file converted by LibreOffice (ingest.convert) into a private temporary folder and read there by
    `reader`; the original is only copied. A file that cannot be converted is a ReadError."""
    from ingest.convert import ConvertError, convert_old_office

    with tempfile.TemporaryDirectory(prefix="uwh-read-") as work:
        try:
            converted = convert_old_office(path, Path(work))
        except ConvertError as exc:
            raise ReadError(str(exc)) from exc
        return reader(converted)


def read_old_word(path: Path) -> ReadResult:
    """A .doc/.wps file, converted to .docx and read as one."""
    read = read_converted(path, read_docx)
    return ReadResult(read.text, [*read.warnings, f"{path.name}：旧版Word/WPS文件，已自动转换为 .docx 读取"])


def read_document(path: Path, progress: Progress | None = None) -> ReadResult:
    suffix = path.suffix.lower()
    if not path.exists():
        raise ReadError(f"{path.name}：文件不存在")
    if path.stat().st_size == 0:
        raise ReadError(f"{path.name}：文件为空（0字节）")
    if suffix == ".docx":
        return read_docx(path)
    if suffix == ".pdf":
        return read_pdf(path, progress)
    if suffix in IMAGE_SUFFIXES:
        return read_scan(path, progress)
    if suffix in {".txt", ".md", ".text", ""}:
        return decode_text(path.read_bytes(), path.name)
    if suffix in {".doc", ".wps"}:
        return read_old_word(path)
    raise ReadError(
        f"{path.name}：不支持的文件格式“{suffix}”（可报送 .docx/.doc/.wps、.pdf（含扫描件）、.png/.jpg 图片、"
        ".txt、.md 或统一报表模板 .xlsx/.xls/.et/.csv）"
    )
