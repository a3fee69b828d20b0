"""Real coding agents (Claude Code, Codex CLI) as the system under test.

:mod:`~harness.agents.clis` installs the pinned CLIs; :mod:`~harness.agents.runner` runs one in
the sandbox against the model gateway (:mod:`harness.gateway`); the per-agent modules know
each CLI's command line, configuration and output stream.
"""
