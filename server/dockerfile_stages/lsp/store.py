"""Open documents: one incremental ``Document`` per URI, with its stage model cached per version."""

from __future__ import annotations

from dataclasses import dataclass, field

from dockerfile_stages.model.stages import StageModel, build_model
from dockerfile_stages.model.variables import Variables
from dockerfile_stages.rules import Finding, run_rules
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.positions import Encoding
from dockerfile_stages.workspace.context import BuildContext


@dataclass
class OpenDocument:
    uri: str
    document: Document
    client_version: int
    platform: str
    _model: StageModel | None = field(default=None, repr=False)
    _model_version: int = -1
    _findings: tuple[object, list[Finding]] | None = field(default=None, repr=False)
    build_context: BuildContext | None = None  # sized once in a while, not on every lens request
    _variables: tuple[StageModel, int, Variables] | None = field(default=None, repr=False)

    @property
    def model(self) -> StageModel:
        if self._model is None or self._model_version != self.document.version or self._model.platform != self.platform:
            self._model = build_model(self.document, self.platform, self._model)
            self._model_version = self.document.version
        return self._model

    @property
    def variables(self) -> Variables:
        """ARG/ENV scoping, for this version of the document."""
        model = self.model
        if self._variables is None or self._variables[0] is not model or self._variables[1] != self.document.version:
            self._variables = (model, self.document.version, Variables(self.document, model))
        return self._variables[2]

    def findings(self, targets: tuple[str, ...], ignore: tuple[str, ...]) -> list[Finding]:
        key = (self.document.version, self.platform, targets, ignore)
        if self._findings is None or self._findings[0] != key:
            self._findings = (key, run_rules(self.document, self.model, targets=targets, ignore=ignore))
        return self._findings[1]


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
