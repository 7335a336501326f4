{#
    Emit a case expression for a quarantine model's unknown_codes list: the
    text "<label> '<value>' is not in <reference>" when the column has a
    value that its reference lookup did not find, and NULL otherwise.

    column: the reported code column. is_known: the boolean column set by
    the model's left join to the reference. reference: what the value was
    looked up in, as shown in the message. label: the name of the raw
    column when it differs from column.
#}
{% macro describe_unknown_code(column, is_known, reference, label=none) -%}
    case
        when {{ column }} is not null and not {{ is_known }}
            then '{{ label or column }} ''' || {{ column }} || ''' is not in {{ reference }}'
    end
{%- endmacro %}
