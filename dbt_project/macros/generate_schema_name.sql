{# Use the layer's schema name verbatim (staging, intermediate, marts, reports): analysts query marts.fct_spending,
   not main_marts.fct_spending. #}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
