#!/usr/bin/env bash
# Prepares real image builds without a Docker engine (buildah + podman), for tests/realbuild:
# base images made offline with debootstrap by ../shared/tools/realbuild, tagged with the names our
# example Dockerfiles use, plus a node "slim" runtime (Debian's nodejs without npm). A few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
REALBUILD=${REALBUILD:-$(cd .. && pwd)/shared/tools/realbuild}
if [ ! -d "$REALBUILD" ]; then echo "no $REALBUILD: real-build tests will skip" >&2; exit 0; fi
WITH_JAVA=1 WITH_NODE=1 bash "$REALBUILD/make_base_images.sh" >/dev/null
. "$REALBUILD/env.sh"
tag() { podman image exists "$2" || podman tag "$1" "$2"; }
tag localhost/gcc:bookworm docker.io/library/gcc:13
tag localhost/golang:1.19-bookworm docker.io/library/golang:1.19-bookworm
tag localhost/maven:3-jdk17 docker.io/library/maven:3-jdk17
tag localhost/jre:17 docker.io/library/eclipse-temurin:17-jre
tag localhost/node:18-bookworm docker.io/library/node:18-bookworm
tag localhost/debian:bookworm-slim docker.io/library/debian:bookworm-slim
if ! podman image exists docker.io/library/node:18-slim; then
  printf 'FROM localhost/debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends nodejs && rm -rf /var/lib/apt/lists/*\n' \
    | buildah build $BUILD_FLAGS -t docker.io/library/node:18-slim -f - >/dev/null
fi
podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}'
