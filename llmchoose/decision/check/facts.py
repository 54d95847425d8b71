"""The facts a choice relies on, read from the knowledge base with their provenance.

``decide`` records them in the decision file's snapshot; ``check`` reads them again from
today's knowledge base and compares. Each fact belongs to a group that decides which
finding a change raises: a price move, changed terms, a changed licence, or another
fact.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from llmchoose.engine.option import Option
from llmchoose.loading.catalog import Catalog
from llmchoose.schemas.common import Record
from llmchoose.schemas.vocabulary import API_CATEGORIES, MANAGED_IN_ACCOUNT, SELF_HOSTED

__all__ = ["FACT_GROUPS", "FACT_LABELS", "Fact", "relied_facts"]


@dataclass(frozen=True)
class Fact:
    key: str
    value: Any
    group: str  # price, terms, licence, capability, lifecycle, deployment
    where: str  # the record and field it comes from, e.g. "offering.price"
    source: str | None
    as_of: dt.date | None


# What each fact is, in words, for messages and the ADR.
FACT_LABELS: dict[str, str] = {
    "price_input": "input price (USD per 1M tokens)",
    "price_output": "output price (USD per 1M tokens)",
    "price_cached_input": "cached input price (USD per 1M tokens)",
    "hardware_price_per_hour": "hardware price (USD per GPU-hour)",
    "instance_price_per_hour": "managed instance price (USD per instance-hour)",
    "regions": "processing regions",
    "trains_on_api_data": "trains on API data",
    "retention_days": "prompt retention (days)",
    "zero_data_retention": "zero data retention",
    "hipaa_baa": "HIPAA BAA",
    "eu_data_residency": "EU data residency",
    "soc2_type2": "SOC 2 Type II",
    "iso27001": "ISO 27001",
    "gdpr_dpa": "GDPR DPA",
    "licence_id": "licence",
    "licence_commercial": "commercial use allowed",
    "licence_user_limit": "licence user limit (monthly active users)",
    "context_window": "context window (tokens)",
    "retires": "retirement date",
    "deprecated": "deprecation date",
    "status": "status",
    "runtime_maintenance": "runtime maintenance",
    "hardware": "hardware",
    "hardware_count": "devices per replica",
    "quantization": "quantization",
}

# The group of each fact, for facts a snapshot holds but today's option lacks.
FACT_GROUPS: dict[str, str] = {
    "price_input": "price",
    "price_output": "price",
    "price_cached_input": "price",
    "hardware_price_per_hour": "price",
    "instance_price_per_hour": "price",
    "regions": "terms",
    "licence_id": "licence",
    "licence_commercial": "licence",
    "licence_user_limit": "licence",
    "context_window": "capability",
    "retires": "lifecycle",
    "deprecated": "lifecycle",
    "status": "lifecycle",
    "runtime_maintenance": "lifecycle",
    "hardware": "deployment",
    "hardware_count": "deployment",
    "quantization": "deployment",
}

_COMPLIANCE = (
    "trains_on_api_data",
    "retention_days",
    "zero_data_retention",
    "hipaa_baa",
    "eu_data_residency",
    "soc2_type2",
    "iso27001",
    "gdpr_dpa",
)
FACT_GROUPS.update({name: "terms" for name in _COMPLIANCE})


def _number(value: Any) -> Any:
    """Whole floats as ints, so 15.0 and 15 compare and print alike."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _fact(key: str, value: Any, group: str, record: Record, kind: str, path: str) -> Fact:
    prov = record.provenance_of(path)
    # Where to refresh it: the record and its top-level field (provider.compliance).
    field = path.split(".", 1)[0]
    return Fact(
        key=key,
        value=_number(value),
        group=group,
        where=f"{kind}.{field}" if field else kind,
        source=prov.source,
        as_of=prov.as_of,
    )


