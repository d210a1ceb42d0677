"""ORG001 — the report does not name the submitting union (or its year) where a report names itself.

The file is filed under the registered district all the same: the registry decides tenancy, and a report whose
title says only 县总工会 is still that union's report. The district is asked to check.
"""

from expectations.rules.base import reading_problem_rule
from ingest.submission_codes import ORG_UNCONFIRMED

RULE = reading_problem_rule(
    id="ORG001",
    severity="warning",
    code=ORG_UNCONFIRMED,
    title="Union name or year not confirmed by the document's title, header or signature",
    description_zh="报告的标题、抬头或落款应写明本单位名称和报告年度。",
)
