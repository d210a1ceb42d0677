-- Every data-quality finding: the per-submission rule catalogue, plus coverage (who has not reported) computed here.
with submission_findings as (
    select
        f.submission_id,
        s.district_code,
        s.year,
        f.rule_id,
        f.severity,
        f.message,
        f.fact_id,
        f.expected,
        f.provided,
        f.difference,
        'submission' as scope
    from {{ ref('stg_submission_findings') }} as f
    join {{ ref('stg_submissions') }} as s using (submission_id)
),

coverage as (
    select
        cast(null as varchar) as submission_id,
        district_code,
        year,
        'COV001' as rule_id,
        'warning' as severity,
        union_name || '未报送' || cast(year as varchar) || '年度报告' as message,
        cast(null as varchar) as fact_id,
        cast(null as double) as expected,
        cast(null as double) as provided,
        cast(null as double) as difference,
        'city' as scope
    from {{ ref('int_district_years') }}
    where status = 'missing'
),

unioned as (
    select * from submission_findings
    union all
    select * from coverage
)

select
    md5(concat_ws('|', coalesce(submission_id, ''), district_code, cast(year as varchar), rule_id,
                  coalesce(fact_id, ''), message)) as finding_id,
    *
from unioned
