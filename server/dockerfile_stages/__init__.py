"""dockerfile-stages: a language server and command line for multi-stage Dockerfiles.

Importing the package changes nothing in the process: the command line's start-up tricks
(``lean_msgspec``) are installed by its ``main`` only.
"""

__version__ = "0.1.0"
