"""Where each sample's model comes from: one source per run, one model per sample.

API models (``anthropic:``, ``openai:``) are built once per run, so every sample shares
one client and one adaptive concurrency limiter, and are wrapped per sample in the
response cache with that sample's epoch (a repeat is a new sample, not a replay; a
resumed run pays nothing twice). Offline models are built per sample: ``reference``
(the task's gold project), ``sim`` (gold or a mutant, drawn per arm) and
``replay:<run>`` (the same sample's transcript in an earlier run).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.models.registry import API_PROVIDERS, load_model, parse_spec
from harness.run.layout import RunLayout

if TYPE_CHECKING:
    from harness.models.base import Model
    from harness.models.cache import ResponseCache
    from harness.models.sim import SimSettings
    from harness.run.spec import SampleSpec
    from harness.tasks.loader import Task


class ModelSource:
    """Builds the model each sample talks to.

    Args:
        spec: The model spec.
        cache: The response cache for API models (None: no cache).
        base_url: The API's base URL, if not the provider's default.
        max_concurrency: Model calls in flight at most (API models).
        results_dir: Where ``replay:<run>`` finds the earlier run.
        sim: The simulated model's settings.
        options: Further provider options (``api_key``, ``timeout_s``...).
    """

    def __init__(
        self,
        spec: str,
        *,
        cache: ResponseCache | None = None,
        base_url: str | None = None,
        max_concurrency: int = 4,
        results_dir: Path = Path("results"),
        sim: SimSettings | None = None,
        options: dict[str, Any] | None = None,
    ) -> None:
        self.spec = spec
        self.provider, self.name = parse_spec(spec)
        self.cache = cache
        self.results_dir = results_dir
        self.sim = sim
        self._shared: Model | None = None
        self.endpoint: str | None = None
        if self.provider in API_PROVIDERS:
            extra = dict(options or {})
            if base_url:
                extra["base_url"] = base_url
            self._shared = load_model(spec, max_concurrency=max_concurrency, **extra)
            self.endpoint = getattr(self._shared, "base_url", None) or None

    def for_sample(self, spec: SampleSpec, task: Task) -> Model:
        """The model for one sample (close it with ``aclose`` when done)."""
        if self._shared is not None:
            from harness.models.cache import CachedModel, ResponseCache

            # A disabled cache passes every call through; the shared client stays open.
            return CachedModel(
                self._shared,
                self.cache or ResponseCache(enabled=False),
                epoch=spec.epoch,
                endpoint=self.endpoint or "default",
                owns_inner=False,
                scope=spec.arm,
            )
        if self.provider == "reference":
            return load_model("reference", reference_dir=task.reference_dir)
        if self.provider == "sim":
            return load_model(
                "sim",
                reference_dir=task.reference_dir,
                mutants=task.mutants,
                task=spec.task,
                arm=spec.arm,
                epoch=spec.epoch,
                settings=self.sim,
            )
        layout = RunLayout.of(self.results_dir, self.name)
        return load_model(
            self.spec,
            transcript=layout.transcript_of(spec.task, spec.arm, spec.epoch),
            epoch=spec.epoch,
        )

    async def aclose(self) -> None:
        """Release the shared client."""
        if self._shared is not None:
            await self._shared.aclose()


__all__ = ["ModelSource"]
