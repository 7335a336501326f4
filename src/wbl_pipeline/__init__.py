"""Tools beside the WBL equity dbt project: sample generator, quality gate,
disclosure audit, district extracts and benchmarks."""
