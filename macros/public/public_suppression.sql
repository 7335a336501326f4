{#
    Primary suppression and top/bottom coding for public tables. Thresholds
    come from the vars wbl:public_min_n, wbl:public_min_cell_size and
    wbl:top_bottom_coding_bands (dbt_project.yml); complementary suppression
    happens afterwards in int_disclosure__participation_suppressed.
#}

{#
    public_primary_reason: the first rule a cell breaks, or NULL.
    SMALL_DENOMINATOR: denominator below wbl:public_min_n.
    SMALL_NUMERATOR / SMALL_COMPLEMENT: numerator, or denominator minus
    numerator, below wbl:public_min_cell_size.
#}
{% macro public_primary_reason(denominator, numerator) -%}
    case
        when {{ denominator }} < {{ var('wbl:public_min_n') }}
            then 'SMALL_DENOMINATOR'
        when {{ numerator }} < {{ var('wbl:public_min_cell_size') }}
            then 'SMALL_NUMERATOR'
        when {{ denominator }} - {{ numerator }} < {{ var('wbl:public_min_cell_size') }}
            then 'SMALL_COMPLEMENT'
    end
{%- endmacro %}

{#
    public_coding_bands: the bands of wbl:top_bottom_coding_bands sorted by
    min_n, largest first, after checking that every band has min_n and
    bound_percent. A group smaller than every min_n is not coded.
#}
{% macro public_coding_bands() -%}
    {%- set bands = var('wbl:top_bottom_coding_bands') -%}
    {%- for band in bands -%}
        {%- if band.min_n is not defined or band.bound_percent is not defined -%}
            {{ exceptions.raise_compiler_error(
                "wbl:top_bottom_coding_bands: every band needs min_n and bound_percent, got "
                ~ band
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(bands | sort(attribute='min_n', reverse=true)) }}
{%- endmacro %}

{#
    public_coding_bound_percent: the coding bound (percent) for a group of
    this size; NULL when no band applies.
#}
{% macro public_coding_bound_percent(denominator) -%}
    case
        {%- for band in public_coding_bands() %}
        when {{ denominator }} >= {{ band.min_n }} then {{ band.bound_percent }}
        {%- endfor %}
    end
{%- endmacro %}

{#
    public_coding_direction: 'bottom' when the rate is at or below the bound,
    'top' when at or above 100 minus the bound, else NULL.
#}
{% macro public_coding_direction(denominator, numerator) -%}
    case
        when
            100.0 * {{ numerator }} / {{ denominator }}
            <= {{ public_coding_bound_percent(denominator) }}
            then 'bottom'
        when
            100.0 * {{ numerator }} / {{ denominator }}
            >= 100 - {{ public_coding_bound_percent(denominator) }}
            then 'top'
    end
{%- endmacro %}

{#
    public_coded_rate_display: '<=5%' or '>=95%' style text for a coded rate,
    written from the band values as configured (no rounding).
#}
{% macro public_coded_rate_display(denominator, direction) -%}
    case
        {%- for band in public_coding_bands() %}
        when {{ denominator }} >= {{ band.min_n }}
            then
                case {{ direction }}
                    when 'bottom' then '<={{ band.bound_percent }}%'
                    when 'top' then '>={{ 100 - band.bound_percent }}%'
                end
        {%- endfor %}
    end
{%- endmacro %}

{#
    public_rate_display: a rate between 0 and 1 as percent text with one
    decimal, e.g. '37.5%'.
#}
{% macro public_rate_display(rate) -%}
    printf('%.1f%%', 100.0 * {{ rate }})
{%- endmacro %}

{#
    public_quoted_list: a list var as SQL string literals, e.g. 'any', 'family'.
#}
{% macro public_quoted_list(values) -%}
    {%- for value in values -%}
        '{{ value }}'{{ ', ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
