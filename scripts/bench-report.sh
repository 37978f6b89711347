#!/usr/bin/env bash
# `make bench-report`: renders target/bench/report.html (self-contained, inline SVG) from target/bench/latest.json,
# or from the results file given as BENCH_RESULTS.
set -euo pipefail
cd "$(dirname "$0")/.."
RESULTS=${BENCH_RESULTS:-target/bench/latest.json}
[ -f "$RESULTS" ] || { echo "no $RESULTS: run make bench first" >&2; exit 1; }
CP_FILE=target/test-classpath.txt
if [ ! -f "$CP_FILE" ] || [ ! -f target/test-classes/io/webstore/bench/BenchReport.class ]; then
  ${MVN:-./mvnw} -B -q test-compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE" \
    -Dmdep.includeScope=test >/dev/null
fi
java -cp "target/test-classes:target/classes:$(cat "$CP_FILE")" io.webstore.bench.BenchReport "$RESULTS" \
  target/bench/report.html
