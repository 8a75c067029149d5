"""Editor features as pure functions of a document and its stage model.

Input: a ``Document``, its ``StageModel`` and a position (line, code-point column). Output: plain
data with absolute positions. The LSP layer translates these and does nothing else.
"""
