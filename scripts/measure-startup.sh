#!/usr/bin/env bash
# Measures, on this machine: the dev engines' start-up time, the store's time from JVM start to ready (engines
# already up, demo data off) and its resident memory once ready. Used by `make startup-metrics`.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-target}
CP_FILE="$BUILD/test-classpath.txt"
${MVN:-./mvnw} -B -q test-compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >/dev/null
CP="$BUILD/classes:$BUILD/test-classes:$(cat "$CP_FILE")"
work=$(mktemp -d)
mkfifo "$work/engines.in"
cleanup() {
  [ -n "${store_pid:-}" ] && kill "$store_pid" 2>/dev/null || true
  exec 3>&- 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# the engines run in a JVM of their own until its stdin (our fifo) closes
java -cp "$CP" io.webstore.dev.DevServicesProbe <"$work/engines.in" >"$work/engines.log" 2>&1 &
exec 3>"$work/engines.in"
for _ in $(seq 1 120); do grep -q "devservices.ready" "$work/engines.log" && break; sleep 0.5; done
ready=$(grep -o "devservices.ready.*" "$work/engines.log")
echo "engines: ${ready##* in }"
dynamo=$(sed -E 's/.*dynamo=([^ ]+).*/\1/' <<<"$ready")
sqs=$(sed -E 's/.*sqs=([^ ]+).*/\1/' <<<"$ready")
kafka=$(sed -E 's/.*kafka=([^ ]+).*/\1/' <<<"$ready")
redis=$(sed -E 's/.*redis=([^ ]+).*/\1/' <<<"$ready")

WEBSTORE_PROFILE=dev WEBSTORE_HTTP_PORT=0 WEBSTORE_MANAGEMENT_PORT=0 WEBSTORE_DEMO_ENABLED=false WEBSTORE_ADMIN_PASSWORD=Measure-admin-1 \
  WEBSTORE_AWS_DYNAMODB_ENDPOINT="$dynamo" WEBSTORE_AWS_SQS_ENDPOINT="$sqs" WEBSTORE_KAFKA_BOOTSTRAP_SERVERS="$kafka" \
  WEBSTORE_REDIS_URI="$redis" java -cp "$CP" io.webstore.WebStore >"$work/store.log" 2>&1 &
store_pid=$!
for _ in $(seq 1 240); do grep -q "webstore.ready" "$work/store.log" && break; sleep 0.25; done
grep -o "webstore.ready.*" "$work/store.log" | sed 's/^/store: /'
echo "store RSS after ready: $(( $(ps -o rss= -p "$store_pid") / 1024 )) MB"
kill -TERM "$store_pid"
wait "$store_pid" && echo "store: SIGTERM -> exit 0" || echo "store: exit $?"
store_pid=""
