"""The error a file that cannot be read as a Dockerfile raises (its own module: the command line
catches it without importing the readers, so ``--version`` stays cheap)."""


class InputError(Exception):
    """A file that cannot be read as a Dockerfile; the message is for the user."""
