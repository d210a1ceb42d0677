-- No figure of a rejected, superseded or quarantined version reaches a mart.
select f.submission_id, f.fact_id
from {{ ref('fct_spending') }} as f
join {{ ref('stg_submissions') }} as s using (submission_id)
where s.status <> 'accepted'
union all
select f.submission_id, f.fact_id
from {{ ref('fct_beneficiaries') }} as f
join {{ ref('stg_submissions') }} as s using (submission_id)
where s.status <> 'accepted'
