"""Model specs to models: a small registry with lazy imports.

Specs: ``anthropic:<model>``, ``openai:<model>``, ``reference``, ``sim`` and
``replay:<run>`` (see :mod:`harness.models.base` for each one's options). Each provider is
named by the module whose ``create`` builds it and imported only when its spec is loaded,
so ``anthropic`` works without the ``openai`` SDK and the reverse, ``harness --help``
imports no SDK, and a provider may live above this package (``replay`` reads transcripts,
so it lives in :mod:`harness.transcript`, which depends on this package's types).

Every API model is wrapped in the response cache when a ``cache`` is given; the cache key
names the endpoint (the base URL), so one model name served by two servers never answers
for the other.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from harness.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Callable

    from harness.models.base import Model

#: Provider name -> the module whose ``create(name, **options)`` builds its models.
PROVIDERS: dict[str, str] = {
    "anthropic": "harness.models.anthropic_provider",
    "openai": "harness.models.openai_provider",
    "replay": "harness.transcript.replay",
    "reference": "harness.models.reference",
    "sim": "harness.models.sim",
}
#: Specs without a ``:<name>`` part.
BARE = frozenset({"reference", "sim"})
#: Providers that call an API (cached, priced, need a key or a server).
API_PROVIDERS = frozenset({"anthropic", "openai"})


def parse_spec(spec: str) -> tuple[str, str]:
    """Split ``provider:model`` into its parts; ``reference`` and ``sim`` have no model part.

    Raises:
        UsageError: The spec names no known provider or lacks the model name.
    """
    if spec in BARE:
        return spec, ""
    provider, sep, rest = spec.partition(":")
    if provider not in PROVIDERS or provider in BARE or not sep or not rest:
        msg = (
            f"unknown model {spec!r}: use anthropic:<model>, openai:<model>, "
            "reference, sim or replay:<run-id>"
        )
        raise UsageError(msg)
    return provider, rest


def load_model(spec: str, **options: Any) -> Model:  # noqa: ANN401
    """Build the model a spec names.

    Args:
        spec: The model spec.
        **options: The provider's options, plus ``cache`` (a
            :class:`~harness.models.cache.ResponseCache`) and ``epoch``.

    Returns:
        The model, wrapped in the cache for API providers when ``cache`` is given.

    Raises:
        UsageError: Unknown spec or option, or the provider's SDK is not installed.
    """
    provider, name = parse_spec(spec)
    cache = options.pop("cache", None)
    epoch = int(options.pop("epoch", 0))
    if provider in {"replay", "sim"}:
        options["epoch"] = epoch
    try:
        module = importlib.import_module(PROVIDERS[provider])
    except ImportError as exc:  # the SDK of an optional provider
        msg = (
            f"model {spec!r} needs the {exc.name!r} package: "
            f"uv pip install 'skill-harness[{provider}]'"
        )
        raise UsageError(msg) from exc
    factory: Callable[..., Model] = module.create
    try:
        model = factory(name, **options)
    except TypeError as exc:
        msg = f"model {spec!r}: {exc}"
        raise UsageError(msg) from exc
    if cache is not None and provider in API_PROVIDERS:
        from harness.models.cache import CachedModel

        # The endpoint the provider resolved (option, environment or default).
        endpoint = str(getattr(model, "base_url", None) or "default")
        model = CachedModel(model, cache, epoch=epoch, endpoint=endpoint)
    return model


__all__ = ["API_PROVIDERS", "PROVIDERS", "load_model", "parse_spec"]
