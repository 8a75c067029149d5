"""What the server's start-up scan of build files costs: a generated monorepo of N services, each
with a Dockerfile, a Compose file, a Bake file, a Makefile and a script, plus one CI workflow.

    PYTHONPATH=server python benchmarks/workspace_scan.py [SERVICES] [RUNS]

Prints the median over RUNS of the file-name walk and of reading + parsing + resolving every build
file, and the figures per build file.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from dockerfile_stages.workspace.build_files import load_all, scan

DOCKERFILE = "FROM golang:1.22 AS builder\nRUN go build -o /app .\nFROM alpine:3.19 AS debug\nFROM scratch AS release\n"


def make_repo(root: Path, services: int) -> None:
    steps = []
    for n in range(services):
        service = root / "services" / f"svc{n}"
        (service / "src").mkdir(parents=True)
        for i in range(20):  # source files the walk passes over
            (service / "src" / f"file{i}.go").write_text("package main\n")
        (service / "Dockerfile").write_text(DOCKERFILE)
        (service / "compose.yaml").write_text("services:\n  app:\n    build:\n      context: .\n      target: debug\n")
        (service / "docker-bake.hcl").write_text('target "app" {\n  context = "."\n  target = "release"\n}\n')
        (service / "Makefile").write_text("image:\n\tdocker build --target builder .\n")
        (service / "build.sh").write_text("#!/bin/sh\ndocker buildx build --target=release -t app .\n")
        steps.append(f"      - run: docker build --target release services/svc{n}\n")
    workflows = root / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "ci.yml").write_text(
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n" + "".join(steps)
    )


def main() -> None:
    services = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        make_repo(root, services)
        walks, loads = [], []
        for _ in range(runs):
            start = time.perf_counter()
            files = scan(root)
            walked = time.perf_counter()
            index = load_all(files, root=root)
            loads.append(time.perf_counter() - walked)
            walks.append(walked - start)
        builds = sum(len(entry.builds) for entry in index.entries())
        walk, load = statistics.median(walks), statistics.median(loads)
        print(f"services: {services}, build files: {len(files)}, builds: {builds}, runs: {runs}")
        print(f"walk (names only): median {walk * 1000:.0f} ms")
        print(f"read + parse + resolve: median {load * 1000:.0f} ms ({load / len(files) * 1e6:.0f} us per file)")


if __name__ == "__main__":
    main()
