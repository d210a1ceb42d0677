-- One row per year: coverage and the city's totals, summed over accepted districts only.
with yearly as (
    select
        year,
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
    from {{ ref('rpt_city_rollup') }}
    group by year
)

select
    y.*,
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
