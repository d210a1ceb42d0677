-- One row per city and year: what a province federation sees. Division codes are hierarchical (43 → 4304 → 430405):
-- a district's city is its first four digits. Figures are summed over accepted districts only, as in the city totals;
-- each city's own districts are rpt_city_rollup's rows with the same city_code.
with districts as (
    select
        r.*,
        substr(r.district_code, 1, 4) || '00' as city_code,
        t.city_name
    from {{ ref('rpt_city_rollup') }} as r
    left join {{ ref('stg_tenants') }} as t on t.district_code = r.district_code
)

select
    year,
    city_code,
    max(city_name) as city_name,
    {{ accepted_district_sums() }}
from districts
group by year, city_code
