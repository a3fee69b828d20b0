"""Real coding agents (Claude Code, Codex CLI) as solvers.

- :mod:`~harness.solvers.coding_agents.clis`: the pinned CLIs, installed with npm into the
  cache;
- :mod:`~harness.solvers.coding_agents.profiles`: each CLI's headless command line and
  environment;
- :mod:`~harness.solvers.coding_agents.runner`: one CLI run in the sandbox against the model
  gateway (:mod:`harness.gateway`);
- :mod:`~harness.solvers.coding_agents.transcripts`: the gateway's log and the CLI's stream
  as transcript events, with trigger events;
- :mod:`~harness.solvers.coding_agents.solver`: the ``claude-code`` and ``codex`` solvers.
"""
