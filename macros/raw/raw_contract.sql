{#
    Return the raw input contract as data: for every raw collection, its
    columns in file order, the columns that must be present and non-empty on
    every row, the columns of its natural key, and the allowed codes of the
    coded columns that have no reference seed. Coded columns with a seed are
    checked against the seed in the quarantine models.

    docs/raw_input_contract.md and models/staging/_staging__sources.yml
    describe the same contract for readers. Keep the three in step.
#}
{% macro raw_contract() %}
    {%- set contract = {
        'student_records': {
            'columns': [
                'state_student_id', 'school_year', 'collection_window', 'district_id',
                'school_id', 'grade_level', 'sex', 'hispanic_latino_flag',
                'race_american_indian_alaska_native_flag', 'race_asian_flag',
                'race_black_african_american_flag', 'race_middle_eastern_north_african_flag',
                'race_native_hawaiian_pacific_islander_flag', 'race_white_flag',
                'english_learner_flag', 'idea_disability_flag', 'section_504_flag',
                'economically_disadvantaged_flag', 'military_connected_flag', 'homeless_flag',
                'unaccompanied_youth_flag', 'foster_care_flag', 'single_parent_pregnant_flag',
                'out_of_workforce_flag', 'exit_code', 'submitted_date',
            ],
            'required': [
                'state_student_id', 'school_year', 'collection_window', 'district_id',
                'school_id', 'grade_level', 'sex', 'submitted_date',
            ],
            'key': ['state_student_id', 'school_year', 'collection_window', 'school_id'],
        },
        'master_schedule': {
            'columns': [
                'school_year', 'district_id', 'school_id', 'section_id', 'term',
                'state_course_code', 'sced_code', 'cte_program_code', 'career_cluster_code',
                'wbl_type_code',
            ],
            'required': [
                'school_year', 'district_id', 'school_id', 'section_id', 'term',
                'state_course_code', 'sced_code',
            ],
            'key': ['school_year', 'school_id', 'section_id', 'term'],
            'allowed_codes': {'term': ['FY', 'S1', 'S2']},
        },
        'course_enrollments': {
            'columns': [
                'state_student_id', 'school_year', 'school_id', 'section_id', 'term',
                'completion_status', 'credits_earned',
            ],
            'required': [
                'state_student_id', 'school_year', 'school_id', 'section_id', 'term',
                'completion_status',
            ],
            'key': ['state_student_id', 'school_year', 'school_id', 'section_id', 'term'],
            'allowed_codes': {
                'term': ['FY', 'S1', 'S2'],
                'completion_status': ['COMPLETED', 'WITHDRAWN', 'IN_PROGRESS'],
            },
        },
        'wbl_experiences': {
            'columns': [
                'experience_id', 'state_student_id', 'school_year', 'collection_window',
                'district_id', 'school_id', 'wbl_type_code', 'reporting_program', 'section_id',
                'employer_name', 'career_cluster_code', 'paid_flag', 'hours', 'start_date',
                'end_date', 'completion_status', 'credential_earned_flag',
                'employer_evaluation_code',
            ],
            'required': [
                'experience_id', 'state_student_id', 'school_year', 'collection_window',
                'district_id', 'school_id', 'wbl_type_code', 'reporting_program', 'start_date',
            ],
            'key': ['experience_id'],
            'allowed_codes': {
                'reporting_program': [
                    'CTE', 'SCHOOL_COUNSELING', 'DISTRICT_OFFICE', 'COMMUNITY_PARTNER',
                ],
                'completion_status': ['COMPLETED', 'IN_PROGRESS', 'WITHDRAWN'],
                'employer_evaluation_code': ['EXCEEDS', 'MEETS', 'BELOW', 'NOT_EVALUATED'],
            },
        },
        'cte_program_status': {
            'columns': [
                'state_student_id', 'school_year', 'district_id', 'school_id',
                'cte_program_code', 'participant_flag', 'concentrator_flag',
            ],
            'required': [
                'state_student_id', 'school_year', 'district_id', 'school_id',
                'cte_program_code', 'participant_flag', 'concentrator_flag',
            ],
            'key': ['state_student_id', 'school_year', 'cte_program_code'],
        },
        'district_directory': {
            'columns': ['district_id', 'district_name', 'region_code', 'region_name'],
            'required': ['district_id', 'district_name', 'region_code', 'region_name'],
            'key': ['district_id'],
        },
        'school_directory': {
            'columns': [
                'school_id', 'district_id', 'school_name', 'nces_locale_code', 'grade_low',
                'grade_high', 'enrollment',
            ],
            'required': [
                'school_id', 'district_id', 'school_name', 'nces_locale_code', 'grade_low',
                'grade_high', 'enrollment',
            ],
            'key': ['school_id'],
            'allowed_codes': {
                'grade_low': [
                    'PK', 'KG', '01', '02', '03', '04', '05', '06', '07', '08', '09', '10',
                    '11', '12',
                ],
                'grade_high': [
                    'PK', 'KG', '01', '02', '03', '04', '05', '06', '07', '08', '09', '10',
                    '11', '12',
                ],
            },
        },
    } -%}
    {{ return(contract) }}
{% endmacro %}


{#
    Return the contract entry of one collection, or fail at compile time when
    the name is not a raw collection.
#}
{% macro raw_collection_contract(collection) %}
    {%- set contract = raw_contract() -%}
    {%- if collection not in contract -%}
        {{ exceptions.raise_compiler_error(
            "Unknown raw collection '" ~ collection ~ "'. Raw collections are: "
            ~ (contract.keys() | list | sort | join(', '))
            ~ ". Fix the name passed to raw_collection() or add the collection to "
            ~ "macros/raw/raw_contract.sql."
        ) }}
    {%- endif -%}
    {{ return(contract[collection]) }}
{% endmacro %}


{#
    Render the allowed codes of one contract column as a SQL list literal,
    e.g. ('FY', 'S1', 'S2'), for use after "in".
#}
{% macro raw_allowed_codes(collection, column) %}
    {%- set allowed = raw_collection_contract(collection).get('allowed_codes', {}) -%}
    {%- if column not in allowed -%}
        {{ exceptions.raise_compiler_error(
            "raw_allowed_codes: column '" ~ column ~ "' of raw collection '" ~ collection
            ~ "' has no allowed codes in macros/raw/raw_contract.sql."
        ) }}
    {%- endif -%}
    ({%- for code in allowed[column] -%}
        '{{ code }}'{{ ', ' if not loop.last }}
    {%- endfor -%})
{%- endmacro %}
