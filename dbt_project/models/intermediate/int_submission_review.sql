-- Where each received version's figures stand: 待确认 → 已确认待审核 → 已审核 (or 已退回). A version is named in the
-- review ledger by its district, year and bytes (sha256). The confirmation in force is the last one; a correction
-- after it makes the version unconfirmed again (its confirmed figures stay what the warehouse uses), and the city's
-- word is the last review after that confirmation. The same reading as intake/review.py status_of.
with versions as (
    select
        submission_id,
        district_code,
        year,
        sha256
    from {{ ref('stg_submissions') }}
),

changes as (
    select
        district_code,
        year,
        sha256,
        seq,
        actor
    from {{ ref('stg_fact_corrections') }}
    union all
    select
        district_code,
        year,
        sha256,
        seq,
        actor
    from {{ ref('stg_added_facts') }}
),

last_change as (
    select
        district_code,
        year,
        sha256,
        max(seq) as last_change_seq
    from changes
    group by district_code, year, sha256
),

confirmed as (
    select
        district_code,
        year,
        sha256,
        seq as confirmed_seq,
        actor as confirmed_by,
        recorded_at as confirmed_at,
        row_number() over (partition by district_code, year, sha256 order by seq desc) as newest_first
    from {{ ref('stg_confirmations') }}
),

reviewed as (
    select
        r.district_code,
        r.year,
        r.sha256,
        r.decision,
        r.comment,
        r.actor as reviewed_by,
        r.recorded_at as reviewed_at,
        row_number() over (partition by r.district_code, r.year, r.sha256 order by r.seq desc) as newest_first
    from {{ ref('stg_reviews') }} as r
    join confirmed as c
        on
            c.district_code = r.district_code and c.year = r.year and c.sha256 = r.sha256
            and c.newest_first = 1 and r.seq > c.confirmed_seq
),

returned as (
    select
        district_code,
        year,
        sha256,
        comment as return_comment,
        actor as returned_by,
        recorded_at as returned_at,
        row_number() over (partition by district_code, year, sha256 order by seq desc) as newest_first
    from {{ ref('stg_reviews') }}
    where decision = 'return'
),

corrections as (
    select
        district_code,
        year,
        sha256,
        count(*) as correction_events
    from changes
    group by district_code, year, sha256
)

select
    v.submission_id,
    v.district_code,
    v.year,
    v.sha256,
    case
        when c.confirmed_seq is null or coalesce(lc.last_change_seq, 0) > c.confirmed_seq then 'unconfirmed'
        when rv.decision is null then 'confirmed'
        when rv.decision = 'approve' then 'approved'
        else 'returned'
    end as review_state,
    c.confirmed_seq,
    c.confirmed_by,
    c.confirmed_at,
    rv.reviewed_by,
    rv.reviewed_at,
    rt.return_comment,
    rt.returned_by,
    rt.returned_at,
    coalesce(co.correction_events, 0) as correction_events
from versions as v
left join last_change as lc on lc.district_code = v.district_code and lc.year = v.year and lc.sha256 = v.sha256
left join confirmed as c
    on c.district_code = v.district_code and c.year = v.year and c.sha256 = v.sha256 and c.newest_first = 1
left join reviewed as rv
    on rv.district_code = v.district_code and rv.year = v.year and rv.sha256 = v.sha256 and rv.newest_first = 1
left join returned as rt
    on rt.district_code = v.district_code and rt.year = v.year and rt.sha256 = v.sha256 and rt.newest_first = 1
left join corrections as co on co.district_code = v.district_code and co.year = v.year and co.sha256 = v.sha256
