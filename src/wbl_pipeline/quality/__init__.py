"""Quality gate: Great Expectations suites generated from the reference seeds,
a checkpoint that validates the built DuckDB marts, and the `wbl gate` command.

Modules: config (thresholds and severities), suites (suite generation),
checkpoint (loading marts and running GX), summary (readable results),
gate (dbt build, then checkpoint, then exit status).
"""

import logging

# GX logs every registration step on import and every datasource operation at
# INFO, which would bury the gate summary, so its logger starts at WARNING.
logging.getLogger("great_expectations").setLevel(logging.WARNING)
