with

schools as (
    select * from {{ ref('stg_school_directory__schools') }}
),

districts as (
    select * from {{ ref('int_district_directory__accepted') }}
),

nces_locales as (
    select * from {{ ref('ref_nces_locales') }}
),

quarantine_reasons as (
    select * from {{ ref('ref_quarantine_reasons') }}
),

looked_up as (
    select
        schools.*,
        nces_locales.nces_locale_code is not null as is_known_locale,
        districts.district_id is not null as is_known_district
    from schools
    left join nces_locales
        on
            schools.nces_locale_code = nces_locales.nces_locale_code
            and nces_locales.nces_locale_code != 'UNK'
    left join districts
        on schools.district_id = districts.district_id
),

unknown_codes_listed as (
    select
        *,
        nullif(concat_ws(
            '; ',
            {{ describe_unknown_code('nces_locale_code', 'is_known_locale', 'ref_nces_locales') }},
            case
                when grade_low not in {{ raw_allowed_codes('school_directory', 'grade_low') }}
                    then 'grade_low ''' || grade_low || ''' is not PK, KG or 01-12'
            end,
            case
                when grade_high not in {{ raw_allowed_codes('school_directory', 'grade_high') }}
                    then 'grade_high ''' || grade_high || ''' is not PK, KG or 01-12'
            end,
            {{ describe_unknown_code('district_id', 'is_known_district', 'district_directory') }}
        ), '') as unknown_codes
    from looked_up
),

copies_numbered as (
    {{ number_exact_copies('unknown_codes_listed', has_student_id=false) }}
),

keys_numbered as (
    select
        *,
        row_number() over (
            partition by school_id order by raw_row_number
        ) as key_occurrence
    from copies_numbered
),

failures as (
    {{ select_rule_failures('keys_numbered', 'school_directory', [
        'MISSING_REQUIRED', 'UNPARSEABLE_VALUE', 'UNKNOWN_CODE', 'EXACT_DUPLICATE',
    ]) }}

    union all

    select
        raw_row_number,
        'NEAR_DUPLICATE' as reason_code,
        'school_id ''' || school_id
        || ''' already appears on an earlier row with other values.' as reason_detail
    from keys_numbered
    where copy_number = 1 and key_occurrence > 1 and school_id is not null
),

{{ assemble_quarantined_rows(
    'school_directory',
    'keys_numbered',
    absent_columns=['collection_window', 'school_year'],
) }}

select * from quarantined
