"""skill-harness: measure whether an Agent Skill makes a model write better FastAPI code.

The programmatic front door is :func:`evaluate`: what ``harness eval`` does, without the
command line. Importing :mod:`harness` loads nothing else; each call imports what it needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harness.version import __version__

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from harness.run.config import EvalConfig
    from harness.run.eval import EvalOutcome
    from harness.run.scheduler import Observer


def evaluate(
    config: EvalConfig | Mapping[str, Any],
    *,
    resume: str | None = None,
    results_dir: Path | None = None,
    retry_errors: bool = False,
    observer: Observer | None = None,
) -> EvalOutcome:
    """Run an evaluation (or finish one) and return its records; nothing is printed.

    Args:
        config: An :class:`~harness.run.config.EvalConfig`, or its fields as a mapping
            (the keys of ``[tool.harness]``, e.g. ``{"model": "sim", "variants": [...]}``).
        resume: Finish the stored run with this id instead (``config`` then gives only
            what may change between sessions: concurrency, slots, scoring, sandbox).
        results_dir: Where runs are stored (default: the config's, or ``results``).
        retry_errors: With ``resume``, redo the samples that failed for infrastructure
            reasons.
        observer: Told about each sample as it moves (a progress display, a log).

    Returns:
        The outcome: the prepared run and every stored record.

    Raises:
        UsageError: For a configuration that cannot run (one line naming the option).
    """
    from pathlib import Path

    from harness.run.config import EvalConfig, build_config
    from harness.run.eval import run_eval
    from harness.run.prepare import resume_run, start_run

    if resume is not None:
        fields = config.model_dump() if isinstance(config, EvalConfig) else dict(config)
        folder = results_dir or Path(fields.get("results_dir") or "results")
        overrides = {
            key: fields.get(key)
            for key in ("max_concurrency", "score_slots", "score", "sandbox")
        }
        run = resume_run(folder, resume, overrides)
    else:
        chosen = (
            config
            if isinstance(config, EvalConfig)
            else build_config(dict(config), defaults=False)
        )
        if results_dir is not None:
            chosen = chosen.model_copy(update={"results_dir": results_dir})
        run = start_run(chosen)
    return run_eval(run, retry_errors=retry_errors, observer=observer)


__all__ = ["__version__", "evaluate"]
