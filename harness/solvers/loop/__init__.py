"""The ``loop`` solver: the harness's own tool loop (tools, sandboxed commands, budget)."""
