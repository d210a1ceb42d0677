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
        {{ money('sum(r.total_spending_yuan)') }} as comparable_total_spending_yuan,
        {{ money('sum(p.total_spending_yuan)') }} as comparable_prior_total_spending_yuan,
        {{ money('sum(r.basic_spending_yuan)') }} as comparable_basic_spending_yuan,
        {{ money('sum(p.basic_spending_yuan)') }} as comparable_prior_basic_spending_yuan,
        {{ money('sum(r.project_spending_yuan)') }} as comparable_project_spending_yuan,
        {{ money('sum(p.project_spending_yuan)') }} as comparable_prior_project_spending_yuan,
        {{ money('sum(r.aid_yuan)') }} as comparable_aid_yuan,
        {{ money('sum(p.aid_yuan)') }} as comparable_prior_aid_yuan,
        cast(sum(r.aid_person_times) as float8) as comparable_aid_person_times,
        cast(sum(p.aid_person_times) as float8) as comparable_prior_aid_person_times,
        {{ money('sum(r.subsidy_yuan)') }} as comparable_subsidy_yuan,
        {{ money('sum(p.subsidy_yuan)') }} as comparable_prior_subsidy_yuan
    from {{ ref('rpt_city_rollup') }} as r
    join {{ ref('rpt_city_rollup') }} as p
        on p.district_code = r.district_code and p.year = r.year - 1 and p.summed
    where r.summed
    group by r.year
)

select
    y.*,
    coalesce(c.comparable_districts, 0) as comparable_districts,
    {{ change_ratio('c.comparable_total_spending_yuan', 'c.comparable_prior_total_spending_yuan') }}
        as comparable_total_spending_yoy_ratio,
    {{ change_ratio('c.comparable_basic_spending_yuan', 'c.comparable_prior_basic_spending_yuan') }}
        as comparable_basic_spending_yoy_ratio,
    {{ change_ratio('c.comparable_project_spending_yuan', 'c.comparable_prior_project_spending_yuan') }}
        as comparable_project_spending_yoy_ratio,
    {{ change_ratio('c.comparable_aid_yuan', 'c.comparable_prior_aid_yuan') }} as comparable_aid_yoy_ratio,
    {{ change_ratio('c.comparable_aid_person_times', 'c.comparable_prior_aid_person_times') }}
        as comparable_aid_person_times_yoy_ratio,
    {{ change_ratio('c.comparable_subsidy_yuan', 'c.comparable_prior_subsidy_yuan') }} as comparable_subsidy_yoy_ratio,
    -- the years' accepted districts differ: the raw totals of the two years are not comparable
    p.year is not null and (
        coalesce(c.comparable_districts, 0) <> y.districts_summed
        or coalesce(c.comparable_districts, 0) <> p.districts_summed
    ) as coverage_differs,
    p.total_spending_yuan as prior_total_spending_yuan,
    {{ change_ratio('y.total_spending_yuan', 'p.total_spending_yuan') }} as total_spending_yoy_ratio,
    p.aid_yuan as prior_aid_yuan,
    {{ change_ratio('y.aid_yuan', 'p.aid_yuan') }} as aid_yoy_ratio,
    p.aid_person_times as prior_aid_person_times,
    {{ change_ratio('y.aid_person_times', 'p.aid_person_times') }} as aid_person_times_yoy_ratio,
    p.subsidy_yuan as prior_subsidy_yuan,
    {{ change_ratio('y.subsidy_yuan', 'p.subsidy_yuan') }} as subsidy_yoy_ratio,
    {{ change_ratio('y.basic_spending_yuan', 'p.basic_spending_yuan') }} as basic_spending_yoy_ratio,
    {{ change_ratio('y.project_spending_yuan', 'p.project_spending_yuan') }} as project_spending_yoy_ratio,
    y.districts_accepted - p.districts_accepted as districts_accepted_change
from yearly as y
left join yearly as p on p.year = y.year - 1
left join comparable as c on c.year = y.year
