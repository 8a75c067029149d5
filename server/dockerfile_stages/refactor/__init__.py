"""Refactorings: text edits computed from the tree and the model (no I/O, no LSP)."""
