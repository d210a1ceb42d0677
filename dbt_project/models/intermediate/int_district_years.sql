-- Every active tenant for every year the warehouse has filed submissions for: who reported, who must correct, who is
-- missing. A quarantined file was filed under no district, so its (claimed) year makes no report year: a report
-- for 2025 dropped into landing/2025 by mistake must not conjure a 2025 with every district 未报送.
with years as (
    select distinct year from {{ ref('stg_submissions') }}
    where status in ('accepted', 'rejected', 'superseded')
),

expected as (
    select
        t.district_code,
        t.district_name,
        t.union_name,
        y.year
    from {{ ref('stg_tenants') }} as t
    cross join years as y
    where t.active
)

select
    e.year,
    e.district_code,
    e.district_name,
    e.union_name,
    st.latest_status,
    st.latest_version,
    st.accepted_submission_id as submission_id,
    st.accepted_version as version,
    case
        when st.accepted_submission_id is not null then 'accepted'
        when st.latest_status is not null then 'rejected'
        else 'missing'
    end as status
from expected as e
left join {{ ref('int_submission_status') }} as st
    on st.district_code = e.district_code and st.year = e.year
