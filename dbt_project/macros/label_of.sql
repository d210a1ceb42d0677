{#- A code's Chinese label from a table passed as --vars (core/labels.py: one table for Python and SQL); without the
    vars (a hand build), the code itself. -#}
{% macro label_of(column, table_var) -%}
{%- set labels = var(table_var, {}) -%}
{%- if labels -%}
case {{ column }}{% for code, label in labels.items() %} when '{{ code }}' then '{{ label }}'{% endfor %} else {{ column }} end
{%- else -%}
{{ column }}
{%- endif -%}
{%- endmacro %}
