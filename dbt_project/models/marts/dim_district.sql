select
    district_code,
    district_name,
    union_name,
    city_name,
    active
from {{ ref('stg_tenants') }}
