from __future__ import annotations

from collections.abc import Iterator

from dockerfile_stages.rules.base import Context, Finding, Rule, Severity


def check(context: Context) -> Iterator[Finding]:
    model = context.model
    deps = model.dependencies
    reported: set[frozenset[int]] = set()
    for start in deps:
        path = _cycle_from(start, deps)
        if not path or frozenset(path) in reported:
            continue
        reported.add(frozenset(path))
        stage = model.stages[start]
        names = " -> ".join(model.stages[i].label for i in [*path, path[0]])
        yield RULE.finding(f"Stages depend on each other in a cycle: {names}.", stage.name_span or stage.keyword_span)


def _cycle_from(start: int, deps: dict[int, set[int]]) -> list[int] | None:
    stack: list[tuple[int, list[int]]] = [(start, [start])]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        for nxt in sorted(deps.get(node, ())):
            if nxt == start and len(path) > 1:
                return path
            if nxt not in seen and nxt != start:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


RULE = Rule(
    id="DS103",
    name="stage-cycle",
    severity=Severity.ERROR,
    summary="Stages depend on each other in a cycle.",
    what="Follows `FROM <stage>`, `COPY --from` and `RUN --mount from` between stages and reports a cycle once.",
    why="No order of building can satisfy a cycle; BuildKit rejects it.",
    example="FROM alpine AS a\nCOPY --from=b /x /x\nFROM alpine AS b\nCOPY --from=a /y /y   # DS103: a -> b -> a",
    check=check,
)
