"""textDocument/signatureHelp: the syntax of the instruction being written."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.signature_help import signature_help
from dockerfile_stages.lsp.convert import cursor

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def register(server: StagesServer) -> None:
    @server.feature(
        types.TEXT_DOCUMENT_SIGNATURE_HELP,
        types.SignatureHelpOptions(trigger_characters=[" ", "=", "[", ",", ":", "/"], retrigger_characters=['"']),
    )
    def on_signature_help(params: types.SignatureHelpParams) -> types.SignatureHelp | None:
        opened = server.documents.get(params.text_document.uri)
        if opened is None:
            return None
        found = signature_help(opened.document, *cursor(opened.document, params.position))
        if found is None:
            return None
        signatures = [
            types.SignatureInformation(
                label=signature.label,
                documentation=types.MarkupContent(kind=types.MarkupKind.Markdown, value=signature.doc),
                parameters=[
                    types.ParameterInformation(
                        label=(param.start, param.end),
                        documentation=types.MarkupContent(kind=types.MarkupKind.Markdown, value=param.doc),
                    )
                    for param in signature.parameters
                ],
            )
            for signature in found.signatures
        ]
        return types.SignatureHelp(
            signatures=signatures, active_signature=found.active_signature, active_parameter=found.active_parameter
        )
