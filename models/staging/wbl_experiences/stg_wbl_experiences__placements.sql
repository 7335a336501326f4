with

source as (
    select * from {{ raw_collection('wbl_experiences') }}
),

trimmed as (
    select
        raw_row_number,
        {{ trimmed_raw_columns('wbl_experiences') }}
        {{ raw_record_json('wbl_experiences') }} as raw_record
    from source
),

checked as (
    select
        *,
        {{ missing_required_columns('wbl_experiences') }} as missing_required_columns,
        {{ unparseable_values([
            ['school_year', 'integer'],
            ['paid_flag', 'flag'],
            ['hours', 'decimal'],
            ['start_date', 'date'],
            ['end_date', 'date'],
            ['credential_earned_flag', 'flag'],
        ]) }} as unparseable_values
    from trimmed
),

renamed as (
    select
        raw_row_number,
        experience_id,
        {{ pseudonymize('state_student_id') }} as student_id,
        upper(collection_window) as collection_window,
        district_id,
        school_id,
        upper(wbl_type_code) as state_wbl_type_code,
        upper(reporting_program) as reporting_program,
        section_id,
        employer_name,
        career_cluster_code,
        upper(completion_status) as completion_status,
        upper(employer_evaluation_code) as employer_evaluation_code,
        {{ parse_raw_value('school_year', 'integer') }} as school_year,
        {{ parse_raw_value('hours', 'decimal') }} as hours,
        {{ parse_raw_value('paid_flag', 'flag') }} as is_paid,
        {{ parse_raw_value('credential_earned_flag', 'flag') }} as has_credential,
        {{ parse_raw_value('start_date', 'date') }} as start_date,
        {{ parse_raw_value('end_date', 'date') }} as end_date,
        missing_required_columns,
        unparseable_values,
        raw_record
    from checked
)

select * from renamed
