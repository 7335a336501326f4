{#
    Emit the CTEs that reduce a quarantine model's failures to one row per
    raw row: the first failing rule and a count of every failing rule.

    failures: a CTE with one row per raw row and failing rule, with columns
    raw_row_number, reason_code and reason_detail. quarantine_reasons: a CTE
    over the seed ref_quarantine_reasons. Rules rank by the seed's
    display_order, which is the documented precedence order; a reason code
    missing from the seed ranks last (its relationships test fails).

    The last CTE emitted is first_failures, with raw_row_number, reason_code,
    reason_detail, failing_rule_count and failing_reason_codes (every failing
    rule in precedence order, separated by ', ').
#}
{% macro rank_quarantine_failures(failures, quarantine_reasons) %}
ranked_failures as (
    select
        {{ failures }}.raw_row_number,
        {{ failures }}.reason_code,
        {{ failures }}.reason_detail,
        row_number() over (
            partition by {{ failures }}.raw_row_number
            order by
                coalesce({{ quarantine_reasons }}.display_order, 999999),
                {{ failures }}.reason_code
        ) as failure_rank,
        count(*) over (partition by {{ failures }}.raw_row_number) as failing_rule_count,
        string_agg({{ failures }}.reason_code, ', ') over (
            partition by {{ failures }}.raw_row_number
            order by
                coalesce({{ quarantine_reasons }}.display_order, 999999),
                {{ failures }}.reason_code
            rows between unbounded preceding and unbounded following
        ) as failing_reason_codes
    from {{ failures }}
    left join {{ quarantine_reasons }}
        on {{ failures }}.reason_code = {{ quarantine_reasons }}.reason_code
),

first_failures as (
    select
        raw_row_number,
        reason_code,
        reason_detail,
        failing_rule_count,
        failing_reason_codes
    from ranked_failures
    where failure_rank = 1
)
{%- endmacro %}
