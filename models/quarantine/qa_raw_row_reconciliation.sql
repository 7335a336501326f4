{#-
    Raw rows come from the staging models (one row per raw row), accepted
    rows from the accepted models and quarantined rows from the quarantine
    models, each counted on its own so that a row lost or counted twice
    between them shows up as raw_rows != accepted_rows + quarantined_rows.
-#}
{%- set collections = {
    'student_records': {
        'staging': 'stg_student_records__enrollment_snapshots',
        'window': 'collection_window',
    },
    'master_schedule': {
        'staging': 'stg_master_schedule__sections',
        'window': none,
    },
    'course_enrollments': {
        'staging': 'stg_course_enrollments__section_enrollments',
        'window': none,
    },
    'wbl_experiences': {
        'staging': 'stg_wbl_experiences__placements',
        'window': 'collection_window',
    },
    'cte_program_status': {
        'staging': 'stg_cte_program_status__program_statuses',
        'window': none,
    },
    'district_directory': {
        'staging': 'stg_district_directory__districts',
        'window': none,
    },
    'school_directory': {
        'staging': 'stg_school_directory__schools',
        'window': none,
    },
} -%}

with

{% for collection, settings in collections.items() %}
    raw_{{ collection }} as (
        select * from {{ ref(settings['staging']) }}
    ),

    accepted_{{ collection }} as (
        select * from {{ ref('int_' ~ collection ~ '__accepted') }}
    ),

{% endfor -%}

quarantined as (
    select * from {{ ref('quarantine_rows') }}
),

-- Collections without a school year or window count under NULL.
counted as (
    {%- for collection, settings in collections.items() %}
        {%- set year_column = 'null' if collection.endswith('_directory') else 'school_year' %}
        {%- set window_column = settings['window'] or 'null' %}
        select
            '{{ collection }}' as source_collection,
            cast({{ year_column }} as integer) as school_year,
            cast({{ window_column }} as varchar) as collection_window,
            1 as raw_rows,
            0 as accepted_rows,
            0 as quarantined_rows
        from raw_{{ collection }}

        union all

        select
            '{{ collection }}' as source_collection,
            cast({{ year_column }} as integer) as school_year,
            cast({{ window_column }} as varchar) as collection_window,
            0 as raw_rows,
            1 as accepted_rows,
            0 as quarantined_rows
        from accepted_{{ collection }}

        union all
    {% endfor %}
    select
        source_collection,
        school_year,
        collection_window,
        0 as raw_rows,
        0 as accepted_rows,
        1 as quarantined_rows
    from quarantined
),

reconciled as (
    select
        source_collection,
        collection_window,
        school_year,
        cast(sum(raw_rows) as integer) as raw_rows,
        cast(sum(accepted_rows) as integer) as accepted_rows,
        cast(sum(quarantined_rows) as integer) as quarantined_rows
    from counted
    group by source_collection, collection_window, school_year
)

select * from reconciled
