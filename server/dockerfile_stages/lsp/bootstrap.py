"""The language server's first milliseconds over stdio: answer ``initialize`` and publish the first
document's diagnostics before pygls and lsprotocol are imported. Importing those is most of the
full server's start-up (``lsprotocol.types`` alone is about 60%: attrs generates and compiles the
methods of some 570 classes), and the client waits for the initialize answer before it sends
anything else.

1. Read frames from standard input with the framing's ``FrameParser`` until the first message.
   Only a well-formed ``initialize`` request as the very first message is answered here (from
   ``lsp/capabilities.py``); anything else goes to the full server untouched, whose protocol
   applies the lifecycle rules of ``lsp/protocol.py`` to it as always.
2. Import the analysis, then take what the client sent meanwhile, without waiting for more. When
   that is ``initialized`` and a ``didOpen`` of a Dockerfile, publish its diagnostics the way the
   server does: settings from ``initializationOptions`` (``lsp/config.py``), the document and its
   analysis from ``lsp/store.py``, the conversion of ``lsp/diagnostic_json.py``.
3. Hand over (``Handover``): the full server handles every message read so far, in order, the
   initialize included. Its answer to that one is not sent but compared with the one that was (a
   warning if they differ); its first publish of the document is not sent when it equals the
   early one. Then it reads on from the same parser.
"""

from __future__ import annotations

import json
import os
import select
import sys
from typing import Any, BinaryIO, NamedTuple

from dockerfile_stages.lsp.capabilities import initialize_result
from dockerfile_stages.lsp.framing import Event, FrameParser

LOG_LEVELS = ("ERROR", "WARNING", "INFO", "DEBUG")
EARLY_MAX_CHARS = 64 * 1024  # a larger first document gets its diagnostics from the full server (not analysed twice)
_READ_SIZE = 64 * 1024
Json = dict[str, Any]


class Handover(NamedTuple):
    """What the bootstrap read and sent, for the full server to carry on from. (Like the framing,
    this module imports neither logging nor msgspec before initialize is answered.)"""

    parser: FrameParser  # may hold the start of the next message
    events: list[Event]  # every body (and framing problem) read, in order
    initialize_id: int | str | None = None  # the initialize request answered here (None: nothing answered)
    initialize_result: Json | None = None  # the result sent for it
    published: dict[str, Json] | None = None  # uri -> publishDiagnostics params sent here


def run(tcp: str | None = None, log_level: str = "warning", bootstrap: bool = True) -> int:
    """``serve``: over stdio, the bootstrap first; over TCP (or without ``bootstrap``), the full
    server from the start."""
    handover = None
    stdin = _descriptor(sys.stdin) if not tcp and bootstrap else None
    if stdin is not None:
        handover = begin(stdin, sys.stdout.buffer, log_level)
    configure_logging(log_level)  # (again: without effect where begin did)
    from dockerfile_stages.lsp.server import run as run_server

    return run_server(tcp=tcp, log_level=log_level, handover=handover)


