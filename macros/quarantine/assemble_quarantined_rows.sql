{#
    Emit the closing CTEs of a quarantine model: the ranking CTEs of
    rank_quarantine_failures and then quarantined, with one row per failing
    raw row in the column layout that every quarantine model shares.

    The model must define the CTEs failures (see rank_quarantine_failures)
    and quarantine_reasons (over the seed ref_quarantine_reasons).
    collection: the raw collection name, stored in source_collection.
    rows: the CTE that holds raw_row_number, raw_record and the reported
    columns. absent_columns: any of collection_window, school_year,
    district_id and school_id that the collection does not have. They are
    output as typed NULLs.

    The last CTE emitted is quarantined.
#}
{% macro assemble_quarantined_rows(collection, rows, absent_columns=[]) %}
    {%- set column_types = {
        'collection_window': 'varchar',
        'school_year': 'integer',
        'district_id': 'varchar',
        'school_id': 'varchar',
    } -%}
    {%- for column in absent_columns if column not in column_types -%}
        {{ exceptions.raise_compiler_error(
            "assemble_quarantined_rows() got absent column '" ~ column
            ~ "' for " ~ collection ~ ". Only these columns can be absent: "
            ~ (column_types.keys() | list | join(', ')) ~ "."
        ) }}
    {%- endfor -%}
    {%- set reported = {} -%}
    {%- for column, column_type in column_types.items() -%}
        {%- if column in absent_columns -%}
            {%- do reported.update({column: 'cast(null as ' ~ column_type ~ ') as ' ~ column}) -%}
        {%- else -%}
            {%- do reported.update({column: rows ~ '.' ~ column}) -%}
        {%- endif -%}
    {%- endfor -%}
{{ rank_quarantine_failures('failures', 'quarantine_reasons') | trim }},

quarantined as (
    select
        '{{ collection }}' as source_collection,
        {{ reported['collection_window'] }},
        {{ reported['school_year'] }},
        {{ rows }}.raw_row_number,
        first_failures.reason_code,
        first_failures.reason_detail,
        first_failures.failing_rule_count,
        first_failures.failing_reason_codes,
        {{ reported['district_id'] }},
        {{ reported['school_id'] }},
        {{ rows }}.raw_record
    from first_failures
    inner join {{ rows }}
        on first_failures.raw_row_number = {{ rows }}.raw_row_number
)
{%- endmacro %}
