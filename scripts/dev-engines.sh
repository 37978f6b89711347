# Sourced by the scripts that start the packaged store against the dev engines (cds-classlist.sh,
# measure-startup.sh). Sourcing it makes `work`, a temporary directory, and an EXIT trap that stops the store started
# as `store_pid` (if set) and the engines, and removes `work`. Defines:
#   start_dev_engines <classpath>  starts the four dev engines and the EventBridge endpoint in a JVM of
#       their own (io.webstore.dev.DevServicesProbe), which runs until its stdin, the fifo $work/engines.in
#       held open on file descriptor 3, closes; waits until they are ready (2 minutes at most) and sets
#       `engines_ready` to their ready line and `engine_env` to the WEBSTORE_* variables pointing a store at them.

work=$(mktemp -d)
_dev_engines_cleanup() {
  [ -n "${store_pid:-}" ] && kill "$store_pid" 2>/dev/null || true
  exec 3>&- 2>/dev/null || true
  rm -rf "$work"
}
trap _dev_engines_cleanup EXIT

start_dev_engines() {
  local cp=$1
  mkfifo "$work/engines.in"
  java -cp "$cp" io.webstore.dev.DevServicesProbe <"$work/engines.in" >"$work/engines.log" 2>&1 &
  exec 3>"$work/engines.in"
  for _ in $(seq 1 240); do grep -q "devservices.ready" "$work/engines.log" && break; sleep 0.5; done
  engines_ready=$(grep -o "devservices.ready.*" "$work/engines.log") \
    || { cat "$work/engines.log"; echo "dev engines not ready after 2 minutes"; return 1; }
  engine_env=(
    WEBSTORE_AWS_DYNAMODB_ENDPOINT="$(_engine_field dynamo)"
    WEBSTORE_AWS_SQS_ENDPOINT="$(_engine_field sqs)"
    WEBSTORE_AWS_EVENTBRIDGE_ENDPOINT="$(_engine_field eventbridge)"
    WEBSTORE_KAFKA_BOOTSTRAP_SERVERS="$(_engine_field kafka)"
    WEBSTORE_REDIS_URI="$(_engine_field redis)"
  )
}

_engine_field() { sed -E "s/.* $1=([^ ]+).*/\\1/" <<<"$engines_ready"; }
