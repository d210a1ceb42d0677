-- Reading accuracy in use: what districts corrected of the reader's facts, per 100 headline figures of the versions
-- they checked (confirmed, whatever the city said since). The live measure of the reader on real submissions, by
-- what was corrected (value, category, measure, parent, not summed, added) and the area the reader put the fact in.
with checked as (
    select
        submission_id,
        year
    from {{ ref('int_submission_review') }}
    where confirmed_seq is not null
),

versions as (
    select
        c.year,
        count(distinct c.submission_id) as checked_versions,
        count(distinct s.submission_id || ':' || s.figure) as headline_figures
    from checked as c
    join {{ ref('int_district_years') }} as dy on dy.submission_id = c.submission_id
    left join {{ ref('rpt_rollup_sources') }} as s on s.submission_id = c.submission_id
    group by c.year
),

-- the versions the rollup uses: a correction of a version since replaced no longer says anything of this year
facts as (
    select
        f.*,
        c.year
    from {{ ref('int_facts_corrected') }} as f
    join checked as c on c.submission_id = f.submission_id
    join {{ ref('int_district_years') }} as dy on dy.submission_id = f.submission_id
    where f.corrected
),

corrections as (
    select
        year,
        'value' as correction,
        read_category
    from facts
    where value_corrected
    union all
    select
        year,
        'category' as correction,
        read_category
    from facts
    where category_corrected
    union all
    select
        year,
        'measure' as correction,
        read_category
    from facts
    where measure_corrected
    union all
    select
        year,
        'parent' as correction,
        read_category
    from facts
    where parent_corrected
    union all
    select
        year,
        'not_summed' as correction,
        read_category
    from facts
    where excluded_reason is not null
    union all
    select
        year,
        'added' as correction,
        category as read_category
    from facts
    where added
)

select
    c.year,
    c.correction,
    split_part(c.read_category, '.', 1) as category_area,
    count(*) as corrections,
    max(v.checked_versions) as checked_versions,
    max(v.headline_figures) as headline_figures,
    cast(100.0 * count(*) / nullif(max(v.headline_figures), 0) as float8) as per_100_headline_figures
from corrections as c
join versions as v on v.year = c.year
group by c.year, c.correction, split_part(c.read_category, '.', 1)
