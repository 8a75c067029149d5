"""textDocument/signatureHelp: the syntax of the instruction being written."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from dockerfile_stages.ide.analysis import Analysis
from dockerfile_stages.lsp.convert import cursor
from dockerfile_stages.lsp.handlers import DocumentRequest

if TYPE_CHECKING:
    from dockerfile_stages.lsp.server import StagesServer


def register(server: StagesServer) -> None:
    @DocumentRequest(
        server,
        types.TEXT_DOCUMENT_SIGNATURE_HELP,
        types.SignatureHelpOptions(trigger_characters=[" ", "=", "[", ",", ":", "/"], retrigger_characters=['"']),
        empty=None,
    )
    def on_signature_help(analysis: Analysis, params: types.SignatureHelpParams) -> types.SignatureHelp | None:
        found = analysis.signature_help(*cursor(analysis.document, params.position))
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
