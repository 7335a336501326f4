{#
    Helpers that staging models use to turn raw text into typed columns and
    to record, per row, what the quarantine rules need: which required
    columns are empty and which values do not parse.
#}

{# Emit "nullif(trim(<column>), '') as <column>," for every contract column. #}
{% macro trimmed_raw_columns(collection) %}
    {%- for column in raw_collection_contract(collection)['columns'] %}
        nullif(trim({{ column }}), '') as {{ column }},
    {%- endfor %}
{%- endmacro %}


{#
    Parse one trimmed raw text column into its contract type, giving NULL
    when the text is empty or does not parse. Types:
      integer  whole number
      decimal  number with up to 4 decimals
      date     YYYY-MM-DD only
      flag     Y or N (either case) to true or false
      sced     SCED course code, exactly five digits (stays text)
#}
{% macro parse_raw_value(column, raw_type) %}
    {%- if raw_type == 'integer' -%}
        try_cast({{ column }} as integer)
    {%- elif raw_type == 'decimal' -%}
        try_cast({{ column }} as decimal(12, 4))
    {%- elif raw_type == 'date' -%}
        cast(try_strptime({{ column }}, '%Y-%m-%d') as date)
    {%- elif raw_type == 'flag' -%}
        case upper({{ column }}) when 'Y' then true when 'N' then false end
    {%- elif raw_type == 'sced' -%}
        case when regexp_full_match({{ column }}, '[0-9]{5}') then {{ column }} end
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "parse_raw_value: unknown raw type '" ~ raw_type ~ "' for column " ~ column
            ~ ". Use integer, decimal, date, flag or sced."
        ) }}
    {%- endif -%}
{%- endmacro %}


{#
    List the required contract columns that are empty on the row, as text
    separated by ', ', or NULL when none is empty.
#}
{% macro missing_required_columns(collection) %}
    nullif(concat_ws(
        ', ',
            {%- for column in raw_collection_contract(collection)['required'] %}
            case when {{ column }} is null then '{{ column }}' end
            {{- ',' if not loop.last }}
            {%- endfor %}
    ), '')
{%- endmacro %}


{#
    List the values on the row that are present but do not parse, as
    "<column> '<raw text>' is not <type>" separated by '; ', or NULL when all
    parse. typed_columns is a list of [column, raw_type] pairs with the types
    of parse_raw_value.
#}
{% macro unparseable_values(typed_columns) %}
    {%- set type_words = {
        'integer': 'a whole number',
        'decimal': 'a number',
        'date': 'a YYYY-MM-DD date',
        'flag': 'Y or N',
        'sced': 'a five-digit SCED code',
    } -%}
    nullif(concat_ws(
        '; ',
            {%- for column, raw_type in typed_columns %}
            case
                when {{ column }} is not null and {{ parse_raw_value(column, raw_type) }} is null
                    then '{{ column }} ''' || {{ column }} || ''' is not {{ type_words[raw_type] }}'
            end
            {{- ',' if not loop.last }}
            {%- endfor %}
    ), '')
{%- endmacro %}


{#
    Serialise the raw row as JSON text, every contract column as read from
    the file, leaving out state_student_id so that the state id never leaves
    staging.
#}
{% macro raw_record_json(collection) %}
    to_json(struct_pack(
        {%- for column in raw_collection_contract(collection)['columns']
            if column != 'state_student_id' %}
        {{ column }} := {{ column }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    ))
{%- endmacro %}
