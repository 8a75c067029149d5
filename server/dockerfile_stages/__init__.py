"""dockerfile-stages: a language server and command line for multi-stage Dockerfiles."""

__version__ = "0.1.0"
