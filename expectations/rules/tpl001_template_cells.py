"""TPL001 — a cell of the structured template holds something that is not what its column asks for."""

from expectations.rules.base import reading_problem_rule
from ingest.submission_codes import TEMPLATE_CELL

RULE = reading_problem_rule(
    id="TPL001",
    severity="fatal",
    code=TEMPLATE_CELL,
    title="Template cell with an invalid value",
    description_zh="统一报表模板中，金额须为非负数字，人次、户数须为非负整数，类别和口径须从下拉列表选择。",
    advice_zh="，请更正后重新报送。",
)
