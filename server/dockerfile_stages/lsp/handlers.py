"""The one shape of a document request: find the analysis, or answer ``empty`` when the document is
not open (or let ``build_file`` answer in a Compose, Bake, CI or script file); the feature module
then only converts the parameters, calls the analysis and converts the result."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from pygls.exceptions import JsonRpcException

from dockerfile_stages.ide.analysis import Analysis
from dockerfile_stages.lsp.memory import collector_paused
from dockerfile_stages.lsp.uris import is_build_uri

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


class _Identifier(Protocol):
    @property
    def uri(self) -> str: ...


class DocumentParams(Protocol):
    @property
    def text_document(self) -> _Identifier: ...


P = TypeVar("P", bound=DocumentParams)
R = TypeVar("R")


class _Registration:
    def __init__(
        self,
        server: StagesServer,
        method: str,
        options: Any = None,
        *,
        empty: object,
        build_file: Callable[[Any], Any] | None = None,
    ) -> None:
        self.server = server
        self.method = method
        self.options = options
        self.empty = empty  # the method's answer for "nothing here"
        self.build_file = build_file  # the answer in a Compose, Bake, CI or script file (lsp.workspace_files)


class DocumentRequest(_Registration):
    """Register ``handler(analysis, params)`` for ``method``; ``empty`` answers for a document not open."""

    def __call__(self, handler: Callable[[Analysis, P], R]) -> Callable[[P], R]:
        session = self.server.session
        empty = cast(R, self.empty)
        build_file = self.build_file

        def answer(params: P) -> R:
            with collector_paused():  # an answer's JSON forms no cycles (lsp/memory.py)
                if build_file is not None and is_build_uri(params.text_document.uri):
                    return cast(R, build_file(params))
                analysis = session.analysis(params.text_document.uri)
                if analysis is None:
                    return empty
                try:
                    return handler(analysis, params)
                except JsonRpcException as error:
                    refusal = error
                del analysis
            raise bare(refusal)

        self.server.feature(self.method, self.options)(answer)
        return answer


class AsyncDocumentRequest(_Registration):
    """``DocumentRequest`` for a handler that awaits (background work) before answering."""

    def __call__(self, handler: Callable[[Analysis, P], Awaitable[R]]) -> Callable[[P], Awaitable[R]]:
        session = self.server.session
        empty = cast(R, self.empty)
        build_file = self.build_file

        async def answer(params: P) -> R:
            if build_file is not None and is_build_uri(params.text_document.uri):
                return cast(R, build_file(params))
            analysis = session.analysis(params.text_document.uri)
            if analysis is None:
                return empty
            try:
                return await handler(analysis, params)
            except JsonRpcException as error:
                refusal = error
            del analysis
            raise bare(refusal)

        self.server.feature(self.method, self.options)(answer)
        return answer


def bare(refusal: JsonRpcException) -> JsonRpcException:
    """A request refused on purpose (an invalid rename...), without its traceback and the error it
    was raised from. pygls keeps the exception in the request's future, which the frames of its
    traceback refer to: a cycle that held the handler's locals, the analysis and the whole document,
    until a full collection (a refused rename kept a closed 6,666-stage file alive: its close's
    refreeze walked 370,000 more objects, 150 ms). Re-raised from a frame that holds no analysis."""
    refusal.__context__ = refusal.__cause__ = None
    return refusal.with_traceback(None)


async def wait_briefly(futures: list[Any], seconds: float) -> None:
    """Wait up to ``seconds`` for background work (concurrent futures); never raises."""
    if not futures or seconds <= 0:
        return
    waiting = [asyncio.shield(asyncio.wrap_future(future)) for future in futures]
    try:
        await asyncio.wait_for(asyncio.gather(*waiting, return_exceptions=True), seconds)
    except Exception:  # slow (timeout) or failed: the answer uses what is known
        return
