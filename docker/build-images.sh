#!/usr/bin/env bash
# Builds the local images the containers mode is tested with, from nothing but Debian's mirror and
# Maven Central (no image registry is needed):
#   1. cdc-chaos/debian:bookworm  debootstrap --variant=minbase, loaded with `docker import`
#   2. cdc-chaos/jre:17           + Debian's openjdk-17-jre-headless
#   3. cdc-chaos/postgres:15      + Debian's postgresql-15, started like the official image
#   4. cdc-chaos/kafka:4.1.1      + the Maven-resolved kafka_2.13 jars, KRaft, apache/kafka's env
#   5. cdc-chaos/toxiproxy:dev    + the project's Toxiproxy-API server (harness ...net.ToxiproxyServer)
# Idempotent: an image whose tag exists with the same inputs (label cdc-chaos.inputs, a hash of its
# files, the poms, the server's sources and its parent image's id) is kept, and the Maven step is skipped
# when nothing needs it; --force rebuilds everything. Tags are pinned in docker/images.env.
# Each step prints its time.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
DOCKER_DIR=$(pwd)
ROOT=$(cd .. && pwd)
# shellcheck source=images.env
. ./images.env
FORCE=false
[ "${1:-}" = --force ] && FORCE=true

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
now() { date +%s.%N; }
T0=$(now)
step() { # step NAME START
  awk -v a="$(now)" -v b="$2" -v n="$1" 'BEGIN { printf "images: %-36s %6.1f s\n", n, a - b }'
}
exists() { docker image inspect "$1" >/dev/null 2>&1; }
label() { docker image inspect -f '{{index .Config.Labels "cdc-chaos.inputs"}}' "$1" 2>/dev/null || true; }

WORK=$(mktemp -d /tmp/cdc-chaos-images.XXXXXX)
trap 'as_root rm -rf "$WORK"' EXIT

# hash_files FILE...: one key for a list of files (sorted by name)
hash_files() { sha256sum "$@" | sort -k2 | sha256sum | cut -c1-16; }
# fresh IMAGE KEY: the tag exists and was built from inputs with this key
fresh() { ! $FORCE && exists "$1" && [ "$(label "$1")" = "$2" ]; }

# build IMAGE CONTEXT_DIR KEY [--build-arg ...]: skipped when fresh
build() {
  local image=$1 context=$2 inputs=$3; shift 3
  local s; s=$(now)
  if fresh "$image" "$inputs"; then
    step "$image (kept)" "$s"; return
  fi
  docker build -q --label "cdc-chaos.inputs=$inputs" -t "$image" "$@" "$context" >/dev/null
  step "$image" "$s"
}

# 1. the base
s=$(now)
if $FORCE || ! exists "$BASE_IMAGE"; then
  command -v debootstrap >/dev/null || { echo "images: debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }
  as_root debootstrap --variant=minbase bookworm "$WORK/rootfs" "$DEBIAN_MIRROR" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -20 "$WORK/debootstrap.log" >&2; exit 1; }
  as_root tar -C "$WORK/rootfs" -c . | docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8' \
    -c 'CMD ["/bin/bash"]' - "$BASE_IMAGE" >/dev/null
  as_root rm -rf "$WORK/rootfs"
  step "$BASE_IMAGE" "$s"
else
  step "$BASE_IMAGE (kept)" "$s"
fi

# 2. the JRE layer, 3. Postgres (keys: their own files and the base image's id)
BASE_ID=$(docker image inspect -f '{{.Id}}' "$BASE_IMAGE" | cut -c8-19)
build "$JRE_IMAGE" jre "$(hash_files jre/*)-$BASE_ID" --build-arg "BASE_IMAGE=$BASE_IMAGE"
build "$POSTGRES_IMAGE" postgres "$(hash_files postgres/*)-$BASE_ID" --build-arg "BASE_IMAGE=$BASE_IMAGE"

# 4./5. keys from what goes in: the files here, the poms (versions), the server's sources, the JRE
JRE_ID=$(docker image inspect -f '{{.Id}}' "$JRE_IMAGE" | cut -c8-19)
KAFKA_KEY="$(hash_files kafka/* pom.xml "$ROOT/pom.xml")-$JRE_ID"
TOXIPROXY_KEY="$(hash_files toxiproxy/* pom.xml "$ROOT/pom.xml" "$ROOT"/harness/src/main/java/dev/cdcchaos/harness/net/*.java "$ROOT/harness/src/main/java/dev/cdcchaos/harness/BadInputException.java")-$JRE_ID"
if fresh "$KAFKA_IMAGE" "$KAFKA_KEY" && fresh "$TOXIPROXY_IMAGE" "$TOXIPROXY_KEY"; then
  step "$KAFKA_IMAGE (kept)" "$(now)"
  step "$TOXIPROXY_IMAGE (kept)" "$(now)"
  step all "$T0"
  exit 0
fi
# the jars, resolved by Maven (from ~/.m2 when it has them), and the server's classes
s=$(now)
mkdir -p "$WORK/kafka/libs" "$WORK/toxiproxy/libs" "$WORK/toxiproxy/classes"
cp kafka/Dockerfile kafka/run.sh "$WORK/kafka/"
cp toxiproxy/Dockerfile "$WORK/toxiproxy/"
# one Maven run for both (a JVM start is seconds on a busy 2-core box): the broker's jars with the
# managed Jackson, of which the Toxiproxy server needs only Jackson
"$ROOT/mvnw" -B -q -f "$DOCKER_DIR/pom.xml" -N -Pkafka,toxiproxy dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$WORK/kafka/libs"
cp "$WORK"/kafka/libs/jackson-core-*.jar "$WORK"/kafka/libs/jackson-databind-*.jar \
  "$WORK"/kafka/libs/jackson-annotations-*.jar "$WORK/toxiproxy/libs/"
# only the server's own classes: javac follows what ToxiproxyServer references, nothing else
javac --release 17 -nowarn -Xlint:none -d "$WORK/toxiproxy/classes" \
  -cp "$WORK/toxiproxy/libs/*" -sourcepath "$ROOT/harness/src/main/java" -implicit:class \
  "$ROOT/harness/src/main/java/dev/cdcchaos/harness/net/ToxiproxyServer.java" 2>&1 | grep -v '^Note:' || true
step "jars and classes (Maven, javac)" "$s"

build "$KAFKA_IMAGE" "$WORK/kafka" "$KAFKA_KEY" --build-arg "JRE_IMAGE=$JRE_IMAGE"
build "$TOXIPROXY_IMAGE" "$WORK/toxiproxy" "$TOXIPROXY_KEY" --build-arg "JRE_IMAGE=$JRE_IMAGE"

step all "$T0"
