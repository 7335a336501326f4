{#
    Benjamini-Hochberg adjusted p-values as two window steps, because SQL
    does not nest window functions. With the m non-NULL p-values of a family
    ranked i = 1..m in ascending order:

    1. wbl_benjamini_hochberg_rank gives i, and
       wbl_benjamini_hochberg_scaled gives m * p(i) / i;
    2. wbl_benjamini_hochberg_adjusted takes the running minimum of the
       scaled values from rank m down to rank i, capped at 1.

    Rows whose p-value is NULL get NULL and do not count towards m, so a model
    keeps a comparison out of the family by passing a NULL p-value. Tied
    p-values get the same adjusted value in any rank order, because the
    minimum over ranks j >= i reaches the last tied rank.
#}


{#- Render the ascending rank of p_value within its family (NULL for NULL p). -#}
{% macro wbl_benjamini_hochberg_rank(p_value, partition_by) -%}
    case
        when {{ p_value }} is not null then row_number() over (
            partition by {{ partition_by | join(', ') }}, ({{ p_value }} is null)
            order by {{ p_value }}
        )
    end
{%- endmacro %}


{#- Render m * p / rank, where m counts the non-NULL p-values of the family. -#}
{% macro wbl_benjamini_hochberg_scaled(p_value, rank, partition_by) -%}
    {{ p_value }}
    * count({{ p_value }}) over (partition by {{ partition_by | join(', ') }})
    / {{ rank }}
{%- endmacro %}


{#- Render the adjusted p-value from the scaled values and ranks of step 1. -#}
{% macro wbl_benjamini_hochberg_adjusted(scaled_p_value, rank, partition_by) -%}
    case
        when {{ scaled_p_value }} is not null then least(
            1.0,
            min({{ scaled_p_value }}) over (
                partition by {{ partition_by | join(', ') }}, ({{ scaled_p_value }} is null)
                order by {{ rank }} desc
                rows between unbounded preceding and current row
            )
        )
    end
{%- endmacro %}
