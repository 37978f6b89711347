#!/usr/bin/env bash
# Measures, on this machine: the dev engines' start-up time, then the store's time from JVM start to ready (engines
# already up, demo data off) and its resident memory once ready, over RUNS starts (default 3; the median is what to
# quote). The store runs as `make bench` runs it: the packaged jar (`make package`: target/webstore.jar, lib/ and the
# class-data-sharing archive target/webstore.jsa), production main, -Xmx384m. CDS=off starts it without the archive
# (to compare, in the same run: CDS=both alternates the two). Used by `make startup-metrics`.
# BASE=<dir> compares against another build in the same run: a directory holding its webstore.jar and lib/ (copy
# them from an earlier `make package`); its archive is dumped there, and each run starts that build, then this one
# (CDS as set, with CDS=on for both). JAVA_FLAGS adds JVM flags to every start (a profile: -XX:StartFlightRecording);
# each start's log is kept in target/bench/startup/. With a build that stamps its boot steps (at_ms=, cpu_ms=), the
# medians of when each step began and of the CPU spent by then are printed too.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
CDS=${CDS:-on}
BUILD=${BUILD:-target}
CP_FILE="$BUILD/test-classpath.txt"
${MVN:-./mvnw} -B -q -DskipTests package dependency:build-classpath -Dmdep.outputFile="$CP_FILE" \
  -Dmdep.includeScope=test >/dev/null
[ "$CDS" = off ] || scripts/cds-archive.sh
BASE=${BASE:-}
if [ -n "$BASE" ]; then
  [ "$CDS" = both ] && { echo "BASE compares two builds with one CDS setting: CDS=on or CDS=off"; exit 2; }
  [ "$CDS" = off ] || JAR="$BASE/webstore.jar" ARCHIVE="$BASE/webstore.jsa" scripts/cds-archive.sh
fi
CP="$BUILD/classes:$BUILD/test-classes:$(cat "$CP_FILE")"
source scripts/dev-engines.sh
start_dev_engines "$CP"
echo "engines: ${engines_ready##* in }"

case "$CDS" in
  on) variants=(on) ;;
  off) variants=(off) ;;
  both) variants=(off on) ;;
  *) echo "CDS must be on, off or both (got $CDS)"; exit 2 ;;
esac
[ -n "$BASE" ] && variants=("base-$CDS" "$CDS")
declare -A times cpus step_at step_cpu
read -r -a extra <<<"${JAVA_FLAGS:-}"
for run in $(seq 1 "$RUNS"); do
  for variant in "${variants[@]}"; do
    dir=$BUILD
    [ "${variant#base-}" != "$variant" ] && dir=$BASE
    flags=(-Xmx384m "${extra[@]}")
    # -Xshare:on: a start that cannot map the archive (another JVM, a rebuilt jar) fails instead of going without
    [ "${variant#base-}" = on ] && flags+=(-Xshare:on -XX:SharedArchiveFile="$dir/webstore.jsa")
    log="$work/store-$variant-$run.log"
    WEBSTORE_PROFILE=dev WEBSTORE_HTTP_PORT=0 WEBSTORE_MANAGEMENT_PORT=0 WEBSTORE_DEMO_ENABLED=false \
      WEBSTORE_ADMIN_PASSWORD=Measure-admin-1 WEBSTORE_HTTP_SHUTDOWN_GRACE_MS=0 \
      env "${engine_env[@]}" java "${flags[@]}" -jar "$dir/webstore.jar" >"$log" 2>&1 &
    store_pid=$!
    for _ in $(seq 1 480); do
      grep -q "webstore.ready\|webstore.start.failed" "$log" 2>/dev/null && break
      sleep 0.25
    done
    grep -q "webstore.ready" "$log" || { cat "$log"; exit 1; }
    ms=$(grep -o "since_jvm_start_ms=[0-9]*" "$log" | cut -d= -f2)
    # CPU seconds the JVM spent until ready (all its threads): steadier than the wall time on a busy machine
    cpu_ms=$(awk -v tick="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / tick) }' "/proc/$store_pid/stat")
    echo "store: cds=$variant run=$run since_jvm_start_ms=$ms cpu_ms=$cpu_ms rss_mb=$(( $(ps -o rss= -p "$store_pid") / 1024 )) load=$(cut -d' ' -f1 /proc/loadavg)"
    mkdir -p "$BUILD/bench/startup" && cp "$log" "$BUILD/bench/startup/"
    kill -TERM "$store_pid"
    wait "$store_pid" || { echo "store: SIGTERM -> exit $?"; exit 1; }
    store_pid=""
    times[$variant]="${times[$variant]:-} $ms"
    cpus[$variant]="${cpus[$variant]:-} $cpu_ms"
    # each boot step's stamp (a build whose log lines carry at_ms= and cpu_ms=): where this start's time went
    while read -r step at cpu; do
      step_at["$variant $step"]="${step_at["$variant $step"]:-} $at"
      step_cpu["$variant $step"]="${step_cpu["$variant $step"]:-} $cpu"
    done < <(sed -nE 's/.*webstore\.boot step=(clients|provision|features|after-deploy|http) .*at_ms=([0-9]+) cpu_ms=([0-9]+).*/\1 \2 \3/p' "$log")
  done
done
median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
for variant in "${variants[@]}"; do
  echo "store: cds=$variant start to ready median $(median "${times[$variant]}") ms, cpu median" \
    "$(median "${cpus[$variant]}") ms over $RUNS runs (SIGTERM -> exit 0 each time)"
  for step in clients provision features after-deploy http; do
    [ -n "${step_at["$variant $step"]:-}" ] || continue
    echo "store: cds=$variant step=$step begins at median $(median "${step_at["$variant $step"]}") ms," \
      "cpu so far median $(median "${step_cpu["$variant $step"]}") ms"
  done
done
