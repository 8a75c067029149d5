"""Reading the workspace: files the analysis takes as input."""
