{#- Money in the marts and reports is an exact decimal to the fen: finance warehouses do not sum doubles. Counts and
    ratios stay float8. The same types on DuckDB and PostgreSQL. -#}
{% macro money(expression) %}cast({{ expression }} as decimal(18, 2)){% endmacro %}

{#- A rollup figure as its kind is stored: money for the *_yuan figures, float8 for the counts (aid_person_times). -#}
{% macro rollup_figure(figure, expression) -%}
    {%- if figure.endswith('_yuan') %}{{ money(expression) }}{% else %}cast({{ expression }} as float8){% endif -%}
{%- endmacro %}

{#- Year-on-year change as a ratio (0.05 = +5%): computed on the decimals, given as float8. -#}
{% macro change_ratio(current, prior) %}cast({{ current }} / nullif({{ prior }}, 0) - 1 as float8){% endmacro %}
