"""TBL001 — a table arrived without its layout and one of its readings could not be confirmed by its own arithmetic.

A flattened table whose row lost a cell is read right-aligned (the blank is usually the earlier year); amounts printed
after all the row labels are kept with their row unknown. The figure is never silently assigned: the district is told
which row to check, and a corrected file (or the Excel template) settles it.
"""

from expectations.rules.base import reading_problem_rule
from ingest.submission_codes import TABLE_DOUBT

RULE = reading_problem_rule(
    id="TBL001",
    severity="warning",
    code=TABLE_DOUBT,
    title="A table reading not confirmed by the table's own totals",
    description_zh="表格以文本形式报送、失去格式时，其读取须能由表内合计印证；不能印证的行会被列出请核对。",
)
