{#
    unique_combination_of_columns: fails when two or more rows share the same
    values in every column of combination_of_columns, so the list works as a
    composite primary key. Each failing row is one duplicated key with its count.
    Resolve by removing the duplicate rows upstream or by adding the missing key
    column to the list. NULL values compare as equal here, so pair this test with
    not_null on each key column when NULLs are not allowed.
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

{%- if combination_of_columns is string or combination_of_columns | length == 0 -%}
    {{ exceptions.raise_compiler_error(
        "unique_combination_of_columns on " ~ model ~ ": combination_of_columns must be a "
        ~ "non-empty list of column names, got " ~ combination_of_columns ~ "."
    ) }}
{%- endif %}

with grouped as (

    select
        {%- for column in combination_of_columns %}
        {{ column }},
        {%- endfor %}
        count(*) as duplicate_rows
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}

)

select *
from grouped
where duplicate_rows > 1

{% endtest %}
