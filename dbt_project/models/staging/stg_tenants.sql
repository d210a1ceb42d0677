-- The registry of the federation: one row per district-level union.
select
    district_code,
    district_name,
    union_name,
    city_name,
    active
from {{ source('raw', 'tenants') }}
