{#
    Build the student-year key: an MD5 hash of the pseudonymous student_id and
    the school year. Every model that keys on student-years uses this macro,
    so the keys join across models.
#}
{% macro student_year_id(student_id, school_year) %}
    md5({{ student_id }} || '|' || cast({{ school_year }} as varchar))
{%- endmacro %}
