{#
    Emit the condition that a row passes the row-level rules (MISSING_REQUIRED,
    UNPARSEABLE_VALUE, UNKNOWN_CODE) and is the first of its exact copies.
    Near duplicates are judged only among such rows, so that a broken row
    cannot displace a valid one.

    The row needs the columns missing_required_columns, unparseable_values,
    unknown_codes and copy_number.
#}
{% macro passes_row_level_rules() -%}
    missing_required_columns is null
        and unparseable_values is null
        and unknown_codes is null
        and copy_number = 1
{%- endmacro %}
