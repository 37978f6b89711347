#!/usr/bin/env bash
# `make bench`: builds the runnable jar (target/webstore.jar + target/lib) and the bench classes, then runs
# io.webstore.bench.BenchMain in a JVM of its own, which starts the engines, the ceiling and the store (from the jar)
# as further JVMs, drives them, prints RESULT lines and writes target/bench/results-<time>.json and latest.json.
# Knobs (environment, set by the Makefile): BENCH_WARMUP, BENCH_PROBE, BENCH_SECONDS (seconds), BENCH_RUNS,
# BENCH_CONNECTIONS, BENCH_LANES, BENCH_HEAP (the store's -Xmx), BENCH_STORE_OPTS (more JVM flags for the store),
# BENCH_CDS (on: the store maps target/webstore.jsa; off: it loads every class from the jars).
set -euo pipefail
cd "$(dirname "$0")/.."
CP_FILE=target/test-classpath.txt
${MVN:-./mvnw} -B -q -DskipTests package dependency:build-classpath -Dmdep.outputFile="$CP_FILE" \
  -Dmdep.includeScope=test >/dev/null
# the store starts with the class-data-sharing archive of `make package` (BENCH_CDS=off: without it)
STORE_OPTS="${BENCH_STORE_OPTS:-}"
if [ "${BENCH_CDS:-on}" != off ]; then
  scripts/cds-archive.sh
  STORE_OPTS="-XX:SharedArchiveFile=target/webstore.jsa $STORE_OPTS"
fi
CP="target/test-classes:target/classes:$(cat "$CP_FILE")"
exec java -Xmx1g -cp "$CP" \
  -Dbench.warmupSeconds="${BENCH_WARMUP:-5}" -Dbench.probeSeconds="${BENCH_PROBE:-5}" \
  -Dbench.seconds="${BENCH_SECONDS:-10}" -Dbench.runs="${BENCH_RUNS:-3}" \
  -Dbench.connections="${BENCH_CONNECTIONS:-64}" -Dbench.lanes="${BENCH_LANES:-2}" \
  -Dbench.storeHeap="${BENCH_HEAP:-384m}" -Dbench.storeJavaOpts="$STORE_OPTS" \
  io.webstore.bench.BenchMain
