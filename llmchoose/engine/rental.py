"""Rented GPUs come with their cloud's paperwork.

A self-hosted option runs the team's own server software, but on rented GPUs the machines
belong to a GPU cloud (the hardware record's ``price_provider``). That cloud holds the
prompts in its memory and disks, so its HIPAA agreement, audits, regions and processing
terms are the option's. Only GPUs the team already owns have no vendor to answer for.

Sizing decides which hardware, hence which cloud, an option uses. So when the team's
hard rules require a fact of every vendor (a HIPAA BAA, say), sizing only rents from
clouds known to have it (:func:`rent_price`), and the option's compliance facts are those
of the cloud it ended up on (:func:`hardware_paper`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from llmchoose.loading.catalog import Catalog
from llmchoose.loading.conditions import evaluate
from llmchoose.loading.criteria import CriteriaSet
from llmchoose.schemas.criteria import Condition
from llmchoose.schemas.knowledge import Compliance, Hardware, Provider

__all__ = [
    "OWN_PAPER",
    "VENDOR_FACTS",
    "hardware_paper",
    "rent_or_inf",
    "rent_price",
    "rental_asks",
    "rental_meets",
    "rental_provenance",
    "required_vendor_facts",
    "unmet_rental_reason",
]

# The compliance facts a vendor of the machines answers for.
VENDOR_FACTS = ("hipaa_baa", "soc2_type2", "iso27001", "eu_data_residency", "gdpr_dpa")

# GPUs the team owns have no vendor, so vendor obligations are met by having none; the
# team's own controls and audits still apply.
OWN_PAPER: dict[str, Any] = {
    "gpus_rented": False,
    "gpu_vendor": None,
    "gpu_vendor_name": None,
    "hipaa_baa": True,
    "eu_data_residency": True,
    "soc2_type2": True,
    "iso27001": True,
    "gdpr_dpa": True,
    "regions": [],
}

# What each fact asks of a GPU cloud, to finish "no GPU rental ... is known to ...".
_ASKS = {
    "hipaa_baa": "sign a HIPAA business associate agreement",
    "soc2_type2": "have a SOC 2 Type II report",
    "iso27001": "hold ISO 27001",
    "eu_data_residency": "offer its GPUs in the EU",
    "gdpr_dpa": "offer a GDPR processing agreement",
}


def required_vendor_facts(criteria: CriteriaSet, answers: Mapping[str, Any]) -> tuple[str, ...]:
    """The vendor facts that the hard rules the answers switch on require to be true.

    Only a plain ``{attribute: F, equals: true}`` (alone or inside ``all``) counts: sizing
    can then rent only from clouds known to meet it. Any other form of rule still judges
    the option once it is sized.
    """
    found: set[str] = set()
    for criterion in criteria.criteria:
        for rule in criterion.constraints:
            if evaluate(rule.when, answers):
                found |= _required_true(rule.require)
    return tuple(sorted(found))


def _required_true(condition: Condition) -> set[str]:
    if condition.all is not None:
        return set().union(*(_required_true(part) for part in condition.all))
    if condition.attribute in VENDOR_FACTS and condition.equals is True:
        return {condition.attribute}
    return set()


def _vendor(catalog: Catalog, hw: Hardware) -> Provider | None:
    return catalog.providers.get(hw.price_provider) if hw.price_provider else None


def rental_meets(catalog: Catalog, hw: Hardware, must: tuple[str, ...]) -> bool:
    """Is the cloud renting ``hw`` known to meet every fact in ``must``? Unknown is no."""
    if not must:
        return True
    vendor = _vendor(catalog, hw)
    return vendor is not None and all(getattr(vendor.compliance, f) is True for f in must)


def rent_price(catalog: Catalog, hw: Hardware, must: tuple[str, ...]) -> float | None:
    """USD per GPU-hour to rent ``hw``; None when it has no rental price or its cloud is
    not known to meet ``must`` (the team may still use such GPUs if it owns them)."""
    if hw.price_per_hour is None or not rental_meets(catalog, hw, must):
        return None
    return hw.price_per_hour


def rent_or_inf(catalog: Catalog, hw: Hardware, must: tuple[str, ...]) -> float:
    """:func:`rent_price`, infinite where ``hw`` cannot be rented (so never the cheapest)."""
    price = rent_price(catalog, hw, must)
    return math.inf if price is None else price


def rental_asks(must: tuple[str, ...]) -> str:
    """What the rules ask of a GPU cloud, in words: "sign a HIPAA ... and hold ISO 27001"."""
    asks = [_ASKS.get(f, f"meet {f}") for f in must]
    return asks[0] if len(asks) == 1 else ", ".join(asks[:-1]) + " and " + asks[-1]


def unmet_rental_reason(must: tuple[str, ...], runtime_name: str) -> str:
    """Why no rented GPU will do: the rules ask of the cloud what none is known to give."""
    return (
        f"no GPU rental in the knowledge base that suits {runtime_name} is known to "
        f"{rental_asks(must)}; only GPUs you already own would do"
    )


def hardware_paper(catalog: Catalog, hardware_id: str, rented: bool) -> dict[str, Any]:
    """The compliance facts of a self-hosted option on ``hardware_id``: those of the cloud
    it is rented from (None where its record does not say), or none needed on owned GPUs."""
    if not rented:
        return dict(OWN_PAPER)
    vendor = _vendor(catalog, catalog.hardware[hardware_id])
    terms = vendor.compliance if vendor is not None else Compliance()
    return {
        "gpus_rented": True,
        "gpu_vendor": vendor.id if vendor is not None else None,
        "gpu_vendor_name": vendor.vendor if vendor is not None else None,
        **{name: getattr(terms, name) for name in VENDOR_FACTS},
        "regions": list(vendor.regions) if vendor is not None else [],
    }


def rental_provenance(catalog: Catalog, hardware_id: str) -> dict[str, tuple[str, Any]]:
    """Where each of the renting cloud's compliance facts comes from, keyed like option
    provenance (``gpu_vendor.compliance.hipaa_baa``)."""
    vendor = _vendor(catalog, catalog.hardware[hardware_id])
    if vendor is None:
        return {}
    found = {}
    for name in VENDOR_FACTS:
        prov = vendor.provenance_of(f"compliance.{name}")
        found[f"gpu_vendor.compliance.{name}"] = (prov.source, prov.as_of)
    return found
