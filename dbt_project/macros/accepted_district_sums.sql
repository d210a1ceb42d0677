{#- The headline figures summed over the districts rpt_city_rollup marks `summed` (accepted, and approved by the city
    unless unreviewed figures are summed: a district awaiting correction or missing adds nothing), as every roll-up
    of rpt_city_rollup states them: the city per year, a province's cities. -#}
{% macro accepted_district_sums() %}
    count(*) as districts_expected,
    count(*) filter (where status = 'accepted') as districts_accepted,
    count(*) filter (where status = 'rejected') as districts_rejected,
    count(*) filter (where status = 'missing') as districts_missing,
    count(*) filter (where review_state = 'approved') as districts_approved,
    count(*) filter (where summed) as districts_summed,
    {%- for figure in rollup_figures() %}
    {{ rollup_figure(figure, "sum(case when summed then " ~ figure ~ " end)") }} as {{ figure }}{{ "," if not loop.last }}
    {%- endfor %}
{% endmacro %}

{#- Settings.sum_unreviewed, passed as --vars: whether the city's totals take figures the city has not approved. -#}
{% macro sum_unreviewed() -%}
{{ 'true' if var('sum_unreviewed', true) else 'false' }}
{%- endmacro %}
