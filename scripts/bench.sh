#!/usr/bin/env bash
# `make bench`: builds the runnable jar (target/webstore.jar + target/lib) and the bench classes, then runs
# io.webstore.bench.BenchMain in a JVM of its own, which starts the engines, the ceiling and the store (from the jar)
# as further JVMs, drives them, prints RESULT lines and writes target/bench/results-<time>.json and latest.json.
# Knobs (environment, set by the Makefile): BENCH_WARMUP, BENCH_PROBE, BENCH_SECONDS (seconds), BENCH_RUNS,
# BENCH_CONNECTIONS, BENCH_LANES, BENCH_HEAP (the store's -Xmx), BENCH_STORE_OPTS (more JVM flags for the store),
# BENCH_GENERATOR_CPUS and BENCH_SERVER_CPUS (taskset CPU lists: the generator's JVM on the first, the engines, store
# and ceiling on the second; both unset: every JVM on every core), BENCH_GENERATOR_OPTS (more JVM flags for the
# generator's JVM, e.g. a flight recording).
# BENCH_CDS (on: the store maps target/webstore.jsa; off: it loads every class from the jars).
set -euo pipefail
cd "$(dirname "$0")/.."
PIN=()
if [ -n "${BENCH_GENERATOR_CPUS:-}" ] || [ -n "${BENCH_SERVER_CPUS:-}" ]; then
  if [ -z "${BENCH_GENERATOR_CPUS:-}" ] || [ -z "${BENCH_SERVER_CPUS:-}" ]; then
    echo "bench: set both BENCH_GENERATOR_CPUS and BENCH_SERVER_CPUS (e.g. 1 and 0), or neither" >&2
    exit 2
  fi
  command -v taskset >/dev/null || { echo "bench: CPU sets need taskset (util-linux)" >&2; exit 2; }
  PIN=(taskset -c "$BENCH_GENERATOR_CPUS")
fi
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
# shellcheck disable=SC2086 # BENCH_GENERATOR_OPTS is a list of JVM flags
exec "${PIN[@]}" java -Xmx1g ${BENCH_GENERATOR_OPTS:-} -cp "$CP" \
  -Dbench.warmupSeconds="${BENCH_WARMUP:-5}" -Dbench.probeSeconds="${BENCH_PROBE:-5}" \
  -Dbench.seconds="${BENCH_SECONDS:-10}" -Dbench.runs="${BENCH_RUNS:-3}" \
  -Dbench.connections="${BENCH_CONNECTIONS:-64}" -Dbench.lanes="${BENCH_LANES:-2}" \
  -Dbench.storeHeap="${BENCH_HEAP:-384m}" -Dbench.storeJavaOpts="$STORE_OPTS" \
  -Dbench.generatorCpus="${BENCH_GENERATOR_CPUS:-all}" -Dbench.serverCpus="${BENCH_SERVER_CPUS:-}" \
  -Dbench.only="${BENCH_ONLY:-}" \
  io.webstore.bench.BenchMain
