{# Like dbt_utils.unique_combination_of_columns, written here because the dbt hub is not reachable offline. #}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as n
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
