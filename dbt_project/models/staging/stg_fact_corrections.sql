select
    seq,
    event_id,
    district_code,
    year,
    sha256,
    fact_id,
    field,
    before_text,
    after_text,
    anchor_text,
    anchor_value,
    reason,
    actor,
    recorded_at
from {{ source('raw', 'fact_corrections') }}
