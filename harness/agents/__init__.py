"""Real coding agents (Claude Code, Codex CLI) as the system under test.

- :mod:`~harness.agents.clis`: the pinned CLIs, installed with npm into the cache;
- :mod:`~harness.agents.profiles`: each CLI's headless command line and environment;
- :mod:`~harness.agents.runner`: one CLI run in the sandbox against the model gateway
  (:mod:`harness.gateway`);
- :mod:`~harness.agents.transcripts`: the gateway's log and the CLI's stream as transcript
  events, with trigger events;
- :mod:`~harness.agents.sample`: one sample (workspace, skill placement, record).
"""
