{# Fails with every row whose `column_name` differs (by more than `tolerance`) from the sum of `field` over the rows
   of `to` that share its `join_on` key and satisfy `condition`: a report figure must equal the facts it summarises. #}
{% test equals_sum_of(model, column_name, to, field, join_on='submission_id', condition='true', tolerance=0.01) %}
with expected as (
    select {{ join_on }}, sum({{ field }}) as expected_sum
    from {{ to }}
    where {{ condition }}
    group by {{ join_on }}
)
select m.{{ join_on }}, m.{{ column_name }}, e.expected_sum
from {{ model }} as m
left join expected as e on e.{{ join_on }} = m.{{ join_on }}
where m.{{ join_on }} is not null
  and abs(coalesce(m.{{ column_name }}, 0) - coalesce(e.expected_sum, 0)) > {{ tolerance }}
{% endtest %}
