{#
    contains_all_values: fails once for every value in `values` that no row of
    the column contains, so a code set cannot lose a member (for example its
    Unknown member, or one state code of a crosswalk). It is the converse of
    accepted_values, which checks that every row contains a listed value.
    Values are compared as text. Limit the rows searched with the standard
    `where` config.
#}
{% test contains_all_values(model, column_name, values) %}

{%- if values is string or values | length == 0 -%}
    {{ exceptions.raise_compiler_error(
        "contains_all_values on " ~ model ~ "." ~ column_name
        ~ ": values must be a non-empty list, got " ~ values ~ "."
    ) }}
{%- endif %}

with expected_values as (

    {% for value in values -%}
    select '{{ value | replace("'", "''") }}' as expected_value
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

),

present_values as (

    select distinct cast({{ column_name }} as varchar) as present_value
    from {{ model }}

),

missing_values as (

    select expected_values.expected_value
    from expected_values
    left join present_values
        on expected_values.expected_value = present_values.present_value
    where present_values.present_value is null

)

select * from missing_values

{% endtest %}
