-- One row per active district and year: its status and headline totals (NULL unless its submission is accepted).
-- A headline figure the report did not state but that its other two determine (整体 = 基本 + 项目) is the derived
-- fact, flagged *_derived: shown as （推算） wherever it is shown, so 基本 + 项目 = 整体 holds on every page.
with facts as (
    select * from {{ ref('int_facts_enriched') }}
),

headline as (
    select
        submission_id,
        max(case when category = 'spending.total' and not derived then amount_yuan end) as total_stated,
        max(case when category = 'spending.total' and derived then amount_yuan end) as total_derived,
        max(case when category = 'spending.basic' and not derived then amount_yuan end) as basic_stated,
        max(case when category = 'spending.basic' and derived then amount_yuan end) as basic_derived,
        max(case when category = 'spending.project' and not derived then amount_yuan end) as project_stated,
        max(case when category = 'spending.project' and derived then amount_yuan end) as project_derived
    from facts
    where kind = 'amount' and measure = 'actual'
    group by submission_id
),

totals as (
    select
        submission_id,
        coalesce(total_stated, total_derived) as total_spending_yuan,
        total_stated is null and total_derived is not null as total_spending_derived,
        coalesce(basic_stated, basic_derived) as basic_spending_yuan,
        basic_stated is null and basic_derived is not null as basic_spending_derived,
        coalesce(project_stated, project_derived) as project_spending_yuan,
        project_stated is null and project_derived is not null as project_spending_derived
    from headline
),

areas as (
    select
        submission_id,
        sum(case when category_area = 'activity' then amount_yuan end) as activity_yuan,
        sum(case when category_area = 'aid' then amount_yuan end) as aid_yuan,
        sum(case when category_area = 'subsidy' and category <> 'subsidy.pass_through' then amount_yuan end)
            as subsidy_yuan,
        sum(case when category = 'subsidy.pass_through' then amount_yuan end) as pass_through_yuan
    from facts
    where kind = 'amount' and measure = 'actual' and not derived and is_top_level
    group by submission_id
),

beneficiaries as (
    select submission_id, sum(person_times) as aid_person_times
    from facts
    where category_area = 'aid' and kind = 'count' and (parent_kind is null or parent_kind = 'amount')
    group by submission_id
),

fact_counts as (
    select submission_id, count(*) as fact_count from facts group by submission_id
),

findings as (
    select
        submission_id,
        count(*) filter (where severity = 'fatal') as fatal_findings,
        count(*) filter (where severity = 'warning') as warning_findings
    from {{ ref('dq_findings') }}
    where submission_id is not null
    group by submission_id
),

-- a district that has not reported has its coverage finding (COV001), which belongs to no submission
coverage as (
    select district_code, year, count(*) as coverage_findings
    from {{ ref('dq_findings') }}
    where submission_id is null
    group by district_code, year
),

rows as (
    select
        dy.year,
        dy.district_code,
        dy.district_name,
        dy.status,
        {{ label_of('dy.status', 'district_year_zh') }} as status_zh,
        dy.submission_id,
        dy.version,
        dy.latest_version,
        dy.latest_status,
        t.total_spending_yuan,
        t.basic_spending_yuan,
        t.project_spending_yuan,
        coalesce(t.total_spending_derived, false) as total_spending_derived,
        coalesce(t.basic_spending_derived, false) as basic_spending_derived,
        coalesce(t.project_spending_derived, false) as project_spending_derived,
        a.activity_yuan,
        a.aid_yuan,
        b.aid_person_times,
        a.subsidy_yuan,
        a.pass_through_yuan,
        coalesce(fc.fact_count, 0) as fact_count,
        coalesce(fi.fatal_findings, 0) as fatal_findings,
        coalesce(fi.warning_findings, 0) + coalesce(cv.coverage_findings, 0) as warning_findings
    from {{ ref('int_district_years') }} as dy
    left join totals as t on t.submission_id = dy.submission_id
    left join areas as a on a.submission_id = dy.submission_id
    left join beneficiaries as b on b.submission_id = dy.submission_id
    left join fact_counts as fc on fc.submission_id = dy.submission_id
    -- findings of the version that decides the status: the accepted one, else the newest
    left join {{ ref('int_submission_status') }} as st on st.district_code = dy.district_code and st.year = dy.year
    left join findings as fi on fi.submission_id = coalesce(dy.submission_id, st.latest_submission_id)
    left join coverage as cv on cv.district_code = dy.district_code and cv.year = dy.year
)

select
    r.*,
    p.status as prior_status,
    p.total_spending_yuan as prior_total_spending_yuan,
    r.total_spending_yuan / nullif(p.total_spending_yuan, 0) - 1 as total_spending_yoy_ratio,
    p.aid_yuan as prior_aid_yuan,
    r.aid_yuan / nullif(p.aid_yuan, 0) - 1 as aid_yoy_ratio
from rows as r
left join rows as p on p.district_code = r.district_code and p.year = r.year - 1
