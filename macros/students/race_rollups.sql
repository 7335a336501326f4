{#
    Race and ethnicity rollups from the seven selection flags of one
    student-year. Each argument is a boolean SQL expression; NULL counts as
    not selected. The order of the rules matches rollup_order in the seeds
    ref_race_ed2007 and ref_race_spd15.
#}

{#
    ED 2007 seven-group code (1997 standards):
      1. Hispanic/Latino selected                        -> HI7 (any race)
      2. two or more distinct races, with Middle Eastern
         or North African counted as White               -> MU7
      3. exactly one race                                -> AM7, AS7, BL7, PI7 or WH7
      4. nothing selected                                -> UNK
#}
{% macro race_ed2007_code(
    hispanic_latino,
    american_indian_alaska_native,
    asian,
    black,
    middle_eastern_north_african,
    native_hawaiian_pacific_islander,
    white
) %}
    case
        when coalesce({{ hispanic_latino }}, false) then 'HI7'
        when (
            cast(coalesce({{ american_indian_alaska_native }}, false) as integer)
            + cast(coalesce({{ asian }}, false) as integer)
            + cast(coalesce({{ black }}, false) as integer)
            + cast(coalesce({{ native_hawaiian_pacific_islander }}, false) as integer)
            + cast(
                coalesce({{ white }}, false) or coalesce({{ middle_eastern_north_african }}, false)
                as integer
            )
        ) > 1 then 'MU7'
        when coalesce({{ american_indian_alaska_native }}, false) then 'AM7'
        when coalesce({{ asian }}, false) then 'AS7'
        when coalesce({{ black }}, false) then 'BL7'
        when coalesce({{ native_hawaiian_pacific_islander }}, false) then 'PI7'
        when
            coalesce({{ white }}, false) or coalesce({{ middle_eastern_north_african }}, false)
            then 'WH7'
        else 'UNK'
    end
{%- endmacro %}


{#
    SPD 15 (2024 standard) code, one combined question:
      1. two or more of the seven categories, Hispanic or
         Latino included                                 -> MULTI
      2. exactly one category                            -> HISP, AIAN, ASIAN, BLACK,
                                                            MENA, NHPI or WHITE
      3. nothing selected                                -> UNK
#}
{% macro race_spd15_code(
    hispanic_latino,
    american_indian_alaska_native,
    asian,
    black,
    middle_eastern_north_african,
    native_hawaiian_pacific_islander,
    white
) %}
    {%- set categories = spd15_categories(
        hispanic_latino, american_indian_alaska_native, asian, black,
        middle_eastern_north_african, native_hawaiian_pacific_islander, white
    ) -%}
    case
        when (
            {%- for flag, code in categories %}
            cast(coalesce({{ flag }}, false) as integer)
            {{- ' +' if not loop.last }}
            {%- endfor %}
        ) > 1 then 'MULTI'
        {%- for flag, code in categories %}
        when coalesce({{ flag }}, false) then '{{ code }}'
        {%- endfor %}
        else 'UNK'
    end
{%- endmacro %}


{#
    Every SPD 15 category selected, as codes separated by ',' in the seed's
    display order (e.g. 'HISP,BLACK'), or NULL when nothing is selected.
#}
{% macro race_spd15_selections(
    hispanic_latino,
    american_indian_alaska_native,
    asian,
    black,
    middle_eastern_north_african,
    native_hawaiian_pacific_islander,
    white
) %}
    {%- set categories = spd15_categories(
        hispanic_latino, american_indian_alaska_native, asian, black,
        middle_eastern_north_african, native_hawaiian_pacific_islander, white
    ) -%}
    nullif(concat_ws(
        ',',
        {%- for flag, code in categories %}
        case when coalesce({{ flag }}, false) then '{{ code }}' end
        {{- ',' if not loop.last }}
        {%- endfor %}
    ), '')
{%- endmacro %}


{#
    Pairs of (flag expression, SPD 15 code) in the seed's display order,
    shared by race_spd15_code and race_spd15_selections.
#}
{% macro spd15_categories(
    hispanic_latino,
    american_indian_alaska_native,
    asian,
    black,
    middle_eastern_north_african,
    native_hawaiian_pacific_islander,
    white
) %}
    {{ return([
        [hispanic_latino, 'HISP'],
        [american_indian_alaska_native, 'AIAN'],
        [asian, 'ASIAN'],
        [black, 'BLACK'],
        [middle_eastern_north_african, 'MENA'],
        [native_hawaiian_pacific_islander, 'NHPI'],
        [white, 'WHITE'],
    ]) }}
{%- endmacro %}
