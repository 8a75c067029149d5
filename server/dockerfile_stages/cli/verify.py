"""``split --verify``: build the original and the split image, run both, compare what they do.

With Docker, Podman or buildah, whichever is installed (buildah builds; a run needs podman or
docker, else ``buildah run`` in a working container with the image's entrypoint and command).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
import time
from enum import Enum
from pathlib import Path

import msgspec


class Engine(Enum):
    DOCKER = "docker"
    PODMAN = "podman"
    BUILDAH = "buildah"


class VerifyError(Exception):
    """The check could not be made (no engine, a build that failed): the message says why."""


class ImageRun(msgspec.Struct, frozen=True):
    built: bool
    exit_status: int | None
    output: str  # stdout and stderr of the run, as the container printed them
    size: int | None  # bytes, as the engine reports the image
    build_seconds: float
    build_log: str = ""  # the end of the build output when the build failed


class Verification(msgspec.Struct, frozen=True):
    engine: str
    original: ImageRun
    split: ImageRun
    images: tuple[str, str]  # the tags built (removed afterwards unless kept)
    notes: list[str] = msgspec.field(default_factory=list)

    @property
    def same(self) -> bool:
        return (
            self.original.built
            and self.split.built
            and self.original.exit_status == self.split.exit_status
            and self.original.output == self.split.output
        )

    def to_json(self) -> dict[str, object]:
        return {**msgspec.to_builtins(self), "same": self.same}


class Options(msgspec.Struct, frozen=True):
    engine: Engine | None = None  # None: the first one installed
    build_options: tuple[str, ...] = ()  # extra words for the build command (e.g. --network host)
    timeout: float = 300.0  # per build and per run, seconds
    keep_images: bool = False


def find_engine(preferred: Engine | None) -> Engine:
    """The engine to use: the one asked for, else docker (if its daemon answers), podman, buildah."""
    if preferred is not None:
        if shutil.which(preferred.value) is None:
            raise VerifyError(f"{preferred.value} is not installed")
        return preferred
    if shutil.which("docker") and _succeeds(["docker", "info", "--format", "{{.ServerVersion}}"]):
        return Engine.DOCKER
    for engine in (Engine.PODMAN, Engine.BUILDAH):
        if shutil.which(engine.value):
            return engine
    raise VerifyError("no container engine found: install Docker, Podman or buildah")


def _succeeds(argv: list[str]) -> bool:
    try:
        return subprocess.run(argv, capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def verify(dockerfile: Path, split_text: str, options: Options) -> Verification:
    """Build ``dockerfile`` and its split (``split_text``) in the Dockerfile's directory, run both."""
    engine = find_engine(options.engine)
    context = dockerfile.parent
    digest = hashlib.sha256((str(dockerfile.resolve()) + split_text).encode()).hexdigest()[:12]
    tags = (
        f"localhost/dockerfile-stages-verify/{digest}-original",
        f"localhost/dockerfile-stages-verify/{digest}-split",
    )
    with tempfile.TemporaryDirectory(prefix="dockerfile-stages-") as work:
        split_file = Path(work) / "Dockerfile.split"
        split_file.write_text(split_text, encoding="utf-8")
        try:
            original = build_and_run(engine, dockerfile, context, tags[0], options)
            split = build_and_run(engine, split_file, context, tags[1], options) if original.built else _skipped()
        finally:
            if not options.keep_images:
                remove_images(engine, tags)
    notes = [] if original.built else ["the original does not build here, so nothing could be compared"]
    return Verification(engine.value, original, split, tags, notes)


def _skipped() -> ImageRun:
    return ImageRun(False, None, "", None, 0.0, "not built: the original did not build")


def build_and_run(engine: Engine, dockerfile: Path, context: Path, tag: str, options: Options) -> ImageRun:
    """Build ``dockerfile`` in ``context`` as ``tag`` and, if that worked, run it once."""
    started = time.monotonic()
    build = _run(_build_argv(engine, dockerfile, context, tag, options), options.timeout)
    seconds = round(time.monotonic() - started, 1)
    if build.returncode != 0:
        return ImageRun(False, None, "", None, seconds, (build.stdout + build.stderr)[-4000:])
    status, output = _run_image(engine, tag, options.timeout)
    return ImageRun(True, status, output, _size(engine, tag), seconds)


