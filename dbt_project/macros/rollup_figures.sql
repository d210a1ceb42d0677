{#- The figures of rpt_city_rollup that are sums of facts (rpt_rollup_sources.figure), in the report's column order:
    the rollup sums its sources into them and every roll-up above it sums them again. -#}
{% macro rollup_figures() %}
    {{ return(['total_spending_yuan', 'basic_spending_yuan', 'project_spending_yuan', 'activity_yuan', 'aid_yuan',
               'aid_person_times', 'subsidy_yuan', 'pass_through_yuan']) }}
{% endmacro %}
