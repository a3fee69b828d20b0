"""On-disk response cache: the same request in the same epoch is answered from disk.

The key is a SHA-256 over the provider and model, the generation parameters, the
full request (system prompt, every message, every tool) and the epoch, so a new
epoch is a new sample (a real call), while a resumed or re-run epoch costs nothing.
Each entry is one JSON file ``<root>/<key[:2]>/<key>.json`` written atomically; a
corrupt entry is a miss, never an error. ``--no-cache`` maps to
``ResponseCache(root, enabled=False)`` (or to passing no cache at all).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from harness.fileio import write_atomically
from harness.models.base import GenerationParams, Message, ModelReply, ToolSpec

if TYPE_CHECKING:
    from harness.models.base import Model

CACHE_FORMAT = 2
"""Bump to invalidate every entry when the key or the stored reply changes meaning."""


def default_cache_dir() -> Path:
    """``$HARNESS_CACHE_DIR``, else ``$XDG_CACHE_HOME/skill-harness/responses``."""
    if env := os.environ.get("HARNESS_CACHE_DIR"):
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "skill-harness" / "responses"


@dataclass
class CacheStats:
    """What the cache saved in this process: hits, misses and what hits did not cost."""

    hits: int = 0
    misses: int = 0
    writes: int = 0
    saved_usd: float = 0.0
    saved_tokens: int = 0
    saved_s: float = 0.0

    def as_dict(self) -> dict[str, float | int]:
        """The counters as a plain dict (for the run manifest and reports)."""
        return {
            "hits": self.hits,
            "misses": self.misses,
            "writes": self.writes,
            "saved_usd": round(self.saved_usd, 6),
            "saved_tokens": self.saved_tokens,
            "saved_s": round(self.saved_s, 3),
        }


class _Entry(BaseModel):
    format: int
    key: str
    model: str
    epoch: int
    reply: ModelReply


def request_key(
    model: str,
    system: str,
    messages: list[Message],
    tools: list[ToolSpec],
    params: GenerationParams,
    epoch: int,
    endpoint: str = "default",
    scope: str = "",
) -> str:
    """The cache key of one request (hex SHA-256 of its canonical JSON).

    ``endpoint`` is the server's base URL: the same model name on two servers (Ollama
    and vLLM, or OpenAI and a local server) never shares replies. ``scope`` names the
    arm of a run: two arms whose requests happen to be identical (an A/A control of two
    baselines) stay independent samples.
    """
    payload: dict[str, Any] = {
        "format": CACHE_FORMAT,
        "endpoint": endpoint,
        "scope": scope,
        "model": model,
        "epoch": epoch,
        "params": params.model_dump(mode="json"),
        "system": system,
        "messages": [m.model_dump(mode="json") for m in messages],
        "tools": [t.model_dump(mode="json") for t in tools],
    }
    blob = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(blob.encode()).hexdigest()


class ResponseCache:
    """A folder of cached replies with hit and saving counters.

    Args:
        root: the cache folder (created on first write).
        enabled: ``False`` turns every lookup into a miss and stores nothing.
    """

    def __init__(self, root: Path | None = None, *, enabled: bool = True) -> None:
        self.root = root if root is not None else default_cache_dir()
        self.enabled = enabled
        self.stats = CacheStats()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> ModelReply | None:
        """The stored reply for ``key`` (counted as a hit), or ``None`` (a miss)."""
        if not self.enabled:
            return None
        path = self._path(key)
        try:
            entry = _Entry.model_validate_json(path.read_bytes())
        except (OSError, ValidationError):
            self.stats.misses += 1
            return None
        if entry.format != CACHE_FORMAT or entry.key != key:
            self.stats.misses += 1
            return None
        reply = entry.reply
        self.stats.hits += 1
        self.stats.saved_usd += reply.cost_usd or 0.0
        self.stats.saved_tokens += reply.usage.total_tokens
        self.stats.saved_s += reply.wall_s
        return reply.model_copy(update={"cached": True})

    def put(self, key: str, *, model: str, epoch: int, reply: ModelReply) -> None:
        """Store a reply atomically (a crash never leaves half an entry)."""
        if not self.enabled:
            return
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        entry = _Entry(
            format=CACHE_FORMAT,
            key=key,
            model=model,
            epoch=epoch,
            reply=reply.model_copy(update={"cached": False}),
        )
        write_atomically(path, entry.model_dump_json())
        self.stats.writes += 1


class CachedModel:
    """A model whose replies are looked up in, and stored to, a :class:`ResponseCache`.

    Cheap to build: wrap one provider per sample with that sample's epoch.
    Replies that stopped with ``error`` are not stored (a refusal may not repeat).
    """

    def __init__(
        self,
        inner: Model,
        cache: ResponseCache,
        *,
        epoch: int = 0,
        endpoint: str = "default",
        owns_inner: bool = True,
        scope: str = "",
    ) -> None:
        self.inner = inner
        self.scope = scope
        self.owns_inner = owns_inner
        self.cache = cache
        self.epoch = epoch
        self.endpoint = endpoint
        self.name = inner.name

    async def complete(
        self,
        system: str,
        messages: list[Message],
        tools: list[ToolSpec],
        params: GenerationParams,
    ) -> ModelReply:
        """Answer from the cache, or call the inner model and remember its reply."""
        key = request_key(
            self.name,
            system,
            messages,
            tools,
            params,
            self.epoch,
            self.endpoint,
            self.scope,
        )
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        reply = await self.inner.complete(system, messages, tools, params)
        if reply.stop_reason != "error":
            self.cache.put(key, model=self.name, epoch=self.epoch, reply=reply)
        return reply

    @property
    def priced(self) -> bool:
        """Whether the inner model's replies have a price."""
        return self.inner.priced

    async def aclose(self) -> None:
        """Close the inner model (unless it is shared by other samples)."""
        if self.owns_inner:
            await self.inner.aclose()
