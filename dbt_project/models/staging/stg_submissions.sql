select
    submission_id,
    district_code,
    cast(year as integer) as year,
    cast(version as integer) as version,
    sha256,
    file_name,
    file_format,
    size_bytes,
    received_at,
    status,
    status_reason,
    doc_org,
    doc_year,
    doc_kind,
    extractor_version
from {{ source('raw', 'submissions') }}