def _build_argv(engine: Engine, dockerfile: Path, context: Path, tag: str, options: Options) -> list[str]:
    if engine is Engine.BUILDAH:
        argv = ["buildah", "build", "--layers", "--pull=never"]
    elif engine is Engine.PODMAN:
        argv = ["podman", "build", "--layers", "--pull=never"]
    else:
        argv = ["docker", "build"]
    return [*argv, *options.build_options, "-t", tag, "-f", str(dockerfile), str(context)]


def _run_image(engine: Engine, tag: str, timeout: float) -> tuple[int | None, str]:
    if engine is Engine.BUILDAH and shutil.which("podman"):
        engine = Engine.PODMAN
    if engine is Engine.BUILDAH:
        return _buildah_run(tag, timeout)
    argv = [engine.value, "run", "--rm"]
    if engine is Engine.PODMAN:
        argv.append("--pull=never")
    result = _run([*argv, tag], timeout)
    return result.returncode, result.stdout + result.stderr


def _buildah_run(tag: str, timeout: float) -> tuple[int | None, str]:
    """Without podman: a working container, run with the image's entrypoint and command."""
    config = _run(["buildah", "inspect", "--type", "image", "--format", "{{json .OCIv1.Config}}", tag], timeout)
    if config.returncode != 0:
        return None, config.stderr
    settings = json.loads(config.stdout or "{}")
    argv = [*(settings.get("Entrypoint") or []), *(settings.get("Cmd") or [])]
    container = _run(["buildah", "from", "--pull-never", tag], timeout)
    if container.returncode != 0 or not argv:
        return None, container.stderr or "the image has no entrypoint or command"
    name = container.stdout.strip().splitlines()[-1]
    try:
        result = _run(["buildah", "run", name, "--", *argv], timeout)
        return result.returncode, result.stdout + result.stderr
    finally:
        _run(["buildah", "rm", name], timeout)


def _size(engine: Engine, tag: str) -> int | None:
    tool = "podman" if engine is Engine.BUILDAH and shutil.which("podman") else engine.value
    argv = [tool, "image", "inspect", "--format", "{{.Size}}", tag]
    if tool == "buildah":
        argv = ["buildah", "inspect", "--type", "image", "--format", "{{.ImageSize}}", tag]
    result = _run(argv, 60)
    try:
        return int(result.stdout.strip().splitlines()[0])
    except (ValueError, IndexError):
        return None


def remove_images(engine: Engine, tags: tuple[str, ...]) -> None:
    tool = "podman" if engine is Engine.BUILDAH and shutil.which("podman") else engine.value
    _run([tool, "rmi", "-f", *tags] if tool != "buildah" else ["buildah", "rmi", "-f", *tags], 120)


def _run(argv: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as error:
        out = error.stdout.decode() if isinstance(error.stdout, bytes) else (error.stdout or "")
        return subprocess.CompletedProcess(argv, 124, out, f"timed out after {timeout:.0f} s")
    except OSError as error:
        return subprocess.CompletedProcess(argv, 127, "", str(error))


def report(result: Verification, dockerfile: str) -> str:
    """The text report: the verdict, exit statuses, sizes, and the outputs when they differ."""
    lines = [f"verify {dockerfile} with {result.engine}:"]
    for label, run in (("original", result.original), ("split", result.split)):
        if not run.built:
            lines.append(f"  {label:8} did not build ({run.build_seconds} s)")
            lines += ["    " + line for line in run.build_log.strip().splitlines()[-10:]]
            continue
        size = f"{run.size / 1e6:.1f} MB" if run.size is not None else "size unknown"
        lines.append(f"  {label:8} exit {run.exit_status}, {size}, built in {run.build_seconds} s")
    if result.original.built and result.split.built:
        if result.same:
            lines.append("  same exit status and output")
        else:
            lines.append("  DIFFERENT:")
            for label, run in (("original", result.original), ("split", result.split)):
                lines.append(f"    {label} (exit {run.exit_status}):")
                lines += ["      " + line for line in run.output.rstrip().splitlines()[-15:]]
        before, after = result.original.size, result.split.size
        if before and after:
            lines.append(
                f"  size: {before / 1e6:.1f} MB -> {after / 1e6:.1f} MB ({(1 - after / before) * 100:.0f}% smaller)"
            )
    lines += [f"  note: {note}" for note in result.notes]
    return "\n".join(lines)
