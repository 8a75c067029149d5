"""DS209 (BuildKit SecretsUsedInArgOrEnv): a secret-looking name in ARG or ENV.

Scope: one instruction.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Finding, NodeContext, Rule, Scope, Severity
from dockerfile_stages.rules.helpers import lazy_pattern
from dockerfile_stages.syntax.nodes import Instruction, Span

# BuildKit's word lists: a name part (between underscores) that names a secret, unless another says not.
_SECRET = lazy_pattern(
    r"(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)", re.IGNORECASE
)
_ALLOWED = lazy_pattern(r"(?:_|^)(?:public|file|version)(?:_|$)", re.IGNORECASE)


def _names(node: Instruction) -> list[str]:
    if node.cmd == "ENV":
        return list(node.value[0::3])
    if node.cmd == "ARG":
        return [item.partition("=")[0] for item in node.value]
    return []


def check_node(context: NodeContext, line: int, node: Instruction) -> Iterator[Finding]:
    for name in _names(node):
        if _SECRET.search(name) and not _ALLOWED.search(name):
            word = next((w for w in node.words if w.text.startswith(name)), None)
            span: Span = (word.span if word else node.keyword_span).shifted(line)
            yield RULE.finding(
                f"{node.cmd} {name} looks like a secret: ARG and ENV values are kept in the image "
                "history and metadata. Pass it with RUN --mount=type=secret instead.",
                span,
            )


RULE = Rule(
    id=ids.SECRETS_USED_IN_ARG_OR_ENV,
    name="secrets-used-in-arg-or-env",
    severity=Severity.WARNING,
    summary="ARG or ENV with a name that looks like a secret (`*_TOKEN`, `PASSWORD`, ...).",
    what="Flags ARG and ENV names with a part (between underscores) such as `token`, `password`, `secret`, "
    "`key`, `auth` or `credentials`, unless a part is `public`, `file` or `version`, as BuildKit does.",
    why="Build arguments and environment variables end up in the image configuration and history, "
    "readable by anyone who can pull the image.",
    example="ARG GITHUB_TOKEN   # DS209\nRUN git clone https://$GITHUB_TOKEN@github.com/org/repo",
    use_instead="RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN \\\n"
    "    git clone https://$GITHUB_TOKEN@github.com/org/repo",
    check_node=check_node,
    scope=Scope.INSTRUCTION,
    cmds=("ENV", "ARG"),
    peers=("BuildKit SecretsUsedInArgOrEnv",),
)
