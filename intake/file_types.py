"""What a file handed in through a browser is, from its bytes (a name is only a claim the sender made).

The suffix found here names the file in landing/, so the reader that opens it is chosen by content; a name that
claims another type does not change what is read.
"""

from __future__ import annotations

import io
import zipfile

TEXT_SUFFIXES = {".txt", ".md", ".csv"}  # a text file keeps the claimed flavour: .csv is the template as CSV
ALLOWED_ZH = "Word（.docx）、PDF、文本（.txt/.md）或统一报表模板（.xlsx/.csv）"


class NotAllowed(ValueError):
    """The content is none of the types a report can come in; the message is Chinese."""


def suffix_by_content(data: bytes, claimed_name: str) -> str:
    if not data.strip():
        raise NotAllowed("文件是空的，请重新选择报告文件。")
    if data.startswith(b"%PDF-"):
        return ".pdf"
    if data.startswith(b"PK\x03\x04"):
        return _office_suffix(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # OLE: Word 97–2003 .doc or Excel .xls
        raise NotAllowed(
            "这是旧版 Word/Excel 文件（.doc/.xls），请在 Word 或 Excel 中“另存为” .docx 或 .xlsx 后再上传。"
        )
    if _is_text(data):
        claimed = "." + claimed_name.rsplit(".", 1)[-1].lower() if "." in claimed_name else ""
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
