"""The language server: a thin layer translating between LSP and the analysis (one module per feature)."""
