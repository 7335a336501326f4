with

source as (
    select * from {{ raw_collection('master_schedule') }}
),

trimmed as (
    select
        raw_row_number,
        {{ trimmed_raw_columns('master_schedule') }}
        {{ raw_record_json('master_schedule') }} as raw_record
    from source
),

checked as (
    select
        *,
        {{ missing_required_columns('master_schedule') }} as missing_required_columns,
        {{ unparseable_values([
            ['school_year', 'integer'],
            ['sced_code', 'sced'],
        ]) }} as unparseable_values
    from trimmed
),

renamed as (
    select
        raw_row_number,
        district_id,
        school_id,
        section_id,
        upper(term) as term_code,
        state_course_code,
        {{ parse_raw_value('sced_code', 'sced') }} as sced_code,
        cte_program_code,
        career_cluster_code,
        upper(wbl_type_code) as state_wbl_type_code,
        {{ parse_raw_value('school_year', 'integer') }} as school_year,
        cte_program_code is not null as is_cte_section,
        missing_required_columns,
        unparseable_values,
        raw_record
    from checked
)

select * from renamed
