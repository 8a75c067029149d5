"""What a command loads before it answers: each command imports what it needs when it runs (issue
15, item 2). Checked in a fresh interpreter, on ``sys.modules`` after the command; the timing itself
is in benchmarks/startup_bench.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PROBE = """
import contextlib, json, sys
from dockerfile_stages.cli import main
with contextlib.redirect_stdout(sys.stderr), contextlib.suppress(SystemExit):
    main(sys.argv[1:])
print(json.dumps(sorted(sys.modules)))
"""

ANALYSIS = ("dockerfile_stages.model", "dockerfile_stages.rules", "dockerfile_stages.syntax", "dockerfile_stages.ide")


def loaded_by(*args: str, cwd: Path | None = None) -> tuple[set[str], str]:
    """The modules imported once the command has run, and what it printed."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=cwd, check=False, timeout=120
    )
    return set(json.loads(done.stdout.splitlines()[-1])), done.stderr


def test_version_loads_no_analysis() -> None:
    modules, printed = loaded_by("--version")
    assert "dockerfile-stages 0.1" in printed
    assert not [name for name in modules if name.startswith(ANALYSIS)]
    assert not {"lsprotocol", "pygls", "argcomplete", "yaml", "httpx"} & modules


def test_help_loads_no_analysis() -> None:
    modules, printed = loaded_by("check", "--help")
    assert "--list-rules" in printed
    assert not [name for name in modules if name.startswith(ANALYSIS)]


def test_checking_one_dockerfile_loads_no_build_file_reader(tmp_path: Path) -> None:
    folder = tmp_path / "a" / "b" / "c"  # nothing around it that looks like a build file
    folder.mkdir(parents=True)
    (folder / "Dockerfile").write_text("FROM alpine AS unused\nFROM alpine\nMAINTAINER me\n")
    modules, printed = loaded_by("check", "Dockerfile", cwd=folder)
    assert "DS" in printed  # the rules ran and found something
    assert "dockerfile_stages.rules" in modules
    heavy = {"yaml", "tree_sitter", "rapidfuzz", "re2", "lsprotocol", "pygls", "httpx", "dataclasses"}
    heavy |= {"dockerfile_stages.ide", "dockerfile_stages.model.buildfiles"}
    heavy |= {"csv", "shlex", "glob", "logging"}  # imported where the rare input needing them is read
    assert not heavy & modules


RULES_PACKAGE = "dockerfile_stages.rules."
# Rule modules a file of FROM and RUN lines has nothing for (rules/index.py: their ``needs``), and
# those every file gets (rules without needs).
NOT_FOR_FROM_AND_RUN = {
    "copy_ignored_file",  # COPY/ADD, and experimental
    "cgo_static",  # COPY --from of the final stage
    "copy_whole_stage",  # COPY --from
    "expose_format",
    "healthcheck",
    "json_args",  # CMD/ENTRYPOINT
    "legacy_key_value",
    "maintainer_deprecated",
    "onbuild_trigger",
    "platform_flag",  # FROM --platform
    "secrets_in_arg_env",
    "stop_signal",
    "undefined_var",  # a $
    "from_args",  # a $ in FROM
    "workdir_relative",
}


