"""What only the benchmarks and the tests use, kept out of the ``harness`` package.

Simulated runs and outcome tables, the validity study's scenarios, synthetic stored runs.
"""
