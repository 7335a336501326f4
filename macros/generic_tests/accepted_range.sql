{#
    accepted_range: fails on every row whose column value lies outside
    [min_value, max_value] (or the open interval when inclusive is false).
    Either bound may be omitted. NULL values pass, so pair with not_null when
    the column is required. Resolve by fixing the value upstream or, when the
    range itself is wrong, the bounds in the YAML.
#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}

{%- if min_value is none and max_value is none -%}
    {{ exceptions.raise_compiler_error(
        "accepted_range on " ~ model ~ "." ~ column_name
        ~ ": set min_value, max_value or both."
    ) }}
{%- endif -%}

{%- set lower_operator = '>=' if inclusive else '>' -%}
{%- set upper_operator = '<=' if inclusive else '<' %}

select *
from {{ model }}
where
    {{ column_name }} is not null
    and not (
        true
        {%- if min_value is not none %}
        and {{ column_name }} {{ lower_operator }} {{ min_value }}
        {%- endif %}
        {%- if max_value is not none %}
        and {{ column_name }} {{ upper_operator }} {{ max_value }}
        {%- endif %}
    )

{% endtest %}
