-- One row per active district and year: its status and headline totals (NULL unless its submission is accepted).
-- A headline figure the report did not state but that its other two determine (整体 = 基本 + 项目) is the derived
-- fact, flagged *_derived: shown as （推算） wherever it is shown, so 基本 + 项目 = 整体 holds on every page.
with facts as (
    select * from {{ ref('int_facts_enriched') }}
),

-- every figure is the sum of its sources (rpt_rollup_sources), so the two never disagree
totals as (
    select
        submission_id,
        {%- for figure in rollup_figures() %}
            {{ rollup_figure(figure, "sum(case when figure = '" ~ figure ~ "' then value end)") }} as {{ figure }},
        {%- endfor %}
        bool_or(figure = 'total_spending_yuan' and derived) as total_spending_derived,
        bool_or(figure = 'basic_spending_yuan' and derived) as basic_spending_derived,
        bool_or(figure = 'project_spending_yuan' and derived) as project_spending_derived
    from {{ ref('rpt_rollup_sources') }}
    group by submission_id
),

fact_counts as (
    select
        submission_id,
        count(*) as fact_count,
        count(*) filter (where corrected) as corrected_facts
    from facts
    group by submission_id
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
    select
        district_code,
        year,
        count(*) as coverage_findings
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
        t.activity_yuan,
        t.aid_yuan,
        t.aid_person_times,
        t.subsidy_yuan,
        t.pass_through_yuan,
        rv.review_state,
        {{ label_of('rv.review_state', 'review_state_zh') }} as review_state_zh,
        -- what the city's totals take: an accepted district, and (unless the installation sums unreviewed figures,
        -- Settings.sum_unreviewed) only once the city approved its figures
        coalesce(
            dy.status = 'accepted'
            and ({{ sum_unreviewed() }} or rv.review_state = 'approved'),
            false
        ) as summed,
        coalesce(fc.corrected_facts, 0) as corrected_facts,
        coalesce(rv.correction_events, 0) as correction_events,
        rv.return_comment,
        coalesce(fc.fact_count, 0) as fact_count,
        coalesce(fi.fatal_findings, 0) as fatal_findings,
        coalesce(fi.warning_findings, 0) + coalesce(cv.coverage_findings, 0) as warning_findings
    from {{ ref('int_district_years') }} as dy
    left join totals as t on t.submission_id = dy.submission_id
    left join fact_counts as fc on fc.submission_id = dy.submission_id
    left join {{ ref('int_submission_review') }} as rv on rv.submission_id = dy.submission_id
    -- findings of the version that decides the status: the accepted one, else the newest
    left join {{ ref('int_submission_status') }} as st on st.district_code = dy.district_code and st.year = dy.year
    left join findings as fi on fi.submission_id = coalesce(dy.submission_id, st.latest_submission_id)
    left join coverage as cv on cv.district_code = dy.district_code and cv.year = dy.year
)

select
    r.*,
    p.status as prior_status,
    p.total_spending_yuan as prior_total_spending_yuan,
    {{ change_ratio('r.total_spending_yuan', 'p.total_spending_yuan') }} as total_spending_yoy_ratio,
    p.aid_yuan as prior_aid_yuan,
    {{ change_ratio('r.aid_yuan', 'p.aid_yuan') }} as aid_yoy_ratio
from rows as r
left join rows as p on p.district_code = r.district_code and p.year = r.year - 1
