{#-
    Every field whose non-empty values differ between the collection windows
    of one student-year, with the values seen and the value that
    int_student_year_demographics chose. Empty values mean "not reported"
    and do not count as a conflict. Race is compared as the set of SPD 15
    categories selected in each window that reported race.
-#}
{%- set race_arguments = [
    'student_records.is_hispanic_latino',
    'student_records.is_american_indian_alaska_native',
    'student_records.is_asian',
    'student_records.is_black',
    'student_records.is_middle_eastern_north_african',
    'student_records.is_native_hawaiian_pacific_islander',
    'student_records.is_white',
] -%}
{%- set flag_fields = [
    'is_economically_disadvantaged',
    'is_english_learner',
    'has_idea_disability',
    'has_section_504',
    'is_military_connected',
    'is_homeless',
    'is_unaccompanied_youth',
    'is_foster_care',
    'is_single_parent',
    'is_out_of_workforce',
] -%}
{%- set latest_window_fields = ['district_id', 'school_id', 'grade_level', 'sex_code'] -%}

with

student_records as (
    select * from {{ ref('int_student_records__accepted') }}
),

collection_windows as (
    select * from {{ ref('ref_collection_windows') }}
),

demographics as (
    select * from {{ ref('int_student_year_demographics') }}
),

windows_described as (
    select
        student_records.*,
        collection_windows.window_order,
        case
            when
                coalesce(
                    {%- for argument in race_arguments %}
                        {{ argument }}{{ ',' if not loop.last }}
                    {%- endfor %}
                ) is not null
                then coalesce(
                    {{ race_spd15_selections(*race_arguments) }},
                    'none selected'
                )
        end as race_selections
    from student_records
    inner join collection_windows
        on student_records.collection_window = collection_windows.collection_window_code
),

field_values as (
    {%- for field in latest_window_fields %}
        select
            student_id,
            school_year,
            collection_window,
            window_order,
            '{{ field }}' as field_name,
            'latest window' as conflict_rule,
            {{ field }} as field_value
        from windows_described

        union all
    {% endfor %}
    select
        student_id,
        school_year,
        collection_window,
        window_order,
        'race_spd15_selections' as field_name,
        'latest window that reported race' as conflict_rule,
        race_selections as field_value
    from windows_described
    {%- for field in flag_fields %}

        union all

        select
            student_id,
            school_year,
            collection_window,
            window_order,
            '{{ field }}' as field_name,
            'true when any window reports Y' as conflict_rule,
            case {{ field }} when true then 'Y' when false then 'N' end as field_value
        from windows_described
    {%- endfor %}
),

conflicting_fields as (
    select
        student_id,
        school_year,
        field_name,
        conflict_rule,
        string_agg(
            collection_window || '=' || coalesce(field_value, '(empty)'), '; '
            order by window_order
        ) as window_values,
        count(distinct field_value) as distinct_value_count
    from field_values
    group by student_id, school_year, field_name, conflict_rule
    having count(distinct field_value) > 1
),

chosen_values as (
    {%- for field in latest_window_fields + ['race_spd15_selections'] %}
        select
            student_id,
            school_year,
            '{{ field }}' as field_name,
            {%- if field == 'race_spd15_selections' %}
                case
                    when race_collection_window is not null
                        then coalesce(race_spd15_selections, 'none selected')
                end as chosen_value
            {%- else %}
                {{ field }} as chosen_value
            {%- endif %}
        from demographics

        union all
    {% endfor %}
    {%- for field in flag_fields %}
        select
            student_id,
            school_year,
            '{{ field }}' as field_name,
            case {{ field }} when true then 'Y' when false then 'N' end as chosen_value
        from demographics
        {%- if not loop.last %}

            union all
        {% endif %}
    {%- endfor %}
),

conflicts_joined as (
    select
        {{ student_year_id('conflicting_fields.student_id', 'conflicting_fields.school_year') }}
            as student_year_id,
        conflicting_fields.student_id,
        conflicting_fields.field_name,
        conflicting_fields.window_values,
        chosen_values.chosen_value,
        conflicting_fields.conflict_rule,
        conflicting_fields.school_year,
        conflicting_fields.distinct_value_count
    from conflicting_fields
    left join chosen_values
        on
            conflicting_fields.student_id = chosen_values.student_id
            and conflicting_fields.school_year = chosen_values.school_year
            and conflicting_fields.field_name = chosen_values.field_name
)

select * from conflicts_joined
