"""A worksheet whose table body is written as XML rendered here, in one pass, instead of cell by cell.

xlsxwriter stores each cell as an object and writes it through a chain of calls (~6 µs a cell): a province's year
is ~1.1 million fact cells, 7 of the 9 seconds of its city workbook, paid again for one district's new file. The
rows rendered here are the same cells (numbers with the column's number format, text as inline strings, blanks
and empty text left out) and the title, header and total rows stay xlsxwriter's own.
"""

from __future__ import annotations

import math
import re

from xlsxwriter.worksheet import Worksheet

MAX_STRING = 32767  # Excel's longest cell text; xlsxwriter truncates the same way
# characters XML 1.0 cannot carry, written as Excel's _xHHHH_ escape (as xlsxwriter does)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def column_letter(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: str) -> str:
    """The attributes after the style and the content of a text cell (an inline string)."""
    text = value[:MAX_STRING]
    if _CONTROL.search(text):
        text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    preserve = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f' t="inlineStr"><is><t{preserve}>{text}</t></is>'


def _other(value) -> str:
    """The attributes after the style and the content of a cell that is not text."""
    if isinstance(value, bool):
        return f' t="b"><v>{int(value)}</v>'
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return ' t="e"><v>#NUM!</v>'  # as the workbook's nan_inf_to_errors writes it
        return f"><v>{value:.16G}</v>"
    return _text(str(value))


def render_rows(first_row: int, rows: list[list], styles: list[int | None]) -> str:
    """<row> elements for `rows` from the 0-based sheet row `first_row`; styles: each column's xf index or None.
    Names, categories and submission ids repeat down a sheet: each distinct text is escaped once."""
    opens = [f'<c r="{column_letter(col)}' for col in range(len(styles))]
    style_attrs = ["" if s is None else f' s="{s}"' for s in styles]
    texts: dict[str, str] = {}
    out = []
    for n, row in enumerate(rows, start=first_row + 1):
        out.append(f'<row r="{n}">')
        for col, value in enumerate(row):
            if value is None or value == "":  # xlsxwriter writes an empty text as no cell, too
                continue
            if type(value) is str:
                body = texts.get(value)
                if body is None:
                    body = texts[value] = _text(value)
            else:
                body = _other(value)
            out.append(f'{opens[col]}{n}"{style_attrs[col]}{body}</c>')
        out.append("</row>")
    return "".join(out)


class BodySheet(Worksheet):
    """Rows set_body() gave are written between the rows xlsxwriter holds (the title block and header above them,
    a total row below)."""

    def __init__(self) -> None:
        super().__init__()
        self._body: tuple[int, int, str] | None = None  # first and last 0-based row, their XML

    def set_body(self, first_row: int, rows: list[list], formats: list) -> None:
        """formats: each column's xlsxwriter Format, or None."""
        if not rows:
            return
        last_row = first_row + len(rows) - 1
        styles = [None if fmt is None else fmt._get_xf_index() for fmt in formats]  # the index cells refer to
        self._body = (first_row, last_row, render_rows(first_row, rows, styles))
        self.dim_rowmax = max(self.dim_rowmax or 0, last_row)

    def _write_rows(self) -> None:
        if self._body is None:
            super()._write_rows()
            return
        first, last, xml = self._body
        low, high = self.dim_rowmin, self.dim_rowmax
        try:
            self.dim_rowmax = first - 1  # xlsxwriter's rows above the body
            super()._write_rows()
            self.fh.write(xml)
            self.dim_rowmin, self.dim_rowmax = last + 1, high  # and below it
            if last < high:
                super()._write_rows()
        finally:
            self.dim_rowmin, self.dim_rowmax = low, high
