from __future__ import annotations

from collections.abc import Iterator

from dockerfile_stages.rules import ids
from dockerfile_stages.rules.base import Context, Finding, Rule, Scope, Severity


def check(context: Context) -> Iterator[Finding]:
    model = context.model
    for component in _strongly_connected(model.dependencies):
        if len(component) < 2:
            continue  # a stage naming itself is DS101's
        first = min(component)
        stage = model.stages[first]
        names = " -> ".join(model.stages[i].label for i in [*sorted(component), first])
        yield RULE.finding(f"Stages depend on each other in a cycle: {names}.", stage.name_span or stage.keyword_span)


def _strongly_connected(graph: dict[int, set[int]]) -> list[list[int]]:
    """Tarjan's algorithm, iterative (a long chain of stages must not exhaust the stack)."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    components: list[list[int]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
    return components


RULE = Rule(
    id=ids.STAGE_CYCLE,
    name="stage-cycle",
    severity=Severity.ERROR,
    summary="Stages depend on each other in a cycle.",
    what="Follows `FROM <stage>`, `COPY --from` and `RUN --mount from` between stages and reports a cycle once.",
    why="No order of building can satisfy a cycle; BuildKit rejects it.",
    example="FROM alpine AS a\nCOPY --from=b /x /x\nFROM alpine AS b\nCOPY --from=a /y /y   # DS103: a -> b -> a",
    use_instead="FROM alpine AS b\nFROM alpine AS a\nCOPY --from=b /x /x",
    check=check,
    scope=Scope.GRAPH,
)
