select
    seq,
    event_id,
    district_code,
    year,
    sha256,
    actor,
    recorded_at
from {{ source('raw', 'confirmations') }}
