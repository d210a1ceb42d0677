"""Files to text: .txt/.md (UTF-8, UTF-8 with BOM, GB18030/GBK), .docx (paragraphs and tables in document order)
and text-layer .pdf. Every failure is a `ReadError` whose message names the file and what is wrong, in Chinese."""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

MAX_DOCX_UNCOMPRESSED = 64 * 1024 * 1024   # a real report is a few MB; more is a zip bomb
MAX_DOCX_RATIO = 200                       # uncompressed / compressed


class ReadError(ValueError):
    """A file that cannot be read; the message is for the district."""


@dataclass
class ReadResult:
    text: str
    warnings: list[str] = field(default_factory=list)


def decode_text(data: bytes, name: str) -> ReadResult:
    """UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK and GB2312); never silent mojibake."""
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
    try:
        return ReadResult(data.decode("gb18030"))
    except UnicodeDecodeError as exc:
        raise ReadError(f"{name}：无法识别文件编码（既不是UTF-8也不是GB18030/GBK，第{exc.start}字节）") from exc


def _check_zip(path: Path) -> None:
    if not zipfile.is_zipfile(path):
        raise ReadError(f"{path.name}：不是有效的Word文档（.docx 应为zip格式，文件可能已损坏或实为其他格式）")
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        packed = sum(i.compress_size for i in infos) or 1
        if total > MAX_DOCX_UNCOMPRESSED or total / packed > MAX_DOCX_RATIO:
            raise ReadError(f"{path.name}：文档解压后过大（{total} 字节），疑似压缩炸弹，已拒绝读取")
        if "word/document.xml" not in {i.filename for i in infos}:
            raise ReadError(f"{path.name}：zip中没有Word正文（word/document.xml），不是Word文档")


def read_docx(path: Path) -> ReadResult:
    """Paragraphs and tables in document order; a table row becomes one line, cells separated by tabs."""
    _check_zip(path)
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        doc = Document(str(path))
    except Exception as exc:  # python-docx raises several types for broken packages
        raise ReadError(f"{path.name}：Word文档无法打开（{type(exc).__name__}）") from exc
    lines: list[str] = []
    for block in doc.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, doc).text)
        elif tag == "tbl":
            for row in Table(block, doc).rows:
                # a cell merged across columns comes back once per grid column: its text stands in the first and
                # the others stay empty, so every row keeps the table's columns (a header over two rows lines up)
                cells, previous = [], None
                for cell in row.cells:
                    cells.append("" if cell._tc is previous else re.sub(r"\s*\n\s*", "", cell.text.strip()))
                    previous = cell._tc
                lines.append("\t".join(cells))
    return ReadResult("\n".join(lines))


def read_pdf(path: Path) -> ReadResult:
    """A text-layer PDF: prose in reading order and each ruled table as tab rows (pdfplumber finds a table by its
    lines, so cells are cells, not whatever order the text layer happens to hold them in)."""
    _check_pdf(path)
    import logging

    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)   # font warnings of every CJK PDF say nothing to anyone
    try:
        with pdfplumber.open(str(path)) as pdf:
            text = "\n".join(_pdf_page_text(page) for page in pdf.pages)
    except ReadError:
        raise
    except Exception as exc:  # pdfminer raises many types for damaged streams
        raise ReadError(f"{path.name}：PDF内容无法解析（{type(exc).__name__}）") from exc
    if not text.strip():
        raise ReadError(f"{path.name}：PDF没有文字层（可能是扫描件），请提供Word文档或可复制文字的PDF")
    return ReadResult(text)


def _check_pdf(path: Path) -> None:
    """Damaged or password-protected files are named as such before any reading."""
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


def read_document(path: Path) -> ReadResult:
    suffix = path.suffix.lower()
    if not path.exists():
        raise ReadError(f"{path.name}：文件不存在")
    if path.stat().st_size == 0:
        raise ReadError(f"{path.name}：文件为空（0字节）")
    if suffix == ".docx":
        return read_docx(path)
    if suffix == ".pdf":
        return read_pdf(path)
    if suffix in {".txt", ".md", ".text", ""}:
        return decode_text(path.read_bytes(), path.name)
    if suffix == ".doc":
        raise ReadError(f"{path.name}：不支持旧版Word（.doc）格式，请另存为 .docx 后报送")
    raise ReadError(f"{path.name}：不支持的文件格式“{suffix}”（可报送 .docx、.pdf、.txt、.md 或统一报表模板 .xlsx/.csv）")
