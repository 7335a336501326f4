{#
    subgroup_dimension_columns: the student-year dimensions of the subgroup
    bridge, each with the fct_student_years column it is read from.

    kind 'code': the subgroup code is the column value, and NULL becomes
    unknown_code. kind 'flag': a boolean column becomes the subgroup 'Y' (true),
    'N' (false) or 'UNK' (NULL, never reported in the year).
    all_students is not listed: every student-year is in 'all_students:all'.
    Every dimension_code here must also be a row of ref_subgroup_dimensions;
    the singular test assert_bridge_covers_every_dimension checks that.
#}
{% macro subgroup_dimension_columns() %}
    {{ return([
        {'dimension_code': 'sex', 'column': 'sex_code', 'kind': 'code', 'unknown_code': 'UNK'},
        {'dimension_code': 'race_ed2007', 'column': 'race_ed2007_code', 'kind': 'code',
            'unknown_code': 'UNK'},
        {'dimension_code': 'race_spd15', 'column': 'race_spd15_code', 'kind': 'code',
            'unknown_code': 'UNK'},
        {'dimension_code': 'economically_disadvantaged',
            'column': 'is_economically_disadvantaged', 'kind': 'flag'},
        {'dimension_code': 'english_learner', 'column': 'is_english_learner', 'kind': 'flag'},
        {'dimension_code': 'disability', 'column': 'has_disability', 'kind': 'flag'},
        {'dimension_code': 'idea_disability', 'column': 'has_idea_disability', 'kind': 'flag'},
        {'dimension_code': 'section_504', 'column': 'has_section_504', 'kind': 'flag'},
        {'dimension_code': 'homeless', 'column': 'is_homeless', 'kind': 'flag'},
        {'dimension_code': 'foster_care', 'column': 'is_foster_care', 'kind': 'flag'},
        {'dimension_code': 'military_connected', 'column': 'is_military_connected',
            'kind': 'flag'},
        {'dimension_code': 'single_parent', 'column': 'is_single_parent', 'kind': 'flag'},
        {'dimension_code': 'out_of_workforce', 'column': 'is_out_of_workforce', 'kind': 'flag'},
        {'dimension_code': 'nontraditional', 'column': 'is_nontraditional', 'kind': 'flag'},
        {'dimension_code': 'grade_level', 'column': 'grade_level', 'kind': 'code',
            'unknown_code': 'UNK'},
        {'dimension_code': 'locale_family', 'column': 'locale_family_code', 'kind': 'code',
            'unknown_code': 'unknown'},
        {'dimension_code': 'region', 'column': 'region_code', 'kind': 'code',
            'unknown_code': 'UNK'},
        {'dimension_code': 'school_size_band', 'column': 'school_size_band_code',
            'kind': 'code', 'unknown_code': 'UNK'},
    ]) }}
{% endmacro %}
