{#
    Standard normal distribution helpers for the equity marts. DuckDB has no
    erf, erfc or normal CDF, so the upper tail Q(x) = 1 - Phi(x) is built from
    two expansions that need only arithmetic and exp():

    - |x| < 3: Q(x) = 1/2 - phi(x) * (x + x^3/3 + x^5/(3*5) + ...), the Taylor
      series of the error function in the form Marsaglia (2004) describes,
      summed to 46 terms.
    - |x| >= 3: Laplace's continued fraction for the Mills ratio,
      Q(x) = phi(x) / (x + 1/(x + 2/(x + 3/(x + ...)))), cut at depth 40. Its
      value is the ratio B(x)/A(x) of two polynomials with positive integer
      coefficients from the three-term recurrence of continued fractions,
      A_k = x A_(k-1) + k A_(k-2), so the SQL is a flat sum (deeply nested
      SQL exceeds the parse depth of sqlfluff) and has no cancellation.
    - |x| > 38: Q(x) is below the smallest normal double, so it is 0.

    On a grid of step 0.001 over [-40, 40] the combination stays within 5e-16
    absolute and 3e-13 relative of scipy.stats.norm.sf;
    pytests/test_equity_stats.py checks 21 points to 1e-11 relative.
#}


{#- Return [series, numerator, denominator] coefficient lists (lowest power
    first) for wbl_normal_upper_tail: the series coefficients 1/(2k+1)!! of
    x^(2k), and the coefficients of B_40(x) and A_40(x). -#}
{% macro wbl_normal_tail_coefficients() -%}
    {%- set series = [] -%}
    {%- set state = namespace(double_factorial=1) -%}
    {%- for k in range(46) -%}
        {%- set state.double_factorial = state.double_factorial * (2 * k + 1) -%}
        {%- do series.append(1.0 / state.double_factorial) -%}
    {%- endfor -%}
    {#- A_(-1) = 1, A_0 = x; B_(-1) = 0, B_0 = 1. Lists hold integer coefficients. -#}
    {%- set fraction = namespace(
        a_previous=[1], a_current=[0, 1], b_previous=[0], b_current=[1]
    ) -%}
    {%- for k in range(1, 41) -%}
        {%- set a_next = [] -%}
        {%- set b_next = [] -%}
        {%- for i in range(fraction.a_current | length + 1) -%}
            {%- set shifted = fraction.a_current[i - 1] if i > 0 else 0 -%}
            {%- set carried = fraction.a_previous[i] if i < fraction.a_previous | length else 0 -%}
            {%- do a_next.append(shifted + k * carried) -%}
        {%- endfor -%}
        {%- for i in range(fraction.b_current | length + 1) -%}
            {%- set shifted = fraction.b_current[i - 1] if i > 0 else 0 -%}
            {%- set carried = fraction.b_previous[i] if i < fraction.b_previous | length else 0 -%}
            {%- do b_next.append(shifted + k * carried) -%}
        {%- endfor -%}
        {%- set fraction.a_previous = fraction.a_current -%}
        {%- set fraction.a_current = a_next -%}
        {%- set fraction.b_previous = fraction.b_current -%}
        {%- set fraction.b_current = b_next -%}
    {%- endfor -%}
    {{ return([series, fraction.b_current, fraction.a_current]) }}
{%- endmacro %}


{#- Render sum(coefficients[i] * base^(i * step)) as a flat SQL sum. -#}
{% macro wbl_polynomial(base, coefficients, step=1) -%}
    {%- set terms = [] -%}
    {%- for coefficient in coefficients -%}
        {%- if coefficient != 0 -%}
            {%- set power_of = loop.index0 * step -%}
            {%- set literal = '%.17g' | format(coefficient | float) -%}
            {%- if power_of == 0 -%}
                {%- do terms.append(literal) -%}
            {%- else -%}
                {%- do terms.append(literal ~ ' * power(' ~ base ~ ', ' ~ power_of ~ ')') -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    ({{ terms | join(' + ') }})
{%- endmacro %}


{#- Render the SQL expression for Q(x) = P(Z > x) of a standard normal Z.
    x must be a column name or another cheap expression: it is repeated many
    times in the output. -#}
{% macro wbl_normal_upper_tail(x) -%}
    {%- set coefficients = wbl_normal_tail_coefficients() -%}
    {%- set magnitude = 'abs(' ~ x ~ ')' -%}
    {%- set density = 'exp(-0.5 * ' ~ magnitude ~ ' * ' ~ magnitude ~ ') / sqrt(2 * pi())' -%}
    {%- set upper_tail = density ~ ' * ' ~ wbl_polynomial(magnitude, coefficients[1])
        ~ ' / ' ~ wbl_polynomial(magnitude, coefficients[2]) -%}
    (
        case
            when {{ x }} is null then null
            when {{ magnitude }} < 3.0
                then 0.5 - sign({{ x }}) * {{ density }} * {{ magnitude }}
                * {{ wbl_polynomial(magnitude, coefficients[0], 2) }}
            when {{ x }} > 38.0 then 0.0
            when {{ x }} < -38.0 then 1.0
            when {{ x }} > 0 then {{ upper_tail }}
            else 1.0 - {{ upper_tail }}
        end
    )
{%- endmacro %}


{#- Render the SQL expression for the two-sided p-value of a z statistic,
    2 * Q(|z|), computed from the upper tail so small p-values keep their
    relative precision. -#}
{% macro wbl_two_sided_p_value(z) -%}
    case
        when {{ z }} is not null
            then least(1.0, 2.0 * {{ wbl_normal_upper_tail('abs(' ~ z ~ ')') }})
    end
{%- endmacro %}


{#- Return Q(x) as a Python float at compile time, with the same expansions
    as wbl_normal_upper_tail. Jinja has no math module, so exp() is written as
    a power of e and sqrt() as a power of 0.5. -#}
{% macro wbl_normal_upper_tail_value(x) -%}
    {%- set e = 2.718281828459045 -%}
    {%- set pi = 3.141592653589793 -%}
    {%- set magnitude = x if x >= 0 else -x -%}
    {%- set density = e ** (-0.5 * magnitude * magnitude) / (2 * pi) ** 0.5 -%}
    {%- set state = namespace(value=1.0) -%}
    {%- if magnitude < 3.0 -%}
        {%- for k in range(45, 0, -1) -%}
            {%- set state.value = 1.0 + magnitude * magnitude / (2 * k + 1) * state.value -%}
        {%- endfor -%}
        {%- set upper = 0.5 - density * magnitude * state.value -%}
    {%- else -%}
        {%- set state.value = magnitude -%}
        {%- for k in range(40, 0, -1) -%}
            {%- set state.value = magnitude + k / state.value -%}
        {%- endfor -%}
        {%- set upper = density / state.value -%}
    {%- endif -%}
    {{ return(upper if x >= 0 else 1.0 - upper) }}
{%- endmacro %}


{#- Return Phi^-1(probability) as a Python float at compile time.

    Newton's method on the upper tail, started at 0: for a target tail
    q = min(p, 1 - p) below 1/2, Q is decreasing and convex on [0, inf), so
    every Newton step stays below the root and the iterates rise to it
    monotonically. The loop stops when a step is below 1e-15 (at most 200
    steps). pytests/test_equity_stats.py checks it against scipy.stats.norm.ppf
    to 1e-12 at 18 probabilities from 1e-12 to 1 - 1e-9. -#}
{% macro wbl_normal_quantile(probability) -%}
    {%- if probability is not number or probability <= 0 or probability >= 1 -%}
        {{ exceptions.raise_compiler_error(
            "wbl_normal_quantile: probability must be a number strictly between 0 and 1, got "
            ~ probability ~ "."
        ) }}
    {%- endif -%}
    {%- set e = 2.718281828459045 -%}
    {%- set pi = 3.141592653589793 -%}
    {%- set target = probability if probability < 0.5 else 1.0 - probability -%}
    {%- set state = namespace(z=0.0, done=false) -%}
    {%- for step in range(200) -%}
        {%- if not state.done -%}
            {%- set density = e ** (-0.5 * state.z * state.z) / (2 * pi) ** 0.5 -%}
            {%- set change = (wbl_normal_upper_tail_value(state.z) - target) / density -%}
            {%- set state.z = state.z + change -%}
            {%- if change < 1e-15 and change > -1e-15 -%}
                {%- set state.done = true -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {#- state.z solves Q(z) = target, so Phi^-1(target) = -state.z. -#}
    {{ return(state.z if probability > 0.5 else -state.z) }}
{%- endmacro %}


{#- Return the two-sided critical value z for a confidence level, read from
    var wbl:confidence_level unless given: Phi^-1(1 - (1 - level) / 2). -#}
{% macro wbl_critical_value(confidence_level=none) -%}
    {%- set level = confidence_level if confidence_level is not none
        else var('wbl:confidence_level', 0.95) -%}
    {%- if level is string -%}
        {%- set level = level | float -%}
    {%- endif -%}
    {%- if level <= 0 or level >= 1 -%}
        {{ exceptions.raise_compiler_error(
            "wbl:confidence_level must lie strictly between 0 and 1, got " ~ level
            ~ ". Set it in dbt_project.yml or with --vars."
        ) }}
    {%- endif -%}
    {{ return(wbl_normal_quantile(1.0 - (1.0 - level) / 2.0)) }}
{%- endmacro %}
