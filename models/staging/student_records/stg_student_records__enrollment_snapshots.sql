with

source as (
    select * from {{ raw_collection('student_records') }}
),

trimmed as (
    select
        raw_row_number,
        {{ trimmed_raw_columns('student_records') }}
        {{ raw_record_json('student_records') }} as raw_record
    from source
),

checked as (
    select
        *,
        {{ missing_required_columns('student_records') }} as missing_required_columns,
        {{ unparseable_values([
            ['school_year', 'integer'],
            ['hispanic_latino_flag', 'flag'],
            ['race_american_indian_alaska_native_flag', 'flag'],
            ['race_asian_flag', 'flag'],
            ['race_black_african_american_flag', 'flag'],
            ['race_middle_eastern_north_african_flag', 'flag'],
            ['race_native_hawaiian_pacific_islander_flag', 'flag'],
            ['race_white_flag', 'flag'],
            ['english_learner_flag', 'flag'],
            ['idea_disability_flag', 'flag'],
            ['section_504_flag', 'flag'],
            ['economically_disadvantaged_flag', 'flag'],
            ['military_connected_flag', 'flag'],
            ['homeless_flag', 'flag'],
            ['unaccompanied_youth_flag', 'flag'],
            ['foster_care_flag', 'flag'],
            ['single_parent_pregnant_flag', 'flag'],
            ['out_of_workforce_flag', 'flag'],
            ['submitted_date', 'date'],
        ]) }} as unparseable_values
    from trimmed
),

renamed as (
    select
        raw_row_number,
        {{ pseudonymize('state_student_id') }} as student_id,
        district_id,
        school_id,
        upper(collection_window) as collection_window,
        grade_level,
        upper(sex) as sex_code,
        upper(exit_code) as exit_code,
        {{ parse_raw_value('school_year', 'integer') }} as school_year,
        {{ parse_raw_value('hispanic_latino_flag', 'flag') }} as is_hispanic_latino,
        {{ parse_raw_value('race_american_indian_alaska_native_flag', 'flag') }}
            as is_american_indian_alaska_native,
        {{ parse_raw_value('race_asian_flag', 'flag') }} as is_asian,
        {{ parse_raw_value('race_black_african_american_flag', 'flag') }} as is_black,
        {{ parse_raw_value('race_middle_eastern_north_african_flag', 'flag') }}
            as is_middle_eastern_north_african,
        {{ parse_raw_value('race_native_hawaiian_pacific_islander_flag', 'flag') }}
            as is_native_hawaiian_pacific_islander,
        {{ parse_raw_value('race_white_flag', 'flag') }} as is_white,
        {{ parse_raw_value('english_learner_flag', 'flag') }} as is_english_learner,
        {{ parse_raw_value('idea_disability_flag', 'flag') }} as has_idea_disability,
        {{ parse_raw_value('section_504_flag', 'flag') }} as has_section_504,
        {{ parse_raw_value('economically_disadvantaged_flag', 'flag') }}
            as is_economically_disadvantaged,
        {{ parse_raw_value('military_connected_flag', 'flag') }} as is_military_connected,
        {{ parse_raw_value('homeless_flag', 'flag') }} as is_homeless,
        {{ parse_raw_value('unaccompanied_youth_flag', 'flag') }} as is_unaccompanied_youth,
        {{ parse_raw_value('foster_care_flag', 'flag') }} as is_foster_care,
        {{ parse_raw_value('single_parent_pregnant_flag', 'flag') }} as is_single_parent,
        {{ parse_raw_value('out_of_workforce_flag', 'flag') }} as is_out_of_workforce,
        {{ parse_raw_value('submitted_date', 'date') }} as submitted_date,
        missing_required_columns,
        unparseable_values,
        raw_record
    from checked
)

select * from renamed