def test_checking_a_from_and_run_file_loads_only_the_rules_it_can_use(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nRUN apk add --no-cache curl\nrun true\n")
    modules, printed = loaded_by("check", "Dockerfile", cwd=tmp_path)
    assert "DS201" in printed  # the rules without needs ran (instruction casing)
    rule_modules = {name.removeprefix(RULES_PACKAGE) for name in modules if name.startswith(RULES_PACKAGE)}
    assert {"parse_error", "flags", "instruction_casing", "unknown_stage", "shell_form"} <= rule_modules
    assert not NOT_FOR_FROM_AND_RUN & rule_modules
    assert "dockerfile_stages.model.variables" not in modules  # undefined_var's scopes


def test_a_rule_module_loads_where_the_file_needs_it(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM alpine\nHEALTHCHECK CONNECT x\nCOPY $nope /x\n")
    modules, printed = loaded_by("check", "Dockerfile", cwd=tmp_path)
    assert "DS013" in printed and "DS205" in printed
    assert {RULES_PACKAGE + "healthcheck", RULES_PACKAGE + "undefined_var"} <= modules
    assert RULES_PACKAGE + "stop_signal" not in modules


def test_listing_the_rules_loads_every_rule(tmp_path: Path) -> None:
    modules, printed = loaded_by("check", "--list-rules", cwd=tmp_path)
    assert "DS212" in printed
    assert {RULES_PACKAGE + name for name in NOT_FOR_FROM_AND_RUN} <= modules


def test_checking_loads_msgspec_without_typing_extensions(tmp_path: Path) -> None:
    """The command line's ``main`` imports msgspec with typing_extensions marked absent (it brings
    inspect, ast, dis, tokenize: about 6 ms); msgspec then takes what it needs from ``typing``
    (``dockerfile_stages/lean_msgspec.py``), and its submodules no record needs run at their first use."""
    (tmp_path / "Dockerfile").write_text("FROM alpine AS unused\nFROM alpine\nMAINTAINER me\n")
    modules, printed = loaded_by("check", "--format", "json", "Dockerfile", cwd=tmp_path)
    assert '"rule": "DS203"' in printed
    assert "msgspec" in modules
    assert not {"typing_extensions", "inspect", "ast", "dis", "tokenize"} & modules
    assert not {"msgspec._json_schema", "textwrap", "argparse", "gettext"} & modules  # (msgspec.json deferred)
    assert "platform" not in modules  # (uuid's platform.system() answered by a stand-in, or not asked on 3.13)


AFTER_MSGSPEC = """
import json, sys
from dockerfile_stages import lean_msgspec
lean_msgspec.install()  # as the command line's main does
import dockerfile_stages.syntax, msgspec
before = ["typing_extensions" in sys.modules, "msgspec._json_schema" in sys.modules, lean_msgspec.installed()]
import typing_extensions  # as pygls and lsprotocol do, later


class Record(msgspec.Struct):
    name: str
    sizes: "dict[str, list[int]]"


decoded = msgspec.json.decode(b'{"name": "a", "sizes": {"x": [1, 2]}}', type=Record)
schema = msgspec.json.schema(Record)["$defs"]["Record"]["required"]  # the deferred module, run at its first use
names = [typing_extensions.__name__, msgspec.__loader__.__class__.__name__, type(msgspec.json).__name__]
print(json.dumps([before, names, decoded.sizes, schema]))
"""


def test_typing_extensions_imports_as_usual_after_msgspec() -> None:
    done = subprocess.run([sys.executable, "-c", AFTER_MSGSPEC], capture_output=True, text=True, check=True)
    before, names, sizes, schema = json.loads(done.stdout)
    assert before == [False, False, False]
    assert names == ["typing_extensions", "SourceFileLoader", "module"]
    assert sizes == {"x": [1, 2]} and schema == ["name", "sizes"]


PLATFORM_AFTER_MSGSPEC = """
import json, sys
from dockerfile_stages import lean_msgspec
lean_msgspec.install()
import msgspec, uuid
before = "platform" in sys.modules
import platform
print(json.dumps([before, platform.python_version() == "%d.%d.%d" % sys.version_info[:3], platform.system(),
                  uuid._LINUX, str(uuid.UUID(int=1)), uuid.uuid1().version]))
"""


def test_platform_imports_as_usual_after_msgspec() -> None:
    done = subprocess.run([sys.executable, "-c", PLATFORM_AFTER_MSGSPEC], capture_output=True, text=True, check=True)
    before, real, system, linux, text, version = json.loads(done.stdout)
    assert not before and real  # the stand-in left with msgspec's import; the real module loads after it
    assert linux == (system == "Linux")  # uuid's flag as platform.system() would have set it
    assert text == "00000000-0000-0000-0000-000000000001" and version == 1


LIBRARY = """
import json, sys
finders = [type(finder).__name__ for finder in sys.meta_path]
import dockerfile_stages, dockerfile_stages.syntax, dockerfile_stages.rules, dockerfile_stages.cli.check, msgspec
print(json.dumps([finders, [type(finder).__name__ for finder in sys.meta_path], "typing_extensions" in sys.modules,
                  type(msgspec.json).__name__]))
"""


def test_importing_the_package_leaves_the_import_system_alone() -> None:
    """A process that uses dockerfile_stages as a library gets msgspec as it always loads: only the
    command line's ``main`` installs ``lean_msgspec`` (it was ``dockerfile_stages/__init__.py``'s)."""
    done = subprocess.run([sys.executable, "-c", LIBRARY], capture_output=True, text=True, check=True)
    finders_before, finders_after, typing_extensions, json_module = json.loads(done.stdout)
    assert finders_after == finders_before
    assert typing_extensions  # msgspec's _utils imported it, as without us
    assert json_module == "module"


DEFERRED_IN_THREADS = """
import json, sys, threading
from dockerfile_stages import lean_msgspec
lean_msgspec.install()
import msgspec
assert type(msgspec.json).__name__ == "_DeferredModule"
barrier, answers = threading.Barrier(8), []

def use():
    barrier.wait()
    answers.append(msgspec.json.encode({"a": [1]}).decode())

threads = [threading.Thread(target=use) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps(answers))
"""


def test_a_deferred_msgspec_module_runs_once_for_threads_that_race_to_it() -> None:
    done = subprocess.run([sys.executable, "-c", DEFERRED_IN_THREADS], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == ['{"a":[1]}'] * 8


def test_checking_beside_a_compose_file_reads_it(tmp_path: Path) -> None:
    folder = tmp_path / "a" / "b" / "c"
    folder.mkdir(parents=True)
    (folder / "Dockerfile").write_text("FROM alpine AS tools\nFROM alpine\n")
    command = ("check", "--select", "unused-stage", "--severity", "hint", "Dockerfile")
    _, alone = loaded_by(*command, cwd=folder)
    assert "'tools' is not needed" in alone
    (folder / "compose.yaml").write_text("services:\n  app:\n    build:\n      context: .\n      target: tools\n")
    modules, beside = loaded_by(*command, cwd=folder)
    assert "yaml" in modules  # the build file was read where there is one...
    assert "'tools' is not needed" not in beside  # ...and its target counts as used


COMPILES_PROBE = """
import contextlib, json, re, sys
compiled_in = set()
real_compile = re.compile


def compile(pattern, flags=0):
    compiled_in.add(sys._getframe(1).f_code.co_filename)
    return real_compile(pattern, flags)


re.compile = compile
from dockerfile_stages.cli import main
with contextlib.redirect_stdout(sys.stderr), contextlib.suppress(SystemExit):
    main(sys.argv[1:])
print(json.dumps(sorted(name.split("dockerfile_stages/")[-1] for name in compiled_in if "dockerfile_stages" in name)))
"""


def test_checking_one_dockerfile_compiles_no_pattern_it_does_not_use(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM alpine AS unused\nFROM alpine\nMAINTAINER me\n")
    done = subprocess.run(
        [sys.executable, "-c", COMPILES_PROBE, "check", "Dockerfile"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
        timeout=120,
    )
    compiled_in = set(json.loads(done.stdout.splitlines()[-1]))
    assert "syntax/lexer.py" in compiled_in  # the probe sees the patterns a parse needs...
    # ...and none of the rules' patterns for instructions the file does not have (rules/helpers.py
    # compiles a lazy_pattern at its first use), nor the build-file kinds' (model/build_files.py
    # compiles one combined pattern: no build file around).
    assert "rules/helpers.py" not in compiled_in
    assert not {"rules/flags.py", "rules/cgo_static.py", "rules/shell_form.py"} & compiled_in


BOOTSTRAP_PROBE = """
import io, json, os, sys
from dockerfile_stages import lean_msgspec
lean_msgspec.install()  # as the command line's main does before `serve` starts the bootstrap
from dockerfile_stages.lsp import bootstrap

seen = {}
sent = io.BytesIO()
bootstrap.configure_logging = lambda level: seen.setdefault(
    "when logging starts", ("logging" in sys.modules, b"publishDiagnostics" in sent.getvalue())
)


def frame(message):
    body = json.dumps(message).encode()
    return b"Content-Length: %d\\r\\n\\r\\n" % len(body) + body


document = {"uri": "file:///w/Dockerfile", "languageId": "dockerfile", "version": 1, "text": sys.argv[1]}
read, write = os.pipe()
os.write(write, frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}))
os.write(write, frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
os.write(write, frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": document}}))
os.close(write)
handover = bootstrap.begin(read, sent)
print(json.dumps({"published": sorted(handover.published), **seen, "modules": sorted(sys.modules)}))
"""


def test_bootstrap_publishes_before_logging_or_the_server_loads() -> None:
    done = subprocess.run(
        [sys.executable, "-c", BOOTSTRAP_PROBE, "FROM alpine\nMAINTAINER me\n"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["published"] == ["file:///w/Dockerfile"]  # the early diagnostics were sent...
    assert report["when logging starts"] == [False, True]  # ...before logging was imported (about 10 ms)
    loaded = set(report["modules"])
    assert not {"lsprotocol", "pygls.server", "concurrent.futures", "asyncio", "dataclasses"} & loaded
    assert not {"typing_extensions", "inspect"} & loaded  # (dockerfile_stages/lean_msgspec.py)
    assert "dockerfile_stages.rules.healthcheck" not in loaded  # rule modules the text has no use for


FREEZE_PROBE = """
import contextlib, gc, io, json, sys
from dockerfile_stages.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    main(["check", "--list-rules"])  # called with arguments (tests, a library): the collector is left alone
    called = gc.get_freeze_count()
    sys.argv = ["dockerfile-stages", "check", "--list-rules"]
    main()  # the program's own run, as the console script and `python -m dockerfile_stages` start it
print(json.dumps([called, gc.get_freeze_count() > 0]))
"""


def test_the_programs_own_run_freezes_what_it_made_for_a_quick_exit() -> None:
    """Python collects every object once more at exit (~7 ms of a cold ``check``); frozen, they are
    left to the process's end."""
    done = subprocess.run([sys.executable, "-c", FREEZE_PROBE], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == [0, True]


SNAPSHOT_PROBE = """
import contextlib, io, json, sys
from dockerfile_stages.cli import main
from dockerfile_stages.sizes.snapshot import load_snapshot
with contextlib.redirect_stdout(io.StringIO()):
    main(["check", "--no-cache", "Dockerfile"])
print(json.dumps(load_snapshot.cache_info().currsize))
"""


def test_checking_reads_no_snapshot_json(tmp_path: Path) -> None:
    """The rules are told which images exist from ``sizes/snapshot_names.py``: the 67 kB snapshot is read
    for sizes only (with json, ~3 ms of a cold check before)."""
    (tmp_path / "Dockerfile").write_text("FROM alpine\nCOPY --from=alpine:3.20 /x /y\n")
    done = subprocess.run(
        [sys.executable, "-c", SNAPSHOT_PROBE], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    assert json.loads(done.stdout) == 0
