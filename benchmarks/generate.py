"""Generated multi-stage Dockerfiles of a given size, for benchmarks."""

from __future__ import annotations

STAGE_TEMPLATE = [
    "FROM golang:1.21 AS build{n}",
    "WORKDIR /src/{n}",
    "COPY go.mod go.sum ./",
    "RUN --mount=type=cache,target=/go/pkg/mod \\",
    "    go mod download",
    "# build the binary for stage {n}",
    "RUN CGO_ENABLED=0 go build -o /out/app{n} ./cmd/{n} && \\",
    "    strip /out/app{n}",
    "COPY <<EOF /etc/app{n}.conf",
    "name=app{n}",
    "EOF",
    "ENV APP_{n}=1 MODE=release",
    "",
]


def generate(lines: int) -> str:
    """About ``lines`` lines: stages that build, each copying from the one before."""
    out = ["# syntax=docker/dockerfile:1", "ARG GO_VERSION=1.21", ""]
    stage = 0
    while len(out) < lines - 4:
        block = [line.format(n=stage) for line in STAGE_TEMPLATE]
        if stage:
            block.insert(2, f"COPY --from=build{stage - 1} /out/app{stage - 1} /usr/local/bin/")
        out.extend(block)
        stage += 1
    out += ["FROM scratch", f"COPY --from=build{max(stage - 1, 0)} /out/ /", 'ENTRYPOINT ["/app0"]']
    return "\n".join(out[:lines]) + "\n"
