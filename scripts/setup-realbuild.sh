#!/usr/bin/env bash
# Prepares real image builds without a Docker engine (buildah + podman), for tests/realbuild:
# base images made offline with debootstrap by ../shared/tools/realbuild, and stand-ins made from
# Debian's packages (scripts/realbuild-images/), tagged with the names our Dockerfiles use.
# Only Debian's package mirror is used. About ten minutes on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
HERE=$PWD/scripts/realbuild-images
REALBUILD=${REALBUILD:-$(cd .. && pwd)/shared/tools/realbuild}
if [ ! -d "$REALBUILD" ]; then echo "no $REALBUILD: real-build tests will skip" >&2; exit 0; fi
WITH_JAVA=1 WITH_NODE=1 bash "$REALBUILD/make_base_images.sh" >/dev/null
. "$REALBUILD/env.sh"
tag() { podman image exists "$2" || podman tag "$1" "$2"; }
# build a stand-in from scripts/realbuild-images/<file>, unless one from this recipe exists (the
# label holds the recipe's hash, so a changed recipe is rebuilt)
stand_in() {
  local file=$1; shift
  local have want
  want=$(sha256sum "$HERE/$file" | cut -c1-16)
  have=$(podman image inspect --format '{{index .Labels "dockerfile-stages.stand-in"}}' "$1" 2>/dev/null || true)
  [ "$have" = "$want" ] && return 0
  local tags=(); for name in "$@"; do tags+=(-t "$name"); done
  buildah build $BUILD_FLAGS --pull=never --layers --label "dockerfile-stages.stand-in=$want" "${tags[@]}" \
    -f "$HERE/$file" "$HERE" >/dev/null
}
tag localhost/gcc:bookworm docker.io/library/gcc:13
tag localhost/golang:1.19-bookworm docker.io/library/golang:1.19-bookworm
tag localhost/golang:1.19-bookworm docker.io/library/golang:1.19
tag localhost/maven:3-jdk17 docker.io/library/maven:3-jdk17
tag localhost/jre:17 docker.io/library/eclipse-temurin:17-jre
tag localhost/debian:bookworm-slim docker.io/library/debian:bookworm-slim
tag localhost/debian:bookworm-slim docker.io/library/debian:bookworm
stand_in node-yarn.Dockerfile docker.io/library/node:18-bookworm docker.io/library/node:18
stand_in node-slim.Dockerfile docker.io/library/node:18-slim
stand_in python.Dockerfile docker.io/library/python:3.11
stand_in python-slim.Dockerfile docker.io/library/python:3.11-slim
stand_in rust.Dockerfile docker.io/library/rust:1.63
stand_in distroless-static.Dockerfile gcr.io/distroless/static-debian12
stand_in busybox.Dockerfile docker.io/library/busybox:stable
podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}'
