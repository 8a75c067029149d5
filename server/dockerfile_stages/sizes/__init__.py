"""Image sizes: a local engine, a disk cache, the image's registry and a bundled snapshot.

The analysis never waits on these: ``SizeService`` answers from what it knows and looks up the rest
in the background. Nothing here imports LSP types.
"""
