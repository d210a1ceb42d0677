"""OCR001 — a figure read from a scanned page whose line the recogniser was unsure of (ingest.scan_places).

A warning, never a silent guess: a scan's digits can be misread (3↔8, 1↔7, a lost decimal point), so the district
is told which figure, on which page, to compare with the paper before it confirms the figures.
"""

from expectations.rules.base import reading_problem_rule
from ingest.submission_codes import OCR_LOW_CONFIDENCE

RULE = reading_problem_rule(
    id="OCR001",
    severity="warning",
    code=OCR_LOW_CONFIDENCE,
    title="A figure read from a scan with low recognition confidence",
    description_zh="扫描件（图片）中识别出的数字，若识别把握不大，会列出页码与所在行，请与纸质原件核对。",
    advice_zh="。请对照原件核对该数字；如识别有误，请在“核对数字”页更正，或报送可复制文字的Word/PDF文件。",
)
