# Sourced by the scripts that start the packaged store against the dev engines (cds-classlist.sh,
# measure-startup.sh). Defines:
#   start_dev_engines <classpath> <work dir>  starts the four dev engines and the EventBridge endpoint in a JVM of
#       their own (io.webstore.dev.DevServicesProbe), which runs until its stdin, the fifo <work dir>/engines.in
#       held open on file descriptor 3, closes; waits until they are ready (2 minutes at most) and sets
#       `engines_ready` to their ready line and `engine_env` to the WEBSTORE_* variables pointing a store at them.
# The caller's EXIT trap closes descriptor 3 (`exec 3>&-`) to stop the engines.

start_dev_engines() {
  local cp=$1 work=$2
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
