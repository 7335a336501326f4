{#
    Replace a state student id with a salted SHA-256 hash (64 hex characters).

    The salt comes from the environment variable WBL_STUDENT_KEY_SALT. Without
    it the macro falls back to a public development salt and logs a warning:
    state ids are short and guessable, so anyone who knows the salt can
    recover them from the hashes by trying every id. Set a long random salt,
    kept secret and stable across runs, before loading real student records;
    a new salt changes every student_id.

    NOTE: the salt appears in the compiled SQL under the target folder, so
    treat that folder as secret. The staging models that call this macro are
    tables, so the DuckDB file holds only the hashes.
#}
{% macro pseudonymize(column) %}
    {%- set development_salt = 'unsafe-development-salt-not-for-real-student-records' -%}
    {%- set salt = env_var('WBL_STUDENT_KEY_SALT', development_salt) -%}
    {%- if salt == development_salt and execute -%}
        {%- do log(
            "WARNING: WBL_STUDENT_KEY_SALT is not set, so " ~ this ~ " hashes student ids with "
            ~ "the public development salt. Set WBL_STUDENT_KEY_SALT to a long secret value "
            ~ "before loading real student records.",
            info=true
        ) -%}
    {%- endif -%}
    sha256('{{ salt | replace("'", "''") }}' || '|' || trim({{ column }}))
{%- endmacro %}
