{#
    not_empty: fails when the model (after any `where` config) has no rows.
    An empty seed, mart or extract usually means an upstream filter or join
    dropped everything, so check the inputs of the model first.
#}
{% test not_empty(model) %}

with counted as (

    select count(*) as row_count
    from {{ model }}

)

select *
from counted
where row_count = 0

{% endtest %}
