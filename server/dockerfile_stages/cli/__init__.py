"""The command line: argument parsing and the output formats of check, size, parse and split.

It reads files through ``workspace`` and runs the same analysis as the language server.
"""

from dockerfile_stages.cli.main import main

__all__ = ["main"]
