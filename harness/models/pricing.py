"""Token prices and the cost of a call, from a pydantic-validated TOML table.

The built-in table is ``harness/models/prices.toml``. A user file (``$HARNESS_PRICES``,
or the ``prices`` option of a provider) has the same shape; its entries are matched before the
built-in ones, so it can add a model or correct a price without copying the rest.
"""

from __future__ import annotations

import fnmatch
import os
import tomllib
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from harness.errors import UsageError, first_error
from harness.models.base import Usage

BUILTIN_PRICES = Path(__file__).with_name("prices.toml")
_PER = 1_000_000


class ModelPrice(BaseModel):
    """Dollars per million tokens for the models whose id matches ``match`` (a glob)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    match: str = Field(min_length=1)
    input: float = Field(ge=0)
    output: float = Field(ge=0)
    cache_read: float | None = Field(default=None, ge=0)
    cache_write: float | None = Field(default=None, ge=0)

    def cost(self, usage: Usage) -> float:
        """The dollar cost of ``usage`` at these prices."""
        read = self.input if self.cache_read is None else self.cache_read
        write = self.input if self.cache_write is None else self.cache_write
        return (
            usage.input_tokens * self.input
            + usage.output_tokens * self.output
            + usage.cache_read_tokens * read
            + usage.cache_write_tokens * write
        ) / _PER


class PriceTable(BaseModel):
    """A price file: metadata and an ordered list of ``[[model]]`` entries."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    currency: str = "USD"
    unit: str = "per million tokens"
    as_of: str | None = None
    model: list[ModelPrice] = Field(default_factory=list)

    def find(self, *model_ids: str) -> ModelPrice | None:
        """The first entry matching any of ``model_ids`` (tried in order)."""
        for model_id in model_ids:
            if not model_id:
                continue
            for entry in self.model:
                if fnmatch.fnmatchcase(model_id, entry.match):
                    return entry
        return None

    def cost(self, usage: Usage, *model_ids: str) -> float | None:
        """The dollar cost of ``usage``, or ``None`` when no entry matches."""
        entry = self.find(*model_ids)
        return None if entry is None else entry.cost(usage)

    def overlay(self, other: PriceTable) -> PriceTable:
        """This table with ``other``'s entries matched first."""
        return self.model_copy(update={"model": [*other.model, *self.model]})


def read_price_file(path: Path) -> PriceTable:
    """Read and validate one price file.

    Raises:
        UsageError: the file is missing, not TOML, or not a valid price table.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return PriceTable.model_validate(data)
    except OSError as exc:
        raise UsageError(f"cannot read price file {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"price file {path} is not valid TOML: {exc}") from exc
    except ValidationError as exc:
        where, why = first_error(exc)
        raise UsageError(
            f"price file {path}: {where}: {why} (see {BUILTIN_PRICES} for the shape)"
        ) from exc


@cache
def _builtin() -> PriceTable:
    return read_price_file(BUILTIN_PRICES)


def load_prices(user_file: Path | str | None = None) -> PriceTable:
    """The built-in table, overlaid with ``user_file`` or ``$HARNESS_PRICES`` if set."""
    table = _builtin()
    chosen = user_file if user_file is not None else os.environ.get("HARNESS_PRICES")
    if chosen:
        table = table.overlay(read_price_file(Path(chosen)))
    return table