def _model_facts(model) -> list[Fact]:
    return [
        _fact("licence_id", model.licence.id, "licence", model, "model", "licence"),
        _fact(
            "licence_commercial",
            model.licence.commercial_use,
            "licence",
            model,
            "model",
            "licence",
        ),
        _fact("licence_user_limit", model.licence.user_limit, "licence", model, "model", "licence"),
        _fact(
            "context_window",
            model.context_window,
            "capability",
            model,
            "model",
            "context_window",
        ),
        _fact("deprecated", model.deprecated, "lifecycle", model, "model", "deprecated"),
    ]


def _api_facts(option: Option, catalog: Catalog) -> list[Fact]:
    offering = catalog.offerings[option.id]
    model = catalog.models[offering.model]
    provider = catalog.providers[offering.provider]
    price = offering.price
    facts = [
        _fact("price_input", price and price.input, "price", offering, "offering", "price"),
        _fact("price_output", price and price.output, "price", offering, "offering", "price"),
        _fact(
            "price_cached_input",
            price and price.cached_input,
            "price",
            offering,
            "offering",
            "price",
        ),
        _fact(
            "regions",
            list(offering.regions or provider.regions),
            "terms",
            offering if offering.regions else provider,
            "offering" if offering.regions else "provider",
            "regions",
        ),
    ]
    for name in _COMPLIANCE:
        facts.append(
            _fact(
                name,
                getattr(provider.compliance, name),
                "terms",
                provider,
                "provider",
                f"compliance.{name}",
            )
        )
    facts += _model_facts(model)
    # The option retires with whichever of the offering and the model goes first.
    retires = option.facts.get("retires")
    if retires is not None and retires == model.retires and retires != offering.retires:
        facts.append(_fact("retires", retires, "lifecycle", model, "model", "retires"))
    else:
        facts.append(_fact("retires", retires, "lifecycle", offering, "offering", "retires"))
    facts.append(_fact("status", offering.status, "lifecycle", offering, "offering", "status"))
    return facts


def _own_facts(option: Option, catalog: Catalog) -> list[Fact]:
    model = catalog.models[option.facts["model"]]
    runtime = catalog.runtimes[option.facts["runtime"]]
    hardware = catalog.hardware[option.facts["hardware"]]
    facts = []
    if option.category == SELF_HOSTED:
        facts.append(
            _fact(
                "hardware_price_per_hour",
                hardware.price_per_hour,
                "price",
                hardware,
                "hardware",
                "price_per_hour",
            )
        )
    if option.category == MANAGED_IN_ACCOUNT:
        facts += _managed_facts(option, catalog)
    facts += _model_facts(model)
    facts += [
        _fact("hardware", hardware.id, "deployment", hardware, "hardware", ""),
        _fact(
            "hardware_count",
            option.facts.get("hardware_count"),
            "deployment",
            hardware,
            "hardware",
            "",
        ),
        _fact(
            "quantization",
            option.facts.get("quantization"),
            "deployment",
            runtime,
            "runtime",
            "quantizations",
        ),
        _fact(
            "runtime_maintenance",
            runtime.maintenance,
            "lifecycle",
            runtime,
            "runtime",
            "maintenance",
        ),
    ]
    return facts


def _managed_facts(option: Option, catalog: Catalog) -> list[Fact]:
    """A managed endpoint's instance price and the cloud's terms it relies on."""
    service = catalog.managed_endpoints[option.facts["managed_service"]]
    provider = catalog.providers[service.service]
    price = next(
        (i.price_per_hour for i in service.instances if i.type == option.facts["instance_type"]),
        None,
    )
    facts = [
        _fact(
            "instance_price_per_hour",
            price,
            "price",
            service,
            "managed_endpoints",
            "instances.price_per_hour",
        )
    ]
    for name in ("hipaa_baa", "eu_data_residency", "soc2_type2", "iso27001", "gdpr_dpa"):
        value = getattr(provider.compliance, name)
        facts.append(_fact(name, value, "terms", provider, "provider", f"compliance.{name}"))
    return facts


def relied_facts(option: Option, catalog: Catalog) -> dict[str, Fact]:
    """Every fact the option's suitability rests on, by key, in a stable order."""
    if option.category in API_CATEGORIES:
        facts = _api_facts(option, catalog)
    else:
        facts = _own_facts(option, catalog)
    return {f.key: f for f in facts}
