{# Fails with every row where `column_name` differs from `expression` by more than `tolerance`. #}
{% test sums_within_tolerance(model, column_name, expression, tolerance=0.01) %}
select *
from {{ model }}
where abs(coalesce({{ column_name }}, 0) - coalesce({{ expression }}, 0)) > {{ tolerance }}
{% endtest %}
