-- Every data-quality finding: the per-submission rule catalogue, plus coverage (who has not reported) computed here.
-- Types and the finding id use dbt's cross-database macros: the same model builds on DuckDB and PostgreSQL.
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
    -- findings belong to a version: only those of the version that decides the district-year (the accepted one,
    -- else the newest); a fixed version's findings are not the district's any more
    join {{ ref('int_submission_status') }} as st
        on
            st.district_code = s.district_code and st.year = s.year
            and f.submission_id = coalesce(st.accepted_submission_id, st.latest_submission_id)
),

coverage as (
    select
        cast(null as {{ dbt.type_string() }}) as submission_id,
        district_code,
        year,
        'COV001' as rule_id,
        'warning' as severity,
        union_name || '未报送' || cast(year as {{ dbt.type_string() }}) || '年度报告' as message,
        cast(null as {{ dbt.type_string() }}) as fact_id,
        cast(null as {{ dbt.type_float() }}) as expected,
        cast(null as {{ dbt.type_float() }}) as provided,
        cast(null as {{ dbt.type_float() }}) as difference,
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
    {{ dbt.hash(dbt.concat([
        "coalesce(submission_id, '')", "'|'", "district_code", "'|'", "cast(year as " ~ dbt.type_string() ~ ")",
        "'|'", "rule_id", "'|'", "coalesce(fact_id, '')", "'|'", "message"
    ])) }} as finding_id,
    *
from unioned
