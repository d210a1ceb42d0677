-- No figure of a rejected, superseded or quarantined version reaches a mart.
-- Attached to the mart it guards as a Dagster asset check (a singular test with two refs needs telling which).
{{ config(meta={'dagster': {'ref': {'name': 'fct_spending'}}}) }}
select f.submission_id, f.fact_id
from {{ ref('fct_spending') }} as f
join {{ ref('stg_submissions') }} as s using (submission_id)
where s.status <> 'accepted'
union all
select f.submission_id, f.fact_id
from {{ ref('fct_beneficiaries') }} as f
join {{ ref('stg_submissions') }} as s using (submission_id)
where s.status <> 'accepted'
