"""The answer to ``initialize`` as plain JSON, built without lsprotocol, so that ``lsp/bootstrap.py``
can send it before pygls is imported.

It is what pygls's ``ServerCapabilitiesBuilder`` derives from the features ``build_server()``
registers, for the same client capabilities: the position encoding the client prefers among those
we speak, rename options only where the client supports ``prepareRename``, ``willSave`` false where
the client mentions it. ``tests/lsp/test_bootstrap.py`` checks the two are equal for many clients;
a feature added to the server must be added here too (that test fails until it is), and at run
time the server compares its own answer with the one sent and logs a warning if they differ.
"""

from __future__ import annotations

from typing import Any

from dockerfile_stages import __version__

SERVER_NAME = "dockerfile-stages"
ENCODINGS = ("utf-8", "utf-16", "utf-32")  # what pygls (and syntax.positions) can convert to
DEFAULT_ENCODING = "utf-16"  # the only one every client speaks (LSP 3.17)

# What does not depend on the client, in the order pygls's builder writes it.
_STATIC_BEFORE_RENAME: dict[str, Any] = {
    "completionProvider": {"triggerCharacters": ["=", " ", ",", '"', ":", "$", "{", "-", "/", ";"]},
    "hoverProvider": True,
    "signatureHelpProvider": {"triggerCharacters": [" ", "=", "[", ",", ":", "/"], "retriggerCharacters": ['"']},
    "definitionProvider": True,
    "referencesProvider": True,
    "documentHighlightProvider": True,
    "documentSymbolProvider": True,
    "codeActionProvider": {"codeActionKinds": ["quickfix", "refactor.rewrite"]},
    "codeLensProvider": {"resolveProvider": False},
    "documentLinkProvider": {"resolveProvider": False},
    "workspaceSymbolProvider": {"resolveProvider": False},
    "documentFormattingProvider": True,
    "documentRangeFormattingProvider": True,
    "documentOnTypeFormattingProvider": {"firstTriggerCharacter": "\n"},
}
_STATIC_AFTER_RENAME: dict[str, Any] = {
    "foldingRangeProvider": True,
    "selectionRangeProvider": True,
    "executeCommandProvider": {"commands": []},
    "semanticTokensProvider": {
        "legend": {
            "tokenTypes": [
                "keyword",
                "parameter",
                "property",
                "string",
                "class",
                "type",
                "variable",
                "comment",
                "macro",
                "operator",
                "number",
            ],
            "tokenModifiers": ["declaration"],
        },
        "documentSelector": None,
        "range": True,
        "full": {"delta": True},
    },
    "inlayHintProvider": {"resolveProvider": False},
    "diagnosticProvider": {"interFileDependencies": False, "workspaceDiagnostics": False, "identifier": SERVER_NAME},
    "workspace": {"workspaceFolders": {"supported": True, "changeNotifications": True}, "fileOperations": {}},
}


def _get(data: Any, *path: str) -> Any:
    """``data[path[0]][path[1]]...``, or None where a step is missing or not an object."""
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def position_encoding(client: Any) -> str:
    """The first encoding in the client's ``general.positionEncodings`` that we speak, else UTF-16."""
    offered = _get(client, "general", "positionEncodings")
    if not isinstance(offered, list):
        return DEFAULT_ENCODING
    return next((encoding for encoding in offered if encoding in ENCODINGS), DEFAULT_ENCODING)


def server_capabilities(client: Any) -> dict[str, Any]:
    """``InitializeResult.capabilities`` for these client capabilities (JSON)."""
    sync: dict[str, Any] = {"openClose": True, "change": 2}  # incremental
    for key in ("willSave", "willSaveWaitUntil"):  # pygls: "client says so and a handler exists" (none does)
        if _get(client, "textDocument", "synchronization", key) is not None:
            sync[key] = False
    sync["save"] = False
    prepare = bool(_get(client, "textDocument", "rename", "prepareSupport"))
    return {
        "positionEncoding": position_encoding(client),
        "textDocumentSync": sync,
        **_STATIC_BEFORE_RENAME,
        "renameProvider": {"prepareProvider": True} if prepare else True,
        **_STATIC_AFTER_RENAME,
    }


def initialize_result(client: Any) -> dict[str, Any]:
    """The whole result of ``initialize`` (capabilities and server info), as the server sends it."""
    return {"capabilities": server_capabilities(client), "serverInfo": {"name": SERVER_NAME, "version": __version__}}
