"""The split's data flow, users, shell, PATH and package mechanisms, one Dockerfile each (issue 13)."""

from __future__ import annotations

import pytest

from dockerfile_stages.model import build_model
from dockerfile_stages.refactor.flow import follow
from dockerfile_stages.refactor.shell import commands, plain_words
from dockerfile_stages.refactor.split import NoSplit, SplitPlan, plan_split
from dockerfile_stages.syntax import Document, Instruction


def _plan(text: str, runner: str | None = None) -> SplitPlan:
    document = Document(text)
    plan = plan_split(document, build_model(document), runner=runner)
    assert isinstance(plan, SplitPlan), plan
    return plan


def _runner_lines(text: str, runner: str | None = None) -> list[str]:
    """The runner stage's lines (after the blank line that ends the builder)."""
    plan = _plan(text, runner)
    return plan.text.split("\n\n", 1)[1].splitlines()


def _builder_lines(text: str) -> list[str]:
    return _plan(text).text.split("\n\n", 1)[0].splitlines()


def test_a_jar_moved_by_cp_is_copied_from_where_the_command_starts_it() -> None:
    runner = _runner_lines(
        "FROM maven:3-eclipse-temurin-17\nWORKDIR /src\nCOPY . .\n"
        "RUN mvn -B package && cp target/*.jar /opt/app.jar\n"
        'CMD ["java", "-jar", "/opt/app.jar"]\n'
    )
    assert "COPY --from=builder /opt/app.jar /opt/app.jar" in runner
    assert not any("target" in line for line in runner)


def test_an_output_path_made_of_env_variables_is_absolute() -> None:
    runner = _runner_lines(
        "FROM golang:1.22\nENV APP_HOME=/srv/app\nWORKDIR /src\nCOPY . .\n"
        "RUN go build -o ${APP_HOME}/bin/server .\n"
        'CMD ["/srv/app/bin/server"]\n'
    )
    assert "COPY --from=builder /srv/app/bin/server /srv/app/bin/server" in runner


def test_install_into_a_directory_is_followed_to_the_bare_name() -> None:
    runner = _runner_lines(
        'FROM gcc:13\nWORKDIR /b\nCOPY . .\nRUN make && install -m755 hello /usr/local/bin/greet\nCMD ["greet"]\n'
    )
    assert "COPY --from=builder /usr/local/bin/greet /usr/local/bin/greet" in runner


def test_users_made_in_the_build_come_with_passwd_group_and_home() -> None:
    runner = _runner_lines(
        "FROM golang:1.22\nRUN useradd --uid 10001 --create-home gopher\nCOPY . /src\n"
        'RUN cd /src && go build -o /usr/local/bin/who .\nUSER gopher\nCMD ["who"]\n'
    )
    assert "COPY --from=builder /etc/passwd /etc/group /etc/" in runner
    assert "COPY --from=builder /home/gopher /home/gopher" in runner
    assert runner.index("COPY --from=builder /etc/passwd /etc/group /etc/") < runner.index("USER gopher")


def test_a_bare_name_found_through_the_toolchains_path_carries_the_entry() -> None:
    runner = _runner_lines('FROM golang:1.22\nCOPY . /src\nRUN cd /src && go install .\nENTRYPOINT ["hello"]\n')
    assert "COPY --from=builder /go/bin/hello /go/bin/hello" in runner
    assert "ENV PATH=/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" in runner


def test_cargo_install_output_run_by_bare_name() -> None:
    runner = _runner_lines('FROM rust:1.78\nCOPY . /app\nRUN cargo install --path /app\nCMD ["hello"]\n')
    assert "COPY --from=builder /usr/local/cargo/bin/hello /usr/local/cargo/bin/hello" in runner
    assert any(line.startswith("ENV PATH=/usr/local/cargo/bin:") for line in runner)


def test_shell_form_becomes_exec_form_on_a_runner_without_shell() -> None:
    runner = _runner_lines(
        "FROM golang:1.22\nCOPY . /src\nRUN cd /src && CGO_ENABLED=0 go build -o /usr/local/bin/svc .\n"
        "CMD /usr/local/bin/svc --port 8080\n"
    )
    assert runner[0] == "FROM gcr.io/distroless/static-debian12"
    assert runner[-1] == 'CMD ["/usr/local/bin/svc", "--port", "8080"]'


