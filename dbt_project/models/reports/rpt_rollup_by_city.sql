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
    count(*) as districts_expected,
    count(*) filter (where status = 'accepted') as districts_accepted,
    count(*) filter (where status = 'rejected') as districts_rejected,
    count(*) filter (where status = 'missing') as districts_missing,
    sum(case when status = 'accepted' then total_spending_yuan end) as total_spending_yuan,
    sum(case when status = 'accepted' then basic_spending_yuan end) as basic_spending_yuan,
    sum(case when status = 'accepted' then project_spending_yuan end) as project_spending_yuan,
    sum(case when status = 'accepted' then activity_yuan end) as activity_yuan,
    sum(case when status = 'accepted' then aid_yuan end) as aid_yuan,
    sum(case when status = 'accepted' then aid_person_times end) as aid_person_times,
    sum(case when status = 'accepted' then subsidy_yuan end) as subsidy_yuan,
    sum(case when status = 'accepted' then pass_through_yuan end) as pass_through_yuan
from districts
group by year, city_code
