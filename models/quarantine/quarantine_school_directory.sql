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

ordered as (
    select
        *,
        row_number() over (
            partition by raw_record order by raw_row_number
        ) as copy_number,
        row_number() over (
            partition by school_id order by raw_row_number
        ) as key_occurrence
    from schools
),

looked_up as (
    select
        ordered.*,
        nces_locales.nces_locale_code is not null as is_known_locale,
        districts.district_id is not null as is_known_district
    from ordered
    left join nces_locales
        on
            ordered.nces_locale_code = nces_locales.nces_locale_code
            and nces_locales.nces_locale_code != 'UNK'
    left join districts
        on ordered.district_id = districts.district_id
),

failures as (
    select
        raw_row_number,
        'MISSING_REQUIRED' as reason_code,
        'Required column(s) empty: ' || missing_required_columns as reason_detail
    from looked_up
    where missing_required_columns is not null

    union all

    select
        raw_row_number,
        'UNPARSEABLE_VALUE' as reason_code,
        unparseable_values as reason_detail
    from looked_up
    where unparseable_values is not null

    union all

    select
        raw_row_number,
        'UNKNOWN_CODE' as reason_code,
        concat_ws(
            '; ',
            case
                when nces_locale_code is not null and not is_known_locale
                    then
                        'nces_locale_code ''' || nces_locale_code || ''' is not in ref_nces_locales'
            end,
            case
                when grade_low not in {{ raw_allowed_codes('school_directory', 'grade_low') }}
                    then 'grade_low ''' || grade_low || ''' is not PK, KG or 01-12'
            end,
            case
                when grade_high not in {{ raw_allowed_codes('school_directory', 'grade_high') }}
                    then 'grade_high ''' || grade_high || ''' is not PK, KG or 01-12'
            end,
            case
                when district_id is not null and not is_known_district
                    then 'district_id ''' || district_id || ''' is not in district_directory'
            end
        ) as reason_detail
    from looked_up
    where
        (nces_locale_code is not null and not is_known_locale)
        or grade_low not in {{ raw_allowed_codes('school_directory', 'grade_low') }}
        or grade_high not in {{ raw_allowed_codes('school_directory', 'grade_high') }}
        or (district_id is not null and not is_known_district)

    union all

    select
        raw_row_number,
        'EXACT_DUPLICATE' as reason_code,
        'Repeats an earlier row of school_directory in every column.' as reason_detail
    from looked_up
    where copy_number > 1

    union all

    select
        raw_row_number,
        'NEAR_DUPLICATE' as reason_code,
        'school_id ''' || school_id
        || ''' already appears on an earlier row with other values.' as reason_detail
    from looked_up
    where copy_number = 1 and key_occurrence > 1 and school_id is not null
),

{{ rank_quarantine_failures('failures', 'quarantine_reasons') }},

quarantined as (
    select
        'school_directory' as source_collection,
        cast(null as varchar) as collection_window,
        cast(null as integer) as school_year,
        looked_up.raw_row_number,
        first_failures.reason_code,
        first_failures.reason_detail,
        first_failures.failing_rule_count,
        first_failures.failing_reason_codes,
        looked_up.district_id,
        looked_up.school_id,
        looked_up.raw_record
    from first_failures
    inner join looked_up
        on first_failures.raw_row_number = looked_up.raw_row_number
)

select * from quarantined
