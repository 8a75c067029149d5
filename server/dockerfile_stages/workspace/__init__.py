"""Reading the workspace: Dockerfiles, Compose and Bake files, build contexts and ``.dockerignore``.

The only room besides ``sizes`` and ``cli`` that touches the disk; the analysis takes its results as input.
"""
