with

district_directory as (

    select * from {{ ref('int_district_directory__accepted') }}

),

schools as (

    select * from {{ ref('dim_schools') }}

),

school_size_bands as (

    select * from {{ ref('ref_school_size_bands') }}

),

nces_locales as (

    select * from {{ ref('ref_nces_locales') }}

),

locale_families as (

    select
        locale_family_code,
        min(display_order::integer) as display_order
    from nces_locales
    group by locale_family_code

),

schools_summarised as (

    select
        district_id,
        count(*) as school_count,
        count(*) filter (where is_high_school) as high_school_count,
        sum(enrollment)::bigint as enrollment
    from schools
    group by district_id

),

-- The district's locale family is the family of most of its schools; a tie
-- goes to the family listed first in ref_nces_locales.
locale_families_ranked as (

    select
        schools.district_id,
        schools.locale_family_code,
        row_number() over (
            partition by schools.district_id
            order by count(*) desc, min(locale_families.display_order) asc
        ) as family_rank
    from schools
    left join locale_families
        on schools.locale_family_code = locale_families.locale_family_code
    group by
        schools.district_id,
        schools.locale_family_code

),

joined as (

    select
        district_directory.district_id,
        district_directory.district_name,
        district_directory.region_code,
        district_directory.region_name,
        coalesce(locale_families_ranked.locale_family_code, 'unknown') as locale_family_code,
        coalesce(school_size_bands.size_band_code, 'UNK') as district_size_band_code,
        coalesce(schools_summarised.school_count, 0) as school_count,
        coalesce(schools_summarised.high_school_count, 0) as high_school_count,
        schools_summarised.enrollment
    from district_directory
    left join schools_summarised
        on district_directory.district_id = schools_summarised.district_id
    left join locale_families_ranked
        on
            district_directory.district_id = locale_families_ranked.district_id
            and locale_families_ranked.family_rank = 1
    left join school_size_bands
        on
            schools_summarised.enrollment >= school_size_bands.min_enrollment
            and (
                schools_summarised.enrollment <= school_size_bands.max_enrollment
                or school_size_bands.max_enrollment is null
            )

)

select * from joined
