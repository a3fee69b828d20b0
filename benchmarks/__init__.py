"""The benchmarks: speed and validity measurements, run by hand (``--smoke`` in CI)."""
