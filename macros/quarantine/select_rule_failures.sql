{#
    Emit the union of selects that list a quarantine model's failures of
    the rules checked the same way in every collection: one row per raw row
    and failing rule, with raw_row_number, reason_code and reason_detail.
    Rules whose check differs by collection, such as NEAR_DUPLICATE, stay
    in the model.

    rows: a CTE with raw_row_number and the columns that the chosen rules
    read:
      MISSING_REQUIRED   missing_required_columns
      UNPARSEABLE_VALUE  unparseable_values
      UNKNOWN_CODE       unknown_codes ('; '-joined, NULL when all are known)
      EXACT_DUPLICATE    copy_number (see number_exact_copies)
      STUDENT_NOT_FOUND  student_id, school_year, is_known_student
      SCHOOL_NOT_FOUND   school_id, is_known_school, and district_id when
                         school_in_district is true
      SECTION_NOT_FOUND  section_id, school_id, school_year, is_known_section
    The lookup rules (*_NOT_FOUND) are judged only when every key column
    they read is present.

    collection: the raw collection name used in the EXACT_DUPLICATE detail.
    reason_codes: the rules to emit. school_in_district: true when the
    school must belong to the row's district_id, false for collections
    without a district_id column.
#}
{% macro select_rule_failures(rows, collection, reason_codes, school_in_district=true) %}
    {%- set shared_reason_codes = [
        'MISSING_REQUIRED',
        'UNPARSEABLE_VALUE',
        'UNKNOWN_CODE',
        'EXACT_DUPLICATE',
        'STUDENT_NOT_FOUND',
        'SCHOOL_NOT_FOUND',
        'SECTION_NOT_FOUND',
    ] -%}
    {%- for reason_code in reason_codes -%}
        {%- if reason_code not in shared_reason_codes -%}
            {{ exceptions.raise_compiler_error(
                "select_rule_failures() got reason code '" ~ reason_code
                ~ "' for " ~ collection ~ ", which it does not check. It checks: "
                ~ (shared_reason_codes | join(', '))
                ~ ". Write other rules as selects in the model."
            ) }}
        {%- endif -%}
        {%- if not loop.first %}

    union all

    {% endif -%}
    select
        raw_row_number,
        '{{ reason_code }}' as reason_code,
        {%- if reason_code == 'MISSING_REQUIRED' %}
        'Required column(s) empty: ' || missing_required_columns as reason_detail
    from {{ rows }}
    where missing_required_columns is not null
        {%- elif reason_code == 'UNPARSEABLE_VALUE' %}
        unparseable_values as reason_detail
    from {{ rows }}
    where unparseable_values is not null
        {%- elif reason_code == 'UNKNOWN_CODE' %}
        unknown_codes as reason_detail
    from {{ rows }}
    where unknown_codes is not null
        {%- elif reason_code == 'EXACT_DUPLICATE' %}
        'Repeats an earlier row of {{ collection }} in every column.' as reason_detail
    from {{ rows }}
    where copy_number > 1
        {%- elif reason_code == 'STUDENT_NOT_FOUND' %}
        'The student has no accepted student record in school year '
        || school_year || '.' as reason_detail
    from {{ rows }}
    where student_id is not null and school_year is not null and not is_known_student
        {%- elif reason_code == 'SCHOOL_NOT_FOUND' and school_in_district %}
        'school_id ''' || school_id || ''' of district ''' || district_id
        || ''' is not in the accepted school directory.' as reason_detail
    from {{ rows }}
    where school_id is not null and district_id is not null and not is_known_school
        {%- elif reason_code == 'SCHOOL_NOT_FOUND' %}
        'school_id ''' || school_id || ''' is not in the accepted school directory.'
            as reason_detail
    from {{ rows }}
    where school_id is not null and not is_known_school
        {%- else %}
        'Section ''' || section_id || ''' is not in the accepted master schedule of school '
        || school_id || ' in ' || school_year || '.' as reason_detail
    from {{ rows }}
    where
        section_id is not null
        and school_id is not null
        and school_year is not null
        and not is_known_section
        {%- endif %}
    {%- endfor %}
{%- endmacro %}