def test_a_command_that_needs_a_shell_keeps_a_runner_with_one() -> None:
    runner = _runner_lines(
        "FROM golang:1.22\nCOPY . /src\nRUN cd /src && CGO_ENABLED=0 go build -o /bin/app .\n"
        'ENV NAME=world\nCMD /bin/app "$NAME" || exit 1\n'
    )
    assert runner[0] == "FROM busybox:stable"
    assert runner[-1] == 'CMD /bin/app "$NAME" || exit 1'


def test_a_shell_runner_asked_for_is_kept_with_what_to_check() -> None:
    plan = _plan("FROM gcc:13\nRUN gcc -o /app x.c\nCMD /app $X\n", runner="scratch")
    assert any("need a shell" in note for note in plan.uncertain)
    assert any("no C library" in note for note in plan.uncertain)  # a glibc binary into scratch


def test_a_static_binary_gets_a_static_runner_even_with_gcc_installed() -> None:
    plan = _plan(
        "FROM golang:1.22\nRUN apt-get update && apt-get install -y gcc\nENV CGO_ENABLED=0\n"
        'COPY . /s\nRUN cd /s && go build -o /app .\nCMD ["/app"]\n'
    )
    assert plan.runner == "gcr.io/distroless/static-debian12"


@pytest.mark.parametrize(
    ("install", "runner", "package"),
    [
        ("apt-get install -y --no-install-recommends golang-go", "debian:bookworm-slim", None),
        ("apt-get install -y openjdk-17-jdk-headless maven", "debian:bookworm-slim", "openjdk-17-jre-headless"),
        ("apt-get install -y nodejs npm", "debian:bookworm-slim", "nodejs"),
        ("apt-get install -y build-essential cmake libssl-dev", "debian:bookworm-slim", "libssl3"),
    ],
)
def test_toolchains_from_the_package_manager_split_to_the_distributions_slim_image(
    install: str, runner: str, package: str | None
) -> None:
    build = {
        "golang-go": 'RUN go build -o /usr/local/bin/app .\nCMD ["app"]\n',
        "openjdk": 'RUN mvn -B package\nCMD ["java", "-jar", "/src/target/app.jar"]\n',
        "nodejs": 'RUN npm ci\nCMD ["node", "index.js"]\n',
        "build-essential": 'RUN make\nCMD ["/src/app"]\n',
    }
    step = next(value for key, value in build.items() if key in install)
    plan = _plan(f"FROM debian:bookworm\nRUN apt-get update && {install}\nWORKDIR /src\nCOPY . .\n{step}")
    assert plan.runner == runner
    installs = [line for line in plan.text.split("\n\n", 1)[1].splitlines() if "apt-get install" in line]
    if package is None:
        assert installs == []
    else:
        assert len(installs) == 1 and f" {package} " in installs[0]
        assert "maven" not in installs[0] and "cmake" not in installs[0]
        assert ("mkdir -p /usr/share/man/man1" in installs[0]) == package.startswith("openjdk")


def test_alpine_toolchain_splits_to_alpine() -> None:
    plan = _plan(
        'FROM alpine:3.20\nRUN apk add --no-cache go\nCOPY . /s\nRUN cd /s && go build -o /app .\nCMD ["/app"]\n'
    )
    assert plan.runner == "alpine:3.20"


def test_a_plain_distribution_without_build_packages_is_still_refused() -> None:
    document = Document('FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl\nCMD ["curl"]\n')
    plan = plan_split(document, build_model(document))
    assert isinstance(plan, NoSplit) and "already a runtime image" in plan.reason


def test_env_and_workdir_keep_their_order() -> None:
    runner = _runner_lines(
        "FROM golang:1.22\nENV APP_HOME=/srv/app\nWORKDIR ${APP_HOME}\nCOPY . .\n"
        'RUN CGO_ENABLED=0 go build -o /srv/app/server .\nENV MODE=release\nCMD ["/srv/app/server"]\n'
    )
    assert (
        runner.index("ENV APP_HOME=/srv/app") < runner.index("WORKDIR ${APP_HOME}") < runner.index("ENV MODE=release")
    )


