-- Facts of the accepted version of each district-year as its district confirmed them (int_facts_corrected), with
-- district attributes, the version's review state and the measure columns.
with accepted as (
    select s.*
    from {{ ref('stg_submissions') }} as s
    join {{ ref('int_submission_status') }} as st on st.accepted_submission_id = s.submission_id
),

facts as (
    select f.*
    from {{ ref('int_facts_corrected') }} as f
    join accepted using (submission_id)
),

-- a total holding money passed on from above (170.5万元，其中争取上级162.5万元，县级配套10万元): only its own parts
-- are this union's, so they stand on their own and the total is not summed
holding_pass_through as (
    select
        t.submission_id,
        t.fact_id
    from facts as t
    join facts as c on c.submission_id = t.submission_id and c.parent_fact_id = t.fact_id
    where t.category <> 'subsidy.pass_through' and c.kind = 'amount' and c.excluded_reason is null
    group by t.submission_id, t.fact_id
    -- a part passed on and a part of its own: otherwise the total is all there is of the union's money
    having bool_or(c.category = 'subsidy.pass_through') and bool_or(c.category <> 'subsidy.pass_through')
)

select
    f.submission_id,
    f.fact_id,
    a.district_code,
    d.district_name,
    a.year,
    a.version,
    rv.review_state,
    f.category,
    f.category_area,
    f.item,
    f.measure,
    f.kind,
    f.unit,
    {{ money("case when f.kind = 'amount' then f.value end") }} as amount_yuan,
    cast(case when f.kind = 'count' and f.unit in ('人次', '户次') then f.value end as float8) as person_times,
    cast(case when f.kind = 'count' and f.unit not in ('人次', '户次') then f.value end as float8) as recipients,
    cast(case when f.kind = 'ratio' then f.value end as float8) as ratio,
    f.value_precision,
    f.approx,
    f.derived,
    f.parent_fact_id,
    p.kind as parent_kind,
    p.measure as parent_measure,
    p.excluded_reason is not null as parent_excluded,
    -- a part of a figure the district said is not to be summed, or of all levels' total (其中市总本级60万元), stands
    -- on its own
    (
        p.fact_id is null or p.category_area <> f.category_area or p.excluded_reason is not null
        or p.scope = 'all_levels' or pp.fact_id is not null
    ) as is_top_level,
    hp.fact_id is not null as holds_pass_through,
    f.restates_fact_id,
    f.scope,
    f.excluded_reason,
    f.corrected,
    f.added,
    f.corrected_by,
    f.read_value,
    f.read_category,
    f.read_measure,
    f.read_parent_fact_id,
    f.section,
    f.source_text,
    f.span_start,
    f.span_end,
    sp.scan_page,
    sp.scan_confidence
from facts as f
join accepted as a using (submission_id)
left join {{ ref('stg_tenants') }} as d on d.district_code = a.district_code
left join {{ ref('int_submission_review') }} as rv on rv.submission_id = f.submission_id
left join {{ ref('stg_scan_places') }} as sp on sp.submission_id = f.submission_id and sp.fact_id = f.fact_id
left join facts as p on p.submission_id = f.submission_id and p.fact_id = f.parent_fact_id
left join holding_pass_through as hp on hp.submission_id = f.submission_id and hp.fact_id = f.fact_id
left join holding_pass_through as pp on pp.submission_id = f.submission_id and pp.fact_id = f.parent_fact_id
