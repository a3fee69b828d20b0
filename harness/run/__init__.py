"""Runs: a configuration becomes samples, generated, scored and stored (``harness eval``).

- :mod:`~harness.run.config`: flags over ``[tool.harness]`` defaults;
- :mod:`~harness.run.prepare`: arms, tasks, the manifest, the sample context;
- :mod:`~harness.run.spec`: who one sample is;
- :mod:`~harness.run.sample`: one sample generated (by its solver) and scored;
- :mod:`~harness.run.scheduler`: generation and scoring overlapped, through an executor;
- :mod:`~harness.run.store`, :mod:`~harness.run.layout`, :mod:`~harness.run.records`: the
  run's files;
- :mod:`~harness.run.eval`: a whole run, resumed or rescored.
"""