def test_two_path_changes_keep_their_precedence_and_an_in_project_venv_is_not_shadowed() -> None:
    plan = _plan(
        "FROM python:3.12\nENV POETRY_VIRTUALENVS_IN_PROJECT=true\nWORKDIR /app\nCOPY . .\n"
        'RUN pip install poetry && poetry install\nENV PATH="/app/.venv/bin:$PATH"\nCMD ["hello"]\n'
    )
    assert "/opt/venv" not in plan.text
    assert 'ENV PATH="/app/.venv/bin:$PATH"' in plan.text.split("\n\n", 1)[1]
    assert not plan.uncertain


def test_npm_prune_runs_right_after_the_install_as_the_same_user() -> None:
    builder = _builder_lines(
        'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install\nUSER node\nCMD ["node", "index.js"]\n'
    )
    assert builder.index("RUN npm prune --omit=dev") == builder.index("RUN npm install") + 1
    assert builder.index("RUN npm prune --omit=dev") < builder.index("USER node")


def test_npm_prune_is_left_out_when_the_install_omitted_dev_dependencies() -> None:
    plan = _plan('FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nCMD ["node", "index.js"]\n')
    assert "prune" not in plan.text


def test_a_globally_installed_package_manager_goes_to_the_runner() -> None:
    runner = _runner_lines(
        "FROM node:20\nRUN npm install -g pnpm@9\nWORKDIR /app\nCOPY . .\n"
        'RUN pnpm install\nENTRYPOINT ["pnpm", "start"]\n'
    )
    assert "COPY --from=builder /usr/local/lib/node_modules/pnpm/ /usr/local/lib/node_modules/pnpm/" in runner
    assert "COPY --from=builder /usr/local/bin/pnpm /usr/local/bin/pnpm" in runner


def test_scratch_base_is_refused_with_the_reason() -> None:
    document = Document('FROM scratch\nCOPY app /app\nRUN ["/app", "--init"]\nCMD ["/app"]\n')
    plan = plan_split(document, build_model(document))
    assert isinstance(plan, NoSplit) and "scratch" in plan.reason and "not a known image" not in plan.reason


def test_shell_commands_follow_cd_subshells_and_variables() -> None:
    found = commands('cd /src && (cd sub && make) && go build -o "$OUT/x" . ; cp a ${B:-/b}/', {"OUT": "/o"}, "/")
    assert [(c.name, c.cwd) for c in found] == [
        ("cd", "/"),
        ("cd", "/src"),
        ("make", "/src/sub"),
        ("go", "/src"),
        ("cp", "/src"),
    ]
    assert found[3].words[-2] == "/o/x" and found[4].words[-1] == "/b/"


def test_plain_words_only_for_commands_without_shell_features() -> None:
    assert plain_words('/bin/svc --name "a b"') == ["/bin/svc", "--name", "a b"]
    for text in ("svc $X", "a && b", "svc > log", "svc *.txt", "X=1 svc"):
        assert plain_words(text) is None, text


def test_flow_records_moves_users_and_packages() -> None:
    document = Document(
        "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends gcc make\n"
        "RUN addgroup --system app && adduser --system --ingroup app app\n"
        "ENV OUT=/opt/bin\nRUN mkdir -p $OUT && mv build/tool $OUT/\n"
    )
    model = build_model(document)
    nodes = [node for _, node in document.nodes() if isinstance(node, Instruction) and node.cmd != "FROM"]
    flow = follow(nodes, "debian")
    assert {p.name for p in flow.packages} == {"gcc", "make"}
    assert [u.name for u in flow.users] == ["app"] and flow.groups == ["app"]
    assert flow.writes("/opt/bin/tool") is not None
    assert model.stages


def test_a_quoted_env_path_puts_the_venv_first() -> None:
    runner = _runner_lines(
        'FROM python:3.11\nRUN python -m venv /opt/venv\nENV PATH="/opt/venv/bin:$PATH"\nWORKDIR /src\n'
        'COPY . .\nRUN pip install .\nCMD ["hello"]\n'
    )
    assert "COPY --from=builder /opt/venv/ /opt/venv/" in runner
    assert not any("/usr/local/bin" in line for line in runner)


def test_cmd_words_are_arguments_of_an_exec_form_entrypoint() -> None:
    runner = _runner_lines(
        'FROM rust:1.78\nWORKDIR /s\nCOPY . .\nRUN cargo install --path .\nENTRYPOINT ["hello"]\nCMD ["install"]\n'
    )
    assert [line for line in runner if line.startswith("COPY")] == [
        "COPY --from=builder /usr/local/cargo/bin/hello /usr/local/cargo/bin/hello"
    ]
