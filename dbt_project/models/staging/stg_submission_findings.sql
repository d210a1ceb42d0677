select
    submission_id,
    rule_id,
    severity,
    message,
    fact_id,
    expected,
    provided,
    difference
from {{ source('raw', 'submission_findings') }}
