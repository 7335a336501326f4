{#
    Select one raw collection as text, with its raw row number.

    Staging models read raw data only through this macro. The result is a
    parenthesised subquery with raw_row_number (1 = first data row of the
    file) followed by every contract column as varchar, in contract order.

    var('wbl:raw_source'):
      seed      reads the committed sample seed raw_<collection>.
                raw_row_number numbers the seed table's rows in rowid order.
                dbt inserts a seed's rows in file order, so this is the CSV
                data-row number. (rowid itself is not: a reloaded seed keeps
                counting from the rowids of its deleted rows.)
      external  reads <wbl:raw_path>/<collection>.<wbl:raw_format> through the
                source wbl_raw. raw_row_number is DuckDB's WITH ORDINALITY
                number, which follows the file's row order for read_csv and
                read_parquet. Before reading, the file is checked: a missing
                file or a missing required column fails the build with the
                file, the column and the fix. A missing optional column is
                read as empty, with a warning in the log.
#}
{% macro raw_collection(collection) %}
    {%- set contract = raw_collection_contract(collection) -%}
    {%- set raw_source = var('wbl:raw_source') -%}

    {%- if raw_source == 'seed' -%}
        {%- set relation = ref('raw_' ~ collection) -%}
        (
            select
                row_number() over (order by rowid) as raw_row_number,
                {%- for column in contract['columns'] %}
                cast({{ adapter.quote(column) }} as varchar) as {{ column }}
                {{- ',' if not loop.last }}
                {%- endfor %}
            from {{ relation }}
        )
    {%- elif raw_source == 'external' -%}
        {%- set relation = source('wbl_raw', collection) -%}
        {%- set present_columns = check_raw_file_columns(collection, relation) -%}
        (
            select
                ordinality as raw_row_number,
                {%- for column in contract['columns'] %}
                {%- if present_columns is none or column in present_columns %}
                cast({{ adapter.quote(column) }} as varchar) as {{ column }}
                {%- else %}
                cast(null as varchar) as {{ column }}
                {%- endif %}
                {{- ',' if not loop.last }}
                {%- endfor %}
            from {{ relation }} with ordinality
        )
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "Invalid value '" ~ raw_source ~ "' for var wbl:raw_source (read while compiling "
            ~ "the staging model of raw collection '" ~ collection ~ "'). Use 'seed' to read "
            ~ "the committed sample in seeds/raw or 'external' to read files from wbl:raw_path, "
            ~ "e.g. --vars '{\"wbl:raw_source\": \"external\", \"wbl:raw_path\": \"/data/wbl\"}'."
        ) }}
    {%- endif -%}
{% endmacro %}


{#
    Return the file path that the source wbl_raw reads for one collection,
    after checking var('wbl:raw_format').
#}
{% macro raw_file_path(collection) %}
    {%- set raw_format = var('wbl:raw_format') -%}
    {%- if raw_format not in ['csv', 'parquet'] -%}
        {{ exceptions.raise_compiler_error(
            "Invalid value '" ~ raw_format ~ "' for var wbl:raw_format (read while compiling "
            ~ "the staging model of raw collection '" ~ collection ~ "'). Use 'csv' or 'parquet'."
        ) }}
    {%- endif -%}
    {{ return(var('wbl:raw_path') ~ '/' ~ collection ~ '.' ~ raw_format) }}
{% endmacro %}


{#
    Check an external raw file against the contract and return the lower-case
    names of its columns. Return none while dbt parses the project, because
    the file is read only when the model runs.

    Fails with a compiler error when the file does not exist or lacks a
    required column.
#}
{% macro check_raw_file_columns(collection, relation) %}
    {%- set path = raw_file_path(collection) -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}

    {%- set contract = raw_collection_contract(collection) -%}
    {%- set quoted_path = "'" ~ (path | replace("'", "''")) ~ "'" -%}
    {%- set found = run_query('select count(*) as file_count from glob(' ~ quoted_path ~ ')') -%}
    {%- if found.columns[0].values()[0] == 0 -%}
        {{ exceptions.raise_compiler_error(
            "Raw file not found for collection '" ~ collection ~ "': " ~ path
            ~ ". Write the file there, or point var wbl:raw_path at the folder that holds "
            ~ "<collection>." ~ var('wbl:raw_format') ~ " files (raw_path is now '"
            ~ var('wbl:raw_path') ~ "', read relative to the dbt project folder)."
        ) }}
    {%- endif -%}

    {%- set sample = run_query('select * from ' ~ relation ~ ' limit 0') -%}
    {%- set present_columns = sample.column_names | map('lower') | list -%}

    {%- set missing_required = [] -%}
    {%- set missing_optional = [] -%}
    {%- for column in contract['columns'] if column not in present_columns -%}
        {%- if column in contract['required'] -%}
            {%- do missing_required.append(column) -%}
        {%- else -%}
            {%- do missing_optional.append(column) -%}
        {%- endif -%}
    {%- endfor -%}

    {%- if missing_required -%}
        {{ exceptions.raise_compiler_error(
            "Raw file " ~ path ~ " (collection '" ~ collection ~ "') is missing required column(s): "
            ~ (missing_required | join(', ')) ~ ". The file has: "
            ~ (present_columns | join(', ')) ~ ". Add the column(s) to the file header "
            ~ "with the names of the raw input contract (docs/raw_input_contract.md)."
        ) }}
    {%- endif -%}
    {%- if missing_optional -%}
        {%- do log(
            "WARNING: raw file " ~ path ~ " (collection '" ~ collection ~ "') has no column(s) "
            ~ (missing_optional | join(', ')) ~ "; they are read as empty (not reported).",
            info=true
        ) -%}
    {%- endif -%}
    {{ return(present_columns) }}
{% endmacro %}
