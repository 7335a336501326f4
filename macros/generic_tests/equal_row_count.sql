{#
    equal_row_count: fails when the model and compare_model have different row
    counts, e.g. a mart that must keep one row per row of its input. The failing
    row shows both counts. A `where` config filters the model only.
#}
{% test equal_row_count(model, compare_model) %}

with model_rows as (

    select count(*) as row_count
    from {{ model }}

),

compare_model_rows as (

    select count(*) as row_count
    from {{ compare_model }}

),

compared as (

    select
        model_rows.row_count as model_row_count,
        compare_model_rows.row_count as compare_model_row_count
    from model_rows
    cross join compare_model_rows

)

select *
from compared
where model_row_count != compare_model_row_count

{% endtest %}
