-- The page and recognition confidence of each fact read by OCR from a scan or photo (the crop stays in raw: the
-- portal and the reports show it, a mart has no use for the image).
select
    submission_id,
    fact_id,
    page as scan_page,
    confidence as scan_confidence,
    line_text as scan_line_text
from {{ source('raw', 'scan_places') }}
