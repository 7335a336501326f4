with

student_years as (

    select * from {{ ref('fct_student_years') }}

),

-- One select per dimension: every student-year gets exactly one subgroup in
-- each, and a missing value becomes the dimension's unknown member.
unpivoted as (

    select
        student_year_id,
        student_id,
        school_year,
        'all_students' as dimension_code,
        'all' as subgroup_code
    from student_years
    {% for dimension in subgroup_dimension_columns() %}

        union all

        select
            student_year_id,
            student_id,
            school_year,
            '{{ dimension.dimension_code }}' as dimension_code,
            {% if dimension.kind == 'flag' %}
                case
                    when {{ dimension.column }} then 'Y'
                    when not {{ dimension.column }} then 'N'
                    else 'UNK'
                end as subgroup_code
            {% else %}
                coalesce({{ dimension.column }}, '{{ dimension.unknown_code }}') as subgroup_code
            {% endif %}
        from student_years
    {% endfor %}

),

identified as (

    select
        student_year_id,
        dimension_code || ':' || subgroup_code as subgroup_id,
        student_id,
        school_year,
        dimension_code,
        subgroup_code
    from unpivoted

)

select * from identified
