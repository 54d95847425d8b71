"""Find the catalogue entry that prices an offering of the knowledge base.

The package's own match rules decide (the same rules it uses to price a request), tried
with the offering's ``api_model_id`` and then its model id. Nothing is guessed beyond
that: an offering that does not match, or that matches different prices at several
hosts, is reported so a mapping entry can settle it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from llmchoose.kb.kbsync.genai_prices import Catalogue, CatalogueModel
from llmchoose.kb.kbsync.mapping import Mapping, OfferingMatch
from llmchoose.schemas.knowledge import Offering

__all__ = ["Match", "is_variant", "match_offering"]


@dataclass
class Match:
    """How an offering relates to the catalogue.

    ``status`` is one of ``matched``, ``unmatched``, ``ambiguous``, ``unpriced``,
    ``unmapped`` (no catalogue provider for its provider) or ``skipped``.
    """

    offering: str
    status: str
    model: CatalogueModel | None = None
    asked: str | None = None  # the catalogue provider the offering's provider maps to
    detail: str = ""
    tried: list[str] = field(default_factory=list)
    candidates: list[CatalogueModel] = field(default_factory=list)

    @property
    def via_fallback(self) -> bool:
        return (
            self.model is not None and self.asked is not None and self.model.provider != self.asked
        )


def is_variant(offering: Offering) -> bool:
    """A regional or other variant (``azure-openai/gpt-5.1-eu``) of the plain offering.

    The catalogue lists one price per model and provider, so a variant, whose price may
    carry a regional premium, is synced only through an explicit mapping entry.
    """
    plain = f"{offering.provider}/{offering.model}"
    return offering.id != plain and offering.id.startswith((f"{plain}-", f"{plain}."))


def _refs(offering: Offering) -> list[str]:
    refs = [offering.api_model_id, offering.model]
    return [r for i, r in enumerate(refs) if r and r not in refs[:i]]


def _suggest(catalogue: Catalogue, providers: list[str], refs: list[str]) -> str | None:
    names = [
        m.id for p in providers if p in catalogue.providers for m in catalogue.providers[p].models
    ]
    for ref in refs:
        close = difflib.get_close_matches(ref.lower(), [n.lower() for n in names], n=1, cutoff=0.6)
        if close:
            original = next(n for n in names if n.lower() == close[0])
            return original
    return None


def match_offering(offering: Offering, mapping: Mapping, catalogue: Catalogue) -> Match:
    explicit = mapping.offerings.get(offering.id)
    if explicit == "skip":
        return Match(offering.id, "skipped", detail="the mapping file says skip")
    if isinstance(explicit, OfferingMatch):
        provider = catalogue.providers.get(explicit.provider)
        model = None
        if provider is not None:
            model = next((m for m in provider.models if m.id == explicit.model), None)
        if model is None:
            return Match(
                offering.id,
                "unmatched",
                asked=explicit.provider,
                detail=f"the mapping names {explicit.provider}/{explicit.model}, "
                "which the catalogue does not have",
                tried=[explicit.model],
            )
        status = "matched" if model.price is not None else "unpriced"
        return Match(offering.id, status, model=model, asked=explicit.provider, detail="mapping")
    if is_variant(offering):
        return Match(
            offering.id,
            "skipped",
            detail="a regional variant: the catalogue lists one price per model; "
            "map it explicitly to sync it",
        )
    providers = mapping.genai_providers_for(offering.provider, list(catalogue.providers))
    providers = [p for p in providers if p in catalogue.providers]
    if not providers:
        return Match(offering.id, "unmapped", detail=offering.provider)
    refs = _refs(offering)
    found: list[tuple[str, CatalogueModel]] = []
    for provider_id in providers:
        for ref in refs:
            model = catalogue.find(provider_id, ref)
            if model is not None:
                found.append((provider_id, model))
                break
    if not found:
        suggestion = _suggest(catalogue, providers, refs)
        detail = f"no model at {', '.join(providers)} matches {' or '.join(refs)}"
        if suggestion:
            detail += f"; closest: {suggestion}"
        return Match(offering.id, "unmatched", asked=providers[0], detail=detail, tried=refs)
    prices = {
        (m.price.input, m.price.output, m.price.cached_input) if m.price else None for _, m in found
    }
    if len(prices) > 1:
        hosts = [f"{m.provider}/{m.id}" for _, m in found]
        where = ", ".join(hosts[:3]) + (f" and {len(hosts) - 3} more" if len(hosts) > 3 else "")
        return Match(
            offering.id,
            "ambiguous",
            asked=found[0][0],
            detail=f"several catalogue entries with different prices: {where}",
            tried=refs,
            candidates=[m for _, m in found],
        )
    asked, model = found[0]
    status = "matched" if model.price is not None else "unpriced"
    detail = "" if len(found) == 1 else f"same price at {len(found)} catalogue hosts"
    return Match(offering.id, status, model=model, asked=asked, detail=detail, tried=refs)
