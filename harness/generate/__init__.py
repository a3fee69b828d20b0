"""Generation: task x variant x delivery x mode x model x epoch -> a workspace and a record.

- :mod:`harness.generate.core`: :func:`generate` builds the workspace and the prompts and runs
  a mode;
- :mod:`harness.generate.modes`: the ``oneshot`` and ``agent`` modes;
- :mod:`harness.generate.record`: :class:`GenerationRecord` and :func:`finish_record`, shared
  with the coding-agent runners (:mod:`harness.agents`).
"""

from harness.generate.core import budget_for, generate, starter_texts
from harness.generate.record import (
    GENERATION_SCHEMA_VERSION,
    GenerationRecord,
    Mode,
    StopReason,
    finish_record,
    write_record,
)

__all__ = [
    "GENERATION_SCHEMA_VERSION",
    "GenerationRecord",
    "Mode",
    "StopReason",
    "budget_for",
    "finish_record",
    "generate",
    "starter_texts",
    "write_record",
]
