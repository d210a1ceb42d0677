-- A district that is awaiting correction or has not reported contributes no figure to the city's totals.
select district_code, year
from {{ ref('rpt_city_rollup') }}
where status <> 'accepted'
  and coalesce(total_spending_yuan, activity_yuan, aid_yuan, subsidy_yuan, aid_person_times) is not null
