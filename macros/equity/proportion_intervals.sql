{#
    Interval estimates for proportions and their differences, as SQL
    expressions over count columns. Every argument is repeated in the output,
    so pass column names, not subqueries. A zero or NULL denominator yields
    NULL, never a division error. DuckDB's greatest() and least() skip NULL
    arguments, so each clipped bound is guarded by an explicit case.
#}


{#- Render the lower (side='lower') or upper (side='upper') Wilson score
    bound for successes out of trials at critical value z, clipped to [0, 1]:
    (p + z^2/2n -/+ z * sqrt(p(1 - p)/n + z^2/4n^2)) / (1 + z^2/n). -#}
{% macro wbl_wilson_bound(successes, trials, z, side) -%}
    {%- if side not in ['lower', 'upper'] -%}
        {{ exceptions.raise_compiler_error(
            "wbl_wilson_bound: side must be 'lower' or 'upper', got '" ~ side ~ "'."
        ) }}
    {%- endif -%}
    {%- set n = 'nullif(' ~ trials ~ ', 0)::double' -%}
    {%- set p = '(' ~ successes ~ ' / ' ~ n ~ ')' -%}
    {%- set sign = '-' if side == 'lower' else '+' -%}
    case
        when coalesce({{ trials }}, 0) > 0 then {{ 'greatest' if side == 'lower' else 'least' }}(
            {{ 0.0 if side == 'lower' else 1.0 }},
            (
                {{ p }} + {{ z }} * {{ z }} / (2.0 * {{ n }})
                {{ sign }} {{ z }} * sqrt(
                    {{ p }} * (1.0 - {{ p }}) / {{ n }}
                    + {{ z }} * {{ z }} / (4.0 * {{ n }} * {{ n }})
                )
            ) / (1.0 + {{ z }} * {{ z }} / {{ n }})
        )
    end
{%- endmacro %}


{#- Render one bound of Newcombe's hybrid score interval (his method 10) for
    the difference p1 - p2 of two independent proportions, from each
    proportion's point estimate and Wilson bounds:
    lower = (p1 - p2) - sqrt((p1 - l1)^2 + (u2 - p2)^2),
    upper = (p1 - p2) + sqrt((u1 - p1)^2 + (p2 - l2)^2). -#}
{% macro wbl_newcombe_difference_bound(rate_1, lower_1, upper_1, rate_2, lower_2, upper_2, side) -%}
    {%- if side == 'lower' -%}
        ({{ rate_1 }} - {{ rate_2 }}) - sqrt(
            power({{ rate_1 }} - {{ lower_1 }}, 2) + power({{ upper_2 }} - {{ rate_2 }}, 2)
        )
    {%- elif side == 'upper' -%}
        ({{ rate_1 }} - {{ rate_2 }}) + sqrt(
            power({{ upper_1 }} - {{ rate_1 }}, 2) + power({{ rate_2 }} - {{ lower_2 }}, 2)
        )
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "wbl_newcombe_difference_bound: side must be 'lower' or 'upper', got '" ~ side ~ "'."
        ) }}
    {%- endif -%}
{%- endmacro %}


{#- Render the pooled two-proportion z statistic for successes_1/trials_1
    against successes_2/trials_2 (the score test of equal proportions).
    NULL when either group is empty; 0 when both rates are 0% or both 100%,
    where the pooled variance is 0 and the rates cannot differ. -#}
{% macro wbl_pooled_z_statistic(successes_1, trials_1, successes_2, trials_2) -%}
    {%- set pooled = '((' ~ successes_1 ~ ' + ' ~ successes_2 ~ ')::double / ('
        ~ trials_1 ~ ' + ' ~ trials_2 ~ '))' -%}
    case
        when coalesce({{ trials_1 }}, 0) = 0 or coalesce({{ trials_2 }}, 0) = 0 then null
        when {{ pooled }} in (0.0, 1.0) then 0.0
        else
            (
                {{ successes_1 }}::double / {{ trials_1 }}
                - {{ successes_2 }}::double / {{ trials_2 }}
            )
            / sqrt(
                {{ pooled }} * (1.0 - {{ pooled }})
                * (1.0 / {{ trials_1 }} + 1.0 / {{ trials_2 }})
            )
    end
{%- endmacro %}
