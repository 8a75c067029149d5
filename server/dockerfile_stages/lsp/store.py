"""Open documents: one incremental ``Document`` per URI, with its stage model and analysis cached per version."""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec

from dockerfile_stages.ide.analysis import Analysis, Options, Services
from dockerfile_stages.model.stages import StageModel, build_model
from dockerfile_stages.rules import RuleCache
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.positions import Encoding

if TYPE_CHECKING:  # set by the session; not imported for the bootstrap's first diagnostics
    from dockerfile_stages.lsp.semantic_tokens import SentTokens
    from dockerfile_stages.workspace.background import BackgroundContext


class OpenDocument(msgspec.Struct):
    uri: str
    document: Document
    client_version: int
    platform: str
    _model: StageModel | None = None
    _model_version: int = -1
    _analysis: tuple[object, Analysis] | None = None
    context: BackgroundContext | None = None  # the build context (its directory), measured off the loop
    ignore_lines: tuple[str, ...] | None = None  # the ignore file its build uses, once read off the loop
    rule_cache: RuleCache = msgspec.field(default_factory=RuleCache)  # findings kept between versions
    sent_tokens: SentTokens | None = None  # the semantic tokens last sent (for deltas); go with the document

    @property
    def model(self) -> StageModel:
        if self._model is None or self._model_version != self.document.version or self._model.platform != self.platform:
            self._model = build_model(self.document, self.platform, self._model)
            self._model_version = self.document.version
        return self._model

    def analysis(self, options: Options, services: Services) -> Analysis:
        """The analysis of this version; the same object (with its findings) until something changes."""
        key = (self.document.version, self.platform, options, services)
        if self._analysis is None or self._analysis[0] != key:
            self._analysis = (key, Analysis(self.document, self.model, options, services, self.rule_cache))
        return self._analysis[1]


class DocumentStore:
    def __init__(self) -> None:
        self._open: dict[str, OpenDocument] = {}

    def open(self, uri: str, text: str, version: int, encoding: Encoding, platform: str) -> OpenDocument:
        opened = OpenDocument(uri, Document(text, encoding), version, platform)
        self._open[uri] = opened
        return opened

    def get(self, uri: str) -> OpenDocument | None:
        return self._open.get(uri)

    def close(self, uri: str) -> None:
        self._open.pop(uri, None)

    def all(self) -> list[OpenDocument]:
        return list(self._open.values())
