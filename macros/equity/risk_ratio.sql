{#
    Risk ratio of a group against a comparison group with the log-method
    (Katz) interval: SE(ln RR) = sqrt(1/a - 1/(a+b) + 1/c - 1/(c+d)), where
    a of a+b group members and c of c+d comparison members have the outcome.
    NULL when a or c is 0 (the log is undefined) or a group is empty.
#}


{#- Render the risk ratio (a / (a+b)) / (c / (c+d)). -#}
{% macro wbl_risk_ratio(group_events, group_total, comparison_events, comparison_total) -%}
    case
        when coalesce({{ group_events }}, 0) = 0 or coalesce({{ comparison_events }}, 0) = 0
            then null
        else
            ({{ group_events }}::double / {{ group_total }})
            / ({{ comparison_events }}::double / {{ comparison_total }})
    end
{%- endmacro %}


{#- Render one bound (side 'lower' or 'upper') of the log-method interval:
    exp(ln RR -/+ z * SE(ln RR)). -#}
{% macro wbl_risk_ratio_bound(
    group_events, group_total, comparison_events, comparison_total, z, side
) -%}
    {%- set sign = '-' if side == 'lower' else '+' -%}
    case
        when coalesce({{ group_events }}, 0) = 0 or coalesce({{ comparison_events }}, 0) = 0
            then null
        else exp(
            ln(
                ({{ group_events }}::double / {{ group_total }})
                / ({{ comparison_events }}::double / {{ comparison_total }})
            )
            {{ sign }} {{ z }} * sqrt(
                1.0 / {{ group_events }} - 1.0 / {{ group_total }}
                + 1.0 / {{ comparison_events }} - 1.0 / {{ comparison_total }}
            )
        )
    end
{%- endmacro %}
