"""Quality gate: Great Expectations suites generated from the reference seeds,
a checkpoint that validates the built DuckDB marts, and the `wbl gate` command.

Modules: config (thresholds and severities), suites (suite generation),
checkpoint (loading marts and running GX), summary (readable results),
gate (dbt build, then checkpoint, then exit status).
"""
