"""The records `kb import genai-prices` writes: ids made from catalogue names, and each
model, offering and source record built from a catalogue entry and validated against
the knowledge schema before anything is written."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from llmchoose.errors import InputError
from llmchoose.kb.kbsync.genai_prices import (
    REPOSITORY,
    CatalogueModel,
    CatalogueProvider,
)
from llmchoose.kb.kbsync.mapping import Mapping
from llmchoose.kb.kbsync.sync import _change_rows, _tier_rows
from llmchoose.schemas.knowledge import Model

PREFIX = "gp."

INFERRED = "gp.inferred"

UNKNOWN = "gp.unknown"

# The schema requires a context window; 1 token fails every context requirement, as an
# unknown one would, and is plainly not a real value.
PLACEHOLDER_CONTEXT = 1

_ID_MAX = 120


def slug(text: str) -> str:
    """A lower-case id part: letters, digits, dots and dashes."""
    value = re.sub(r"[^a-z0-9._-]+", "-", text.lower())
    value = re.sub(r"-{2,}", "-", value).strip("-._")
    return value or "x"


def digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def shorten(value: str, limit: int, original: str) -> str:
    if len(value) <= limit:
        return value
    return value[: limit - 9].rstrip("-._") + "-" + digest(original)


def is_optional(schema: type[BaseModel], name: str) -> bool:
    """Whether the schema lets a field be left out (then the import leaves it out)."""
    return not schema.model_fields[name].is_required()


@dataclass
class RecordIds:
    """Unique, valid ids for one provider's models."""

    used: set[str] = field(default_factory=set)

    def model_part(self, provider: str, model_id: str) -> str:
        room = _ID_MAX - len(PREFIX) - len(provider) - 1
        part = shorten(slug(model_id), room, model_id)
        if part in self.used:
            part = shorten(part, room - 9, model_id) + "-" + digest(model_id)
        self.used.add(part)
        return part


def provider_source(provider: CatalogueProvider, pslug: str, version: str) -> dict[str, Any]:
    return {
        "id": f"{PREFIX}{pslug}",
        "title": f"{provider.name} prices in genai-prices {version}",
        "url": provider.pricing_url or REPOSITORY,
        "publisher": "Pydantic (genai-prices)",
        "note": "Read from the installed genai-prices package (its network update is never "
        "used): standard tier, USD per million tokens.",
    }


def meta_sources(version: str) -> list[dict[str, Any]]:
    return [
        {
            "id": INFERRED,
            "title": "Guessed by llmchoose kb import from the model id in genai-prices (not a sourced fact)",
            "url": REPOSITORY,
            "note": "Vendor, family and open weights follow the rules in llmchoose's genai-prices "
            "mapping; the licence is assumed to allow commercial use of the paid API. "
            f"genai-prices {version} does not record any of them.",
        },
        {
            "id": UNKNOWN,
            "title": "Not known: a placeholder the knowledge schema requires (not a fact)",
            "url": REPOSITORY,
            "note": f"genai-prices {version} gives no value. A context window of "
            f"{PLACEHOLDER_CONTEXT} fails every context requirement, as an unknown one would.",
        },
    ]


def model_record(
    entry: CatalogueModel,
    model_id: str,
    source: str,
    mapping: Mapping,
    vendor_of_provider: str | None,
    as_of: dt.date,
    placeholders: dict[str, int],
) -> dict[str, Any]:
    rule = mapping.family_of(entry.id)
    org = entry.id.split("/", 1)[0] if "/" in entry.id else None
    vendor = rule.vendor if rule else org or vendor_of_provider or "unknown"
    guessed = {"source": INFERRED, "as_of": as_of}
    record: dict[str, Any] = {
        "id": model_id,
        "name": entry.name or entry.id,
        "vendor": vendor,
        "family": rule.family if rule else "unknown",
        "open_weights": rule.open_weights if rule else False,
    }
    provenance: dict[str, Any] = {
        "vendor": dict(guessed),
        "family": dict(guessed),
        "open_weights": dict(guessed),
        "licence": dict(guessed),
    }
    notes = [
        f"Imported from genai-prices ({entry.provider}/{entry.id}); not curated.",
        "Vendor, family and open weights guessed from the id"
        + (f" by the rule '{rule.pattern}'." if rule else ": no rule matched."),
    ]
    if entry.context_window is not None:
        record["context_window"] = entry.context_window
    elif not is_optional(Model, "context_window"):
        record["context_window"] = PLACEHOLDER_CONTEXT
        provenance["context_window"] = {"source": UNKNOWN, "as_of": as_of}
        placeholders["context_window"] = placeholders.get("context_window", 0) + 1
        notes.append(f"Context window unknown: {PLACEHOLDER_CONTEXT} is a placeholder.")
    record["licence"] = {
        "id": "unknown",
        "commercial_use": True,
        "notes": "Not known; commercial use of the paid API is assumed.",
    }
    record.update(
        {
            "source": source,
            "as_of": as_of,
            "provenance": provenance,
            "notes": " ".join(notes),
        }
    )
    return record


def offering_record(
    entry: CatalogueModel,
    offering_id: str,
    provider_id: str,
    model_id: str,
    source: str,
    as_of: dt.date,
) -> dict[str, Any]:
    price = entry.price
    assert price is not None
    prices: dict[str, Any] = {"input": price.input, "output": price.output}
    if price.cached_input is not None:
        prices["cached_input"] = price.cached_input
    if price.tiers:
        prices["tiers"] = _tier_rows(price.tiers)
    record: dict[str, Any] = {
        "id": offering_id,
        "provider": provider_id,
        "model": model_id,
        "api_model_id": entry.id,
        "price": prices,
    }
    if price.changes:
        record["price_changes"] = _change_rows(price.changes)
    if entry.deprecated:
        record["status"] = "deprecated"
    record.update({"imported": True, "source": source, "as_of": as_of})
    notes = list(price.notes)
    if entry.deprecated:
        notes.append("the catalogue marks the model deprecated (no retirement date given)")
    if notes:
        record["notes"] = "; ".join(notes)[:4000]
    return record


def validate_record(
    kind: str, schema: type[BaseModel], record: dict[str, Any], version: str
) -> None:
    try:
        schema.model_validate(record)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(
            f"unexpected genai-prices {version} catalogue: the {kind} record '{record.get('id')}' "
            f"would not be valid ({where}: {first['msg']}); nothing was written",
            hint="report it, or leave that provider out with --only",
        ) from None
