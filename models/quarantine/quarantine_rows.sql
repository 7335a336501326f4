{%- set collections = [
    'student_records',
    'master_schedule',
    'course_enrollments',
    'wbl_experiences',
    'cte_program_status',
    'district_directory',
    'school_directory',
] -%}

with

{% for collection in collections -%}
    quarantine_{{ collection }} as (
        select * from {{ ref('quarantine_' ~ collection) }}
    ),

{% endfor -%}

unioned as (
    {%- for collection in collections %}
        select
            source_collection,
            collection_window,
            school_year,
            raw_row_number,
            reason_code,
            reason_detail,
            failing_rule_count,
            failing_reason_codes,
            district_id,
            school_id,
            raw_record
        from quarantine_{{ collection }}
        {%- if not loop.last %}

            union all
        {%- endif %}
    {%- endfor %}
)

select * from unioned
