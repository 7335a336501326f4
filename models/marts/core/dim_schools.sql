with

school_directory as (

    select * from {{ ref('int_school_directory__accepted') }}

),

district_directory as (

    select * from {{ ref('int_district_directory__accepted') }}

),

nces_locales as (

    select * from {{ ref('ref_nces_locales') }}

),

school_size_bands as (

    select * from {{ ref('ref_school_size_bands') }}

),

-- Grade codes as numbers so that a span can be compared: PK = -1, KG = 0,
-- '01'-'12' = 1-12.
grade_span_ordered as (

    select
        school_id,
        case grade_low
            when 'PK' then -1
            when 'KG' then 0
            else try_cast(grade_low as integer)
        end as grade_low_number,
        case grade_high
            when 'PK' then -1
            when 'KG' then 0
            else try_cast(grade_high as integer)
        end as grade_high_number
    from school_directory

),

-- A school is a high school when its grade span covers at least one grade
-- of the var wbl:high_school_grades.
high_school_flagged as (

    select
        school_id,
        coalesce(
            list_has_any(
                range(grade_low_number, grade_high_number + 1),
                {{ var('wbl:high_school_grades') | map('int') | list }}
            ),
            false
        ) as is_high_school
    from grade_span_ordered

),

joined as (

    select
        school_directory.school_id,
        school_directory.district_id,
        district_directory.region_code,
        school_directory.school_name,
        school_directory.nces_locale_code,
        coalesce(nces_locales.locale_family_code, 'unknown') as locale_family_code,
        coalesce(school_size_bands.size_band_code, 'UNK') as school_size_band_code,
        school_directory.grade_low,
        school_directory.grade_high,
        school_directory.enrollment,
        high_school_flagged.is_high_school
    from school_directory
    left join district_directory
        on school_directory.district_id = district_directory.district_id
    left join nces_locales
        on school_directory.nces_locale_code = nces_locales.nces_locale_code
    left join school_size_bands
        on
            school_directory.enrollment >= school_size_bands.min_enrollment
            and (
                school_directory.enrollment <= school_size_bands.max_enrollment
                or school_size_bands.max_enrollment is null
            )
    left join high_school_flagged
        on school_directory.school_id = high_school_flagged.school_id

)

select * from joined
