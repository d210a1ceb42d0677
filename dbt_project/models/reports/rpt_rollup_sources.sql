-- What each figure of rpt_city_rollup is made of: one row per accepted fact and rollup figure it adds to. The rollup
-- sums this table, so a figure and its sources cannot disagree; the report shows them as the cell's formula
-- (259,900 = f14 126,700 + f19 133,200) and links the cell to those facts.
-- A fact its district said is not to be summed (累计, 其他单位), one that restates another (a headline repeating the
-- body) and one of all unions of the area together (全市各级工会) are no candidates for any figure.
with facts as (
    select * from {{ ref('int_facts_enriched') }}
    where excluded_reason is null and restates_fact_id is null and scope is null
),

-- a headline figure is one fact: the stated one (the largest if stated twice), else the one derived from the other two
headline as (
    select
        *,
        row_number() over (
            partition by submission_id, category order by derived asc, amount_yuan desc, fact_id asc
        ) as preference
    from facts
    where
        kind = 'amount' and measure = 'actual'
        and category in ('spending.total', 'spending.basic', 'spending.project')
),

-- the people hardship aid reached (intake.headline, same rule): counts given for the aid itself or for an amount of
-- it (a standard's too), not breakdowns of counts, not of a cumulative or budget, nor of an amount the district said
-- is not to be summed (a cumulative's 人次 are cumulative too); its 人次 where the text gives them, else its 名/人/户
people as (
    select *
    from facts
    where
        category_area = 'aid' and kind = 'count' and unit in ('人次', '户次', '名', '人', '户', '位')
        and coalesce(measure, '') not in ('prior', 'budget', 'rate', 'change')
        and coalesce(person_times, recipients) > 1
        and (parent_kind is null or parent_kind = 'amount') and not parent_excluded
        and coalesce(parent_measure, '') not in ('prior', 'budget', 'change')  -- a standard's people were paid it
),

-- where the text ties people to money it paid (向500名一线职工发放慰问金20万元), the people it names without an amount
-- (慰问44名劳模工匠) are not those the summed money reached
tied as (
    select distinct submission_id
    from people
    where parent_kind = 'amount' and parent_measure = 'actual'
),

people_reached as (
    select
        p.*,
        -- a title or lead restating the body's count is one count
        row_number() over (
            partition by p.submission_id, p.category, coalesce(p.person_times, p.recipients)
            order by p.fact_id like 'k%', length(p.fact_id), p.fact_id  -- read facts first, in order
        ) as restated
    from people as p
    where
        (p.parent_kind is not null or p.submission_id not in (select t.submission_id from tied as t))
        and (
            p.unit in ('人次', '户次')
            or not exists (
                select 1 from people as t
                where
                    t.submission_id = p.submission_id and t.unit in ('人次', '户次')
                    and t.parent_fact_id is not distinct from p.parent_fact_id
            )
        )
),

contributions as (
    select
        submission_id,
        fact_id,
        district_code,
        year,
        derived,
        corrected,
        amount_yuan as value,
        case category
            when 'spending.total' then 'total_spending_yuan'
            when 'spending.basic' then 'basic_spending_yuan'
            else 'project_spending_yuan'
        end as figure
    from headline
    where preference = 1

    union all

    -- areas: the top-level actual amounts, never a derived one (its parts are already there)
    select
        submission_id,
        fact_id,
        district_code,
        year,
        derived,
        corrected,
        amount_yuan as value,
        case
            when category = 'subsidy.pass_through' then 'pass_through_yuan'
            when category_area = 'activity' then 'activity_yuan'
            when category_area = 'aid' then 'aid_yuan'
            else 'subsidy_yuan'
        end as figure
    from facts
    where
        kind = 'amount' and measure = 'actual' and not derived and is_top_level and not holds_pass_through
        and category_area in ('activity', 'aid', 'subsidy')

    union all

    select
        submission_id,
        fact_id,
        district_code,
        year,
        derived,
        corrected,
        {{ money('coalesce(person_times, recipients)') }} as value,
        'aid_person_times' as figure
    from people_reached
    where restated = 1
)

select
    year,
    district_code,
    submission_id,
    figure,
    fact_id,
    value,
    derived,
    corrected
from contributions
