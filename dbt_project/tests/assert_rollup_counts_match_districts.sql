-- Each year's coverage counts add up to the number of active districts.
-- Attached to the report it guards as a Dagster asset check (a singular test with two refs needs telling which).
{{ config(meta={'dagster': {'ref': {'name': 'rpt_city_totals'}}}) }}
select t.year
from {{ ref('rpt_city_totals') }} as t
where t.districts_accepted + t.districts_rejected + t.districts_missing <> t.districts_expected
   or t.districts_expected <> (select count(*) from {{ ref('dim_district') }} where active)
