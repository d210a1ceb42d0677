{# The shared shape of the fact marts: one row per fact, provenance included. #}
{% macro fact_mart(areas, amounts_only=false) %}
select
    submission_id,
    fact_id,
    district_code,
    district_name,
    year,
    version,
    category,
    category_area,
    item,
    measure,
    kind,
    unit,
    amount_yuan,
    person_times,
    recipients,
    value_precision,
    approx,
    derived,
    parent_fact_id,
    parent_kind,
    parent_measure,
    parent_excluded,
    is_top_level,
    holds_pass_through,
    restates_fact_id,
    scope,
    section,
    source_text,
    span_start,
    span_end,
    review_state,
    excluded_reason,
    corrected,
    added,
    corrected_by,
    read_value,
    read_category,
    read_measure,
    read_parent_fact_id,
    scan_page,
    scan_confidence
from {{ ref('int_facts_enriched') }}
where category_area in ({% for a in areas %}'{{ a }}'{% if not loop.last %}, {% endif %}{% endfor %})
{%- if amounts_only %}
  and kind = 'amount'
{%- endif %}
{% endmacro %}
