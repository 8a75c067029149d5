"""The command line: the same analysis as the language server."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from dockerfile_stages import __version__
from dockerfile_stages.model import build_model
from dockerfile_stages.model.report import parse_report
from dockerfile_stages.sources import InputError, read_dockerfile
from dockerfile_stages.syntax import Document

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


def _parse_command(args: argparse.Namespace) -> int:
    text = read_dockerfile(args.file)
    document = Document(text)
    report = parse_report(document, build_model(document))
    if args.json:
        json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return EXIT_OK
    for stage in report["stages"]:
        name = stage["name"] or "(unnamed)"
        platform = f" --platform={stage['platform']}" if stage["platform"] else ""
        print(f"stage {stage['index']} {name}: FROM{platform} {stage['base']}  lines {stage['start_line']}-{stage['end_line']}")
        for item in report["instructions"]:
            if item["stage"] == stage["index"]:
                flags = " ".join(item["flags"])
                print(f"  {item['start_line']:>5}  {item['cmd']} {flags}".rstrip())
    for error in report["errors"]:
        print(f"error: line {error['line']}: {error['message']}")
    return EXIT_OK


def _serve_command(args: argparse.Namespace) -> int:
    from dockerfile_stages.lsp.server import run

    return run(tcp=args.tcp)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dockerfile-stages", description="Language server and checks for multi-stage Dockerfiles."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    parse = commands.add_parser("parse", help="print the parse of a Dockerfile (a debugging aid)")
    parse.add_argument("file", help="the Dockerfile, or - for standard input")
    parse.add_argument("--json", action="store_true", help="print the parse as JSON")
    parse.set_defaults(run=_parse_command)

    serve = commands.add_parser("serve", help="run the language server (stdio by default)")
    serve.add_argument("--stdio", action="store_true", help="talk LSP over stdin/stdout (the default)")
    serve.add_argument("--tcp", metavar="HOST:PORT", help="listen on a TCP address instead of stdio")
    serve.set_defaults(run=_serve_command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except InputError as err:
        print(f"dockerfile-stages: {err}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
