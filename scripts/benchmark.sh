#!/usr/bin/env bash
# Measure generation and build time at several scales and print Markdown rows
# for docs/benchmarks.md. Usage: scripts/benchmark.sh [SCALE ...]
# Each scale generates every district (`--all-districts`), so 3.5 is about
# one million high-school students a year. Run it on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
export DBT_SEND_ANONYMOUS_USAGE_STATS=False DO_NOT_TRACK=1 GX_ANALYTICS_ENABLED=false
scales=("$@")
if [ ${#scales[@]} -eq 0 ]; then
    scales=(0.1 0.35)
fi
echo "| scale | all_districts | student_records | wbl_experiences | generate_seconds | build_seconds | build_peak_rss_mib | machine |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
for scale in "${scales[@]}"; do
    .venv/bin/wbl benchmark --scale "$scale" --all-districts
done
