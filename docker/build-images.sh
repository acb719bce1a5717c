#!/usr/bin/env bash
# Builds the local images the containers mode is tested with, from nothing but Debian's mirror and
# Maven Central (no image registry is needed):
#   1. cdc-chaos/debian:bookworm  debootstrap --variant=minbase, loaded with `docker import`
#   2. cdc-chaos/jre:17           + Debian's openjdk-17-jre-headless
#   3. cdc-chaos/postgres:15      + Debian's postgresql-15, started like the official image
#   4. cdc-chaos/kafka:4.1.1      + the Maven-resolved kafka_2.13 jars, KRaft, apache/kafka's env
#   5. cdc-chaos/toxiproxy:dev    + the project's Toxiproxy-API server (harness ...net.ToxiproxyServer)
# Idempotent: an image whose tag exists with the same inputs (label cdc-chaos.inputs, a hash of its
# build context) is kept; --force rebuilds everything. Tags are pinned in docker/images.env.
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
hash_dir() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16); }

WORK=$(mktemp -d /tmp/cdc-chaos-images.XXXXXX)
trap 'as_root rm -rf "$WORK"' EXIT

# build IMAGE CONTEXT_DIR [--build-arg ...]: skipped when the tag exists with the same inputs
build() {
  local image=$1 context=$2; shift 2
  local s; s=$(now)
  local inputs; inputs=$(hash_dir "$context")
  if ! $FORCE && exists "$image" && [ "$(label "$image")" = "$inputs" ]; then
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

# 2. the JRE layer, 3. Postgres
build "$JRE_IMAGE" jre --build-arg "BASE_IMAGE=$BASE_IMAGE"
build "$POSTGRES_IMAGE" postgres --build-arg "BASE_IMAGE=$BASE_IMAGE"

# 4./5. the jars, resolved by Maven (from ~/.m2 when it has them)
s=$(now)
mkdir -p "$WORK/kafka/libs" "$WORK/toxiproxy/libs" "$WORK/toxiproxy/classes"
cp kafka/Dockerfile kafka/run.sh "$WORK/kafka/"
cp toxiproxy/Dockerfile "$WORK/toxiproxy/"
"$ROOT/mvnw" -B -q -f "$DOCKER_DIR/pom.xml" -N -Pkafka dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$WORK/kafka/libs"
"$ROOT/mvnw" -B -q -f "$DOCKER_DIR/pom.xml" -N -Ptoxiproxy dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$WORK/toxiproxy/libs"
# only the server's own classes: javac follows what ToxiproxyServer references, nothing else
javac --release 17 -nowarn -d "$WORK/toxiproxy/classes" \
  -cp "$WORK/toxiproxy/libs/*" -sourcepath "$ROOT/harness/src/main/java" -implicit:class \
  "$ROOT/harness/src/main/java/dev/cdcchaos/harness/net/ToxiproxyServer.java"
# class files carry no timestamps, so the hash only changes with the sources or the jars
step "jars and classes (Maven, javac)" "$s"

build "$KAFKA_IMAGE" "$WORK/kafka" --build-arg "JRE_IMAGE=$JRE_IMAGE"
build "$TOXIPROXY_IMAGE" "$WORK/toxiproxy" --build-arg "JRE_IMAGE=$JRE_IMAGE"

step all "$T0"