def _descriptor(stream: Any) -> int | None:
    """The file descriptor under standard input (None without one: the full server reads it its way)."""
    try:
        return int(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return None


def configure_logging(log_level: str) -> None:
    import logging

    level = log_level.upper()
    logging.basicConfig(
        level=level if level in LOG_LEVELS else logging.WARNING, format="dockerfile-stages: %(levelname)s %(message)s"
    )


def begin(stdin: int, stdout: BinaryIO, log_level: str = "warning") -> Handover:
    """Steps 1 and 2 above; what was read and sent, for step 3."""
    parser = FrameParser()
    events: list[Event] = []
    request = _initialize_request(_first_message(stdin, parser, events))
    if request is None:
        return Handover(parser, events)
    request_id, params = request
    result = initialize_result(params.get("capabilities"))
    _send(stdout, {"jsonrpc": "2.0", "id": request_id, "result": result})
    published: dict[str, Json] = {}
    try:
        encoding = result["capabilities"]["positionEncoding"]
        published = _publish_first_document(stdin, stdout, parser, events, params, encoding)
    except Exception:  # the full server publishes instead; a bug here must not cost the session
        configure_logging(log_level)
        import logging

        logging.getLogger(__name__).exception("the early diagnostics failed")
    # Logging once the first diagnostics are out: importing it (with traceback, string...) is
    # about 10 ms, no part of the way to the answer or to the first diagnostics.
    configure_logging(log_level)
    if published:
        import logging

        logging.getLogger(__name__).debug("%s: diagnostics published before the server loaded", *published)
    return Handover(parser, events, request_id, result, published)


def _first_message(stdin: int, parser: FrameParser, events: list[Event]) -> Event | None:
    """Block until the first message (or framing problem) is read; None at end of input."""
    while not events:
        chunk = os.read(stdin, _READ_SIZE)
        if not chunk:
            return None
        events += parser.feed(chunk)
    return events[0]


def _initialize_request(event: Event | None) -> tuple[int | str, Json] | None:
    """The id and params of an initialize request, if that is what ``event`` is."""
    if not isinstance(event, bytes):
        return None
    message = _json(event)
    if message is None or message.get("jsonrpc") != "2.0" or message.get("method") != "initialize":
        return None
    request_id, params = message.get("id"), message.get("params")
    if isinstance(request_id, bool) or not isinstance(request_id, (int, str)):
        return None
    if not isinstance(params, dict) or not isinstance(params.get("capabilities"), dict):
        return None  # the full server says what is wrong with it
    return request_id, params


def _json(body: bytes) -> Json | None:
    try:
        message = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return message if isinstance(message, dict) else None


def _send(stdout: BinaryIO, message: Json) -> None:
    body = json.dumps(message, separators=(",", ":")).encode()
    stdout.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    stdout.flush()


def _read_ready(stdin: int, parser: FrameParser, events: list[Event]) -> None:
    """Whatever the client has sent by now, without waiting for more."""
    while True:
        try:
            ready, _, _ = select.select([stdin], [], [], 0)
        except (OSError, ValueError):  # not a pollable descriptor (Windows pipes): read nothing more here
            return
        if not ready:
            return
        chunk = os.read(stdin, _READ_SIZE)
        if not chunk:
            return
        events += parser.feed(chunk)


def _publish_first_document(
    stdin: int, stdout: BinaryIO, parser: FrameParser, events: list[Event], params: Json, encoding: str
) -> dict[str, Json]:
    """Step 2: the analysis imported, then the diagnostics of a didOpen that follows initialized
    (by URI: the publishDiagnostics params sent)."""
    from dockerfile_stages.ide.analysis import Services
    from dockerfile_stages.lsp.config import Settings
    from dockerfile_stages.lsp.diagnostic_json import PUBLISH_DIAGNOSTICS, diagnostics, publish_params
    from dockerfile_stages.lsp.store import DocumentStore
    from dockerfile_stages.lsp.uris import is_build_uri
    from dockerfile_stages.sizes.snapshot import snapshot_images
    from dockerfile_stages.syntax.positions import ENCODINGS

    _read_ready(stdin, parser, events)
    item, configurations = _first_opened(events[1:])
    if item is None or is_build_uri(item["uri"]):
        return {}
    settings, _ = Settings().updated(params.get("initializationOptions"))  # the full server warns about problems
    for raw in configurations:  # as workspace/didChangeConfiguration reads them
        settings, _ = settings.updated(raw)
    if not settings.pushes_diagnostics(pulled=False):
        return {}
    uri, version = item["uri"], item["version"]
    negotiated = next(known for known in ENCODINGS if known == encoding)
    opened = DocumentStore().open(uri, item["text"], version, negotiated, settings.platform)
    analysis = opened.analysis(settings.analysis_options(), Services(images=snapshot_images()))
    items = diagnostics(uri, analysis, settings.diagnostics_enabled, settings.max_problems)
    sent = publish_params(uri, version, items)
    _send(stdout, {"jsonrpc": "2.0", "method": PUBLISH_DIAGNOSTICS, "params": sent})
    return {uri: sent}


# What may come between initialized and the first didOpen without changing what it is published with,
# beside the settings a didChangeConfiguration brings (applied in order)
_HARMLESS = frozenset({"initialized", "$/setTrace"})
_MAX_BEFORE_OPEN = 4


def _first_opened(events: list[Event]) -> tuple[Json | None, list[Any]]:
    """The text document of a didOpen that follows initialized (with at most a few settings changes
    and trace levels between), if it is well-formed and small enough to analyse twice; and the
    ``settings`` of the didChangeConfiguration notifications before it."""
    configurations: list[Any] = []
    for event in events[:_MAX_BEFORE_OPEN]:
        if not isinstance(event, bytes) or len(event) > EARLY_MAX_CHARS * 2:
            return None, []
        message = _json(event)
        if message is None or "id" in message or message.get("jsonrpc") != "2.0":
            return None, []
        method, params = message.get("method"), message.get("params")
        if method in _HARMLESS:
            continue
        if method == "workspace/didChangeConfiguration" and isinstance(params, dict):
            configurations.append(params.get("settings"))
            continue
        if method != "textDocument/didOpen":
            return None, []
        item = params.get("textDocument") if isinstance(params, dict) else None
        well_formed = (
            isinstance(item, dict)
            and isinstance(item.get("uri"), str)
            and isinstance(item.get("text"), str)
            and isinstance(item.get("version"), int)
            and not isinstance(item.get("version"), bool)
            and len(item["text"]) <= EARLY_MAX_CHARS
        )
        return (item, configurations) if well_formed else (None, [])
    return None, []
