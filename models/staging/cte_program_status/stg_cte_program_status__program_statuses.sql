with

source as (
    select * from {{ raw_collection('cte_program_status') }}
),

trimmed as (
    select
        raw_row_number,
        {{ trimmed_raw_columns('cte_program_status') }}
        {{ raw_record_json('cte_program_status') }} as raw_record
    from source
),

checked as (
    select
        *,
        {{ missing_required_columns('cte_program_status') }} as missing_required_columns,
        {{ unparseable_values([
            ['school_year', 'integer'],
            ['participant_flag', 'flag'],
            ['concentrator_flag', 'flag'],
        ]) }} as unparseable_values
    from trimmed
),

renamed as (
    select
        raw_row_number,
        {{ pseudonymize('state_student_id') }} as student_id,
        district_id,
        school_id,
        cte_program_code,
        {{ parse_raw_value('school_year', 'integer') }} as school_year,
        {{ parse_raw_value('participant_flag', 'flag') }} as is_participant,
        {{ parse_raw_value('concentrator_flag', 'flag') }} as is_concentrator,
        missing_required_columns,
        unparseable_values,
        raw_record
    from checked
)

select * from renamed
