{#-
    Conflict rules across the collection windows of one school year:
      - district, school, grade and sex: the latest window's value
        (window_order of ref_collection_windows);
      - race and ethnicity: the seven flags of the latest window that
        reported any of them; a flag left empty in that window counts as
        not selected. No window with race -> every flag NULL and both
        rollups UNK;
      - special-population flags: true when any window reports Y, false
        when windows report only N, NULL when no window reports the flag;
      - exit code: the EOY window's value.
    int_student_demographic_conflicts lists every value these rules set aside.
-#}
{%- set race_flags = [
    'is_hispanic_latino',
    'is_american_indian_alaska_native',
    'is_asian',
    'is_black',
    'is_middle_eastern_north_african',
    'is_native_hawaiian_pacific_islander',
    'is_white',
] -%}
{%- set special_population_flags = [
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

with

student_records as (
    select * from {{ ref('int_student_records__accepted') }}
),

collection_windows as (
    select * from {{ ref('ref_collection_windows') }}
),

windows_ordered as (
    select
        student_records.*,
        collection_windows.window_order,
        (
            {%- for flag in race_flags %}
                student_records.{{ flag }} is not null
                {{- ' or' if not loop.last }}
            {%- endfor %}
        ) as has_race_reported
    from student_records
    inner join collection_windows
        on student_records.collection_window = collection_windows.collection_window_code
),

windows_ranked as (
    select
        *,
        row_number() over (
            partition by student_id, school_year
            order by window_order desc, submitted_date desc, raw_row_number desc
        ) as recency_rank,
        row_number() over (
            partition by student_id, school_year
            order by has_race_reported desc, window_order desc, raw_row_number desc
        ) as race_recency_rank
    from windows_ordered
),

latest_windows as (
    select
        student_id,
        school_year,
        collection_window as latest_collection_window,
        district_id,
        school_id,
        grade_level,
        sex_code
    from windows_ranked
    where recency_rank = 1
),

race_windows as (
    select
        student_id,
        school_year,
        {%- for flag in race_flags %}
            coalesce({{ flag }}, false) as {{ flag }},
        {%- endfor %}
        collection_window as race_collection_window
    from windows_ranked
    where race_recency_rank = 1 and has_race_reported
),

year_summaries as (
    select
        student_id,
        school_year,
        {%- for flag in special_population_flags %}
            bool_or({{ flag }}) as {{ flag }},
        {%- endfor %}
        max(exit_code) filter (where collection_window = 'EOY') as exit_code,
        bool_or(collection_window = 'EOY') as has_end_of_year_window,
        count(*) as windows_reported
    from windows_ranked
    group by student_id, school_year
),

combined as (
    select
        {{ student_year_id('latest_windows.student_id', 'latest_windows.school_year') }}
            as student_year_id,
        latest_windows.student_id,
        latest_windows.district_id,
        latest_windows.school_id,
        latest_windows.latest_collection_window,
        race_windows.race_collection_window,
        latest_windows.grade_level,
        latest_windows.sex_code,
        {{ race_ed2007_code(
            'race_windows.is_hispanic_latino',
            'race_windows.is_american_indian_alaska_native',
            'race_windows.is_asian',
            'race_windows.is_black',
            'race_windows.is_middle_eastern_north_african',
            'race_windows.is_native_hawaiian_pacific_islander',
            'race_windows.is_white',
        ) }} as race_ed2007_code,
        {{ race_spd15_code(
            'race_windows.is_hispanic_latino',
            'race_windows.is_american_indian_alaska_native',
            'race_windows.is_asian',
            'race_windows.is_black',
            'race_windows.is_middle_eastern_north_african',
            'race_windows.is_native_hawaiian_pacific_islander',
            'race_windows.is_white',
        ) }} as race_spd15_code,
        {{ race_spd15_selections(
            'race_windows.is_hispanic_latino',
            'race_windows.is_american_indian_alaska_native',
            'race_windows.is_asian',
            'race_windows.is_black',
            'race_windows.is_middle_eastern_north_african',
            'race_windows.is_native_hawaiian_pacific_islander',
            'race_windows.is_white',
        ) }} as race_spd15_selections,
        year_summaries.exit_code,
        latest_windows.school_year,
        year_summaries.windows_reported,
        {%- for flag in race_flags %}
            race_windows.{{ flag }},
        {%- endfor %}
        {%- for flag in special_population_flags %}
            year_summaries.{{ flag }},
        {%- endfor %}
        case
            when year_summaries.has_idea_disability or year_summaries.has_section_504 then true
            when
                year_summaries.has_idea_disability is null
                and year_summaries.has_section_504 is null
                then null
            else false
        end as has_disability,
        year_summaries.has_end_of_year_window
    from latest_windows
    inner join year_summaries
        on
            latest_windows.student_id = year_summaries.student_id
            and latest_windows.school_year = year_summaries.school_year
    left join race_windows
        on
            latest_windows.student_id = race_windows.student_id
            and latest_windows.school_year = race_windows.school_year
)

select * from combined
