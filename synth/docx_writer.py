"""Writes a generated report as a Word document: headings as headings, and optionally the spending summary as a
real Word table (as many districts submit it)."""

from __future__ import annotations

import re
from pathlib import Path

HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


def write_docx(path: Path, lines: list[str], *, table: list[list[str]] | None = None) -> None:
    from docx import Document

    doc = Document()
    for n, line in enumerate(lines):
        if n == 1:
            doc.add_heading(line, level=0)
        elif HEADING.match(line) and len(line) < 30:
            doc.add_heading(line, level=1 if "、" in line[:4] else 2)
        else:
            doc.add_paragraph(line)
        if table and line.startswith("（二）") and "支出" in line and n < 12:
            grid = doc.add_table(rows=len(table), cols=len(table[0]))
            for r, row in enumerate(table):
                for c, value in enumerate(row):
                    grid.cell(r, c).text = value
            table = None
    doc.save(str(path))
