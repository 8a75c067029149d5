"""The command line explains itself: version, help with examples, checked values, colour, completion."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO

import pytest

from dockerfile_stages import __version__
from dockerfile_stages.cli.main import build_parser, main
from dockerfile_stages.cli.style import Tone, paint_for

from ..conftest import ROOT

EXAMPLE = ROOT / "examples" / "go-multistage" / "Dockerfile"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dockerfile_stages", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "DOCKERFILE_STAGES_OFFLINE": "1", **(env or {})},
    )


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version(flag: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([flag])
    assert exit_.value.code == 0 and capsys.readouterr().out.strip() == f"dockerfile-stages {__version__}"


def test_every_command_help_ends_with_an_example() -> None:
    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert set(commands) >= {"parse", "check", "size", "split", "serve", "completion"}
    for name, command in commands.items():
        help_text = command.format_help()
        examples = help_text.split("examples:\n", 1)
        assert len(examples) == 2, f"{name} --help has no examples"
        assert all(line.strip().startswith("dockerfile-stages ") for line in examples[1].strip().splitlines()), name
        assert f"dockerfile-stages {name}" in examples[1], name


@pytest.mark.parametrize("platform", ["bogus", "linux", "Linux/AMD64", "linux/amd64/v8/x", "linux/"])
def test_a_platform_that_is_not_one_is_a_usage_error(platform: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["size", "--offline", "--platform", platform, str(EXAMPLE)])
    assert exit_.value.code == 2 and "os/arch[/variant]" in capsys.readouterr().err


@pytest.mark.parametrize("platform", ["linux/arm64", "linux/arm/v7", "windows/amd64"])
def test_platforms_as_buildkit_writes_them_are_accepted(platform: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["size", "--offline", "--format", "json", "--platform", platform, str(EXAMPLE)]) == 0
    assert platform in capsys.readouterr().out


class _Terminal(StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("terminal", "environ", "coloured"),
    [
        (True, {}, True),
        (False, {}, False),
        (True, {"NO_COLOR": "1"}, False),
        (True, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),  # no-color.org: NO_COLOR wins
        (False, {"FORCE_COLOR": "1"}, True),
        (False, {"FORCE_COLOR": "0"}, False),
        (True, {"TERM": "dumb"}, False),
    ],
)
def test_colour_only_where_it_is_wanted(terminal: bool, environ: dict[str, str], coloured: bool) -> None:
    paint = paint_for(_Terminal() if terminal else StringIO(), environ)
    assert (paint("error", Tone.ERROR) != "error") is coloured


def test_check_output_is_plain_in_a_pipe_and_coloured_when_forced(tmp_path: pytest.TempPathFactory) -> None:
    broken = ROOT / "tests" / "fixtures" / "workspace"
    plain = run("check", str(broken))
    forced = run("check", str(broken), env={"FORCE_COLOR": "1"})
    assert plain.stdout and "\x1b[" not in plain.stdout
    assert "\x1b[1;31merror\x1b[0m" in forced.stdout
    assert forced.stdout.replace("\x1b[0m", "").count("\x1b[") >= 3 * len(plain.stdout.splitlines())


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(shell: str) -> None:
    script = run("completion", shell)
    assert script.returncode == 0 and "dockerfile-stages" in script.stdout and "_ARGCOMPLETE" in script.stdout


def test_completion_answers_the_shell() -> None:
    """What the shell's completion script does: run the program with the line so far in the environment;
    the candidates come back on file descriptor 8."""
    line = "dockerfile-stages ch"
    answer = subprocess.run(
        ["bash", "-c", f"{sys.executable} -m dockerfile_stages 8>&1 9>/dev/null"],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            "_ARGCOMPLETE": "1",
            "COMP_LINE": line,
            "COMP_POINT": str(len(line)),
            "_ARGCOMPLETE_IFS": "\n",
        },
    )
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.split() == ["check"]
