-- One row per district-year that has any submission: its latest version and the version the marts use.
-- A newer version that failed a fatal rule does not knock out the last accepted one.
with ranked as (
    select
        *,
        row_number() over (partition by district_code, year order by version desc) as newest_first,
        row_number() over (
            partition by district_code, year
            order by case when status = 'accepted' then 0 else 1 end, version desc
        ) as accepted_first
    from {{ ref('stg_submissions') }}
)

select
    latest.district_code,
    latest.year,
    latest.version as latest_version,
    latest.status as latest_status,
    latest.submission_id as latest_submission_id,
    case when chosen.status = 'accepted' then chosen.submission_id end as accepted_submission_id,
    case when chosen.status = 'accepted' then chosen.version end as accepted_version
from ranked as latest
join ranked as chosen
    on
        chosen.district_code = latest.district_code
        and chosen.year = latest.year
        and chosen.accepted_first = 1
where latest.newest_first = 1
