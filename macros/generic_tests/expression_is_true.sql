{#
    expression_is_true: fails on every row where the SQL boolean expression is
    false or NULL. With column_name set (the test sits under a column), the
    expression is appended to that column, e.g. expression: ">= 0". Limit the
    rows checked with the standard `where` config. A NULL result counts as a
    failure, so state NULL handling in the expression when NULL is allowed.
#}
{% test expression_is_true(model, expression, column_name=none) %}

{%- set checked_expression = expression if column_name is none
    else column_name ~ ' ' ~ expression -%}

select *
from {{ model }}
where not coalesce(({{ checked_expression }}), false)

{% endtest %}
