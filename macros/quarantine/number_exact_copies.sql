{#
    Emit a select over a quarantine model's rows that adds copy_number: 1 for
    the first of a set of rows equal in every raw column, 2 and up for the
    later copies, in raw file order.

    rows: a CTE with raw_row_number and raw_record. has_student_id: true for
    collections with a state student id. raw_record leaves that id out, so
    the hashed student_id joins the comparison.
#}
{% macro number_exact_copies(rows, has_student_id) -%}
    select
        *,
        row_number() over (
            partition by {{ 'student_id, ' if has_student_id }}raw_record
            order by raw_row_number
        ) as copy_number
    from {{ rows }}
{%- endmacro %}
