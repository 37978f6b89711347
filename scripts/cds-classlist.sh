#!/usr/bin/env bash
# Regenerates src/main/cds/webstore.classlist, the classes the store loads from JVM start to ready (demo data on),
# from which `make package` dumps the class-data-sharing archive target/webstore.jsa (scripts/cds-archive.sh).
# Run it after changes that load many new classes at start-up (a new feature, a new SDK client, a new library): a
# stale list stays correct (a class it names that is gone is skipped, a class it misses loads as usual, unshared)
# but saves less. Needs `make package` and `make engines-deps` first; the engines start in a JVM of their own.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=src/main/cds/webstore.classlist
CP_FILE=target/test-classpath.txt
${MVN:-./mvnw} -B -q test-compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >/dev/null
CP="target/classes:target/test-classes:$(cat "$CP_FILE")"
source scripts/dev-engines.sh
start_dev_engines "$CP"

# the production main from the packaged jar, as the bench and `java -jar` run it
WEBSTORE_PROFILE=dev WEBSTORE_HTTP_PORT=0 WEBSTORE_MANAGEMENT_PORT=0 WEBSTORE_DEMO_ENABLED=true \
  WEBSTORE_ADMIN_PASSWORD=Classlist-admin-1 WEBSTORE_HTTP_SHUTDOWN_GRACE_MS=0 \
  env "${engine_env[@]}" java -Xshare:off -XX:DumpLoadedClassList="$work/classes.lst" -jar target/webstore.jar >"$work/store.log" 2>&1 &
store_pid=$!
for _ in $(seq 1 480); do grep -q "webstore.ready\|webstore.start.failed" "$work/store.log" && break; sleep 0.25; done
grep -q "webstore.ready" "$work/store.log" || { cat "$work/store.log"; exit 1; }
kill -TERM "$store_pid"
wait "$store_pid" || true
store_pid=""
{
  echo "# classes loaded by the store from JVM start to ready (scripts/cds-classlist.sh; $(java -version 2>&1 | head -1))"
  grep -v '^#' "$work/classes.lst"
} >"$OUT"
echo "$OUT: $(grep -vc '^#' "$OUT") classes"
