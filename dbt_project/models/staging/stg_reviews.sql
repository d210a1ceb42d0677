select
    seq,
    event_id,
    district_code,
    year,
    sha256,
    decision,
    comment,
    actor,
    recorded_at
from {{ source('raw', 'reviews') }}
