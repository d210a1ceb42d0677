-- One row per year: coverage and the city's totals, summed over accepted districts only. Year-on-year change is
-- given on a comparable basis (可比口径: the districts accepted in both years) and, apart, for the raw totals, whose
-- change also reflects which districts were accepted.
with yearly as (
    select
        year,
        {{ accepted_district_sums() }}
    from {{ ref('rpt_city_rollup') }}
    group by year
),

comparable as (
    select
        r.year,
        count(*) as comparable_districts,
        sum(r.total_spending_yuan) as comparable_total_spending_yuan,
        sum(p.total_spending_yuan) as comparable_prior_total_spending_yuan,
        sum(r.basic_spending_yuan) as comparable_basic_spending_yuan,
        sum(p.basic_spending_yuan) as comparable_prior_basic_spending_yuan,
        sum(r.project_spending_yuan) as comparable_project_spending_yuan,
        sum(p.project_spending_yuan) as comparable_prior_project_spending_yuan,
        sum(r.aid_yuan) as comparable_aid_yuan,
        sum(p.aid_yuan) as comparable_prior_aid_yuan,
        sum(r.aid_person_times) as comparable_aid_person_times,
        sum(p.aid_person_times) as comparable_prior_aid_person_times,
        sum(r.subsidy_yuan) as comparable_subsidy_yuan,
        sum(p.subsidy_yuan) as comparable_prior_subsidy_yuan
    from {{ ref('rpt_city_rollup') }} as r
    join {{ ref('rpt_city_rollup') }} as p
        on p.district_code = r.district_code and p.year = r.year - 1 and p.status = 'accepted'
    where r.status = 'accepted'
    group by r.year
)

select
    y.*,
    coalesce(c.comparable_districts, 0) as comparable_districts,
    c.comparable_total_spending_yuan / nullif(c.comparable_prior_total_spending_yuan, 0) - 1
        as comparable_total_spending_yoy_ratio,
    c.comparable_basic_spending_yuan / nullif(c.comparable_prior_basic_spending_yuan, 0) - 1
        as comparable_basic_spending_yoy_ratio,
    c.comparable_project_spending_yuan / nullif(c.comparable_prior_project_spending_yuan, 0) - 1
        as comparable_project_spending_yoy_ratio,
    c.comparable_aid_yuan / nullif(c.comparable_prior_aid_yuan, 0) - 1 as comparable_aid_yoy_ratio,
    c.comparable_aid_person_times / nullif(c.comparable_prior_aid_person_times, 0) - 1
        as comparable_aid_person_times_yoy_ratio,
    c.comparable_subsidy_yuan / nullif(c.comparable_prior_subsidy_yuan, 0) - 1 as comparable_subsidy_yoy_ratio,
    -- the years' accepted districts differ: the raw totals of the two years are not comparable
    p.year is not null and (
        coalesce(c.comparable_districts, 0) <> y.districts_accepted
        or coalesce(c.comparable_districts, 0) <> p.districts_accepted
    ) as coverage_differs,
    p.total_spending_yuan as prior_total_spending_yuan,
    y.total_spending_yuan / nullif(p.total_spending_yuan, 0) - 1 as total_spending_yoy_ratio,
    p.aid_yuan as prior_aid_yuan,
    y.aid_yuan / nullif(p.aid_yuan, 0) - 1 as aid_yoy_ratio,
    p.aid_person_times as prior_aid_person_times,
    y.aid_person_times / nullif(p.aid_person_times, 0) - 1 as aid_person_times_yoy_ratio,
    p.subsidy_yuan as prior_subsidy_yuan,
    y.subsidy_yuan / nullif(p.subsidy_yuan, 0) - 1 as subsidy_yoy_ratio,
    y.basic_spending_yuan / nullif(p.basic_spending_yuan, 0) - 1 as basic_spending_yoy_ratio,
    y.project_spending_yuan / nullif(p.project_spending_yuan, 0) - 1 as project_spending_yoy_ratio,
    y.districts_accepted - p.districts_accepted as districts_accepted_change
from yearly as y
left join yearly as p on p.year = y.year - 1
left join comparable as c on c.year = y.year
