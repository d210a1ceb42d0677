"""What a file handed in through a browser is, from its bytes (a name is only a claim the sender made).

The suffix found here names the file in landing/, so the reader that opens it is chosen by content; a name that
claims another type does not change what is read.
"""

from __future__ import annotations

import io
import zipfile

from ingest.convert import OLE_MAGIC, ole_kind

TEXT_SUFFIXES = {".txt", ".md", ".csv"}  # a text file keeps the claimed flavour: .csv is the template as CSV
ALLOWED_ZH = "Word（.docx/.doc/.wps）、PDF（含扫描件）、页面照片（.png/.jpg）、文本（.txt/.md）或统一报表模板（.xlsx/.xls/.et/.csv）"
IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": ".png", b"\xff\xd8\xff": ".jpg", b"II*\x00": ".tif", b"MM\x00*": ".tif"}


class NotAllowed(ValueError):
    """The content is none of the types a report can come in; the message is Chinese."""


def suffix_by_content(data: bytes, claimed_name: str) -> str:
    if not data.strip():
        raise NotAllowed("文件是空的，请重新选择报告文件。")
    if data.startswith(b"%PDF-"):
        return ".pdf"
    if data.startswith(b"PK\x03\x04"):
        return _office_suffix(data)
    for magic, suffix in IMAGE_MAGIC.items():
        if data.startswith(magic):
            return suffix
    if data.startswith(OLE_MAGIC):  # Word/Excel 97–2003 or WPS
        return _old_office_suffix(data, claimed_name)
    if _is_text(data):
        claimed = _claimed_suffix(claimed_name)
        return claimed if claimed in TEXT_SUFFIXES else ".txt"
    raise NotAllowed(f"无法识别的文件内容，请上传{ALLOWED_ZH}。")


def _office_suffix(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError):
        raise NotAllowed(f"文件已损坏（压缩包无法打开），请重新导出后上传{ALLOWED_ZH}。") from None
    if "word/document.xml" in names:
        return ".docx"
    if "xl/workbook.xml" in names:
        return ".xlsx"
    raise NotAllowed(f"压缩包不是 Word 或 Excel 文件，请上传{ALLOWED_ZH}。")


def _claimed_suffix(claimed_name: str) -> str:
    """The suffix the sender's name claims (".txt"), lower case; "" for a name without one."""
    return "." + claimed_name.rsplit(".", 1)[-1].lower() if "." in claimed_name else ""


def _old_office_suffix(data: bytes, claimed_name: str) -> str:
    """.doc or .xls by the main stream the file holds; a WPS file (.wps/.et) keeps its own name's suffix."""
    claimed = _claimed_suffix(claimed_name)
    kind = ole_kind(data)
    if kind == "word":
        return ".wps" if claimed == ".wps" else ".doc"
    if kind == "sheet":
        return ".et" if claimed == ".et" else ".xls"
    raise NotAllowed(
        "这是旧版 Office 文件，但其中没有 Word 正文或 Excel 工作表（可能是 PowerPoint、已加密或已损坏），"
        "请在原软件中另存为 .docx 或 .xlsx 后上传。"
    )


def _is_text(data: bytes) -> bool:
    """Readable text in an encoding reports arrive in (UTF-8/16 with or without a mark, GB18030, Big5), no NULs."""
    head = data[:65536]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030", "big5"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # a character cut by the 64 KiB window
                return True
    return False
