{#- The headline figures summed over accepted districts only (a district awaiting correction or missing adds nothing),
    as every roll-up of rpt_city_rollup states them: the city per year, a province's cities. -#}
{% macro accepted_district_sums() %}
    count(*) as districts_expected,
    count(*) filter (where status = 'accepted') as districts_accepted,
    count(*) filter (where status = 'rejected') as districts_rejected,
    count(*) filter (where status = 'missing') as districts_missing,
    {%- for figure in rollup_figures() %}
    {{ rollup_figure(figure, "sum(case when status = 'accepted' then " ~ figure ~ " end)") }} as {{ figure }}{{ "," if not loop.last }}
    {%- endfor %}
{% endmacro %}
