"""One module per check; each exposes ``run(ctx) -> CheckResult``."""
