with

source as (
    select * from {{ raw_collection('course_enrollments') }}
),

trimmed as (
    select
        raw_row_number,
        {{ trimmed_raw_columns('course_enrollments') }}
        {{ raw_record_json('course_enrollments') }} as raw_record
    from source
),

checked as (
    select
        *,
        {{ missing_required_columns('course_enrollments') }} as missing_required_columns,
        {{ unparseable_values([
            ['school_year', 'integer'],
            ['credits_earned', 'decimal'],
        ]) }} as unparseable_values
    from trimmed
),

renamed as (
    select
        raw_row_number,
        {{ pseudonymize('state_student_id') }} as student_id,
        school_id,
        section_id,
        upper(term) as term_code,
        upper(completion_status) as completion_status,
        {{ parse_raw_value('school_year', 'integer') }} as school_year,
        {{ parse_raw_value('credits_earned', 'decimal') }} as credits_earned,
        coalesce(upper(completion_status) = 'COMPLETED', false) as is_completed,
        missing_required_columns,
        unparseable_values,
        raw_record
    from checked
)

select * from renamed
