#!/bin/sh
# KAFKA_* variables -> /var/lib/kafka/server.properties (apache/kafka's convention: strip KAFKA_,
# lower-case, ___ -> '-', __ -> '_', _ -> '.'), format the storage once, exec the broker as PID 1.
set -eu
props=/var/lib/kafka/server.properties
: > "$props"
env | grep '^KAFKA_' | grep -v '^KAFKA_HEAP_OPTS=\|^KAFKA_OPTS=' | while IFS='=' read -r name value; do
  key=$(printf '%s' "${name#KAFKA_}" | tr '[:upper:]' '[:lower:]' | sed 's/___/-/g; s/__/@/g; s/_/./g; s/@/_/g')
  printf '%s=%s\n' "$key" "$value" >> "$props"
done
grep -q '^log.dirs=' "$props" || echo "log.dirs=/var/lib/kafka/data" >> "$props"
logdir=$(sed -n 's/^log.dirs=//p' "$props" | cut -d, -f1)
java_opts="${KAFKA_HEAP_OPTS:--Xms64m -Xmx384m} -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${KAFKA_OPTS:-}"
if [ ! -f "$logdir/meta.properties" ]; then
  # shellcheck disable=SC2086
  java $java_opts -cp '/opt/kafka/libs/*' kafka.tools.StorageTool format \
    --cluster-id="${CLUSTER_ID:?CLUSTER_ID is needed to format the storage}" -c "$props" --ignore-formatted
fi
echo "starting Kafka node ${KAFKA_NODE_ID:-?} with:"; cat "$props"
# shellcheck disable=SC2086
exec java $java_opts -cp '/opt/kafka/libs/*' kafka.Kafka "$props"
