"""Read the price catalogue bundled in the installed ``genai-prices`` package.

Only the data shipped inside the package is read; its network updater is never used,
so a sync is offline and reproducible for a given package version. The package's
objects are turned into plain records here, so the rest of llmchoose never touches
them, and anything unexpected in them stops the run before a file is written.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from llmchoose.errors import InputError

__all__ = [
    "EXTRA_HINT",
    "Catalogue",
    "CatalogueModel",
    "CataloguePrice",
    "CatalogueProvider",
    "CatalogueTier",
    "load_catalogue",
]

PACKAGE = "genai-prices"
EXTRA_HINT = "install the 'prices' extra: pip install 'llmchoose[prices]'"
REPOSITORY = "https://github.com/pydantic/genai-prices"
_SLOTS = 48  # half hours of a day, to find the price in force for most of it


@dataclass(frozen=True)
class CatalogueTier:
    """Prices for a whole request whose prompt is longer than ``above_input_tokens``."""

    above_input_tokens: int
    input: float | None
    output: float | None
    cached_input: float | None


@dataclass(frozen=True)
class CataloguePrice:
    """USD per million tokens, standard service tier, with its long-prompt tiers, the
    scheduled prices after the day it was read for, and notes on what was simplified."""

    input: float
    output: float
    cached_input: float | None
    notes: tuple[str, ...] = ()
    tiers: tuple[CatalogueTier, ...] = ()
    changes: tuple[tuple[dt.date, CataloguePrice], ...] = ()
    schedule_note: str | None = None  # the next scheduled change, in words (also in notes)


@dataclass
class CatalogueModel:
    provider: str
    id: str
    name: str | None
    context_window: int | None
    deprecated: bool
    price: CataloguePrice | None
    skip_reason: str | None  # why it has no per-token price
    comments: str | None
    info: Any = field(default=None, repr=False, compare=False)


@dataclass
class CatalogueProvider:
    id: str
    name: str
    pricing_url: str | None
    comments: str | None
    fallback: list[str]
    models: list[CatalogueModel]
    raw: Any = field(default=None, repr=False, compare=False)


@dataclass
class Catalogue:
    """The package's providers and models, with the package version."""

    version: str
    providers: dict[str, CatalogueProvider]
    prices_on: dt.date = dt.date.min  # the day dated prices were taken as in force
    _by_info: dict[int, CatalogueModel] = field(default_factory=dict, repr=False)
    _raw: list[Any] = field(default_factory=list, repr=False)

    @property
    def source_id(self) -> str:
        return f"genai-prices-{self.version}"

    def models(self) -> list[CatalogueModel]:
        return [m for p in self.providers.values() for m in p.models]

    def find(self, provider_id: str, ref: str) -> CatalogueModel | None:
        """The model a request for ``ref`` at this provider is priced as, by the package's
        own match rules (including its fallback to another provider's list)."""
        provider = self.providers.get(provider_id)
        if provider is None or not ref:
            return None
        try:
            info = provider.raw.find_model(ref, all_providers=self._raw)
        except Exception as exc:  # the package's matching failed on its own data
            raise _corrupt(
                self.version, f"matching '{ref}' at {provider_id} failed: {exc}"
            ) from None
        return None if info is None else self._by_info.get(id(info))


def _corrupt(version: str, detail: str) -> InputError:
    return InputError(
        f"unexpected genai-prices {version} catalogue: {detail}; nothing was written",
        hint="reinstall the package (pip install --force-reinstall genai-prices) "
        "or pin a version that works",
    )


def _installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(PACKAGE)
    except PackageNotFoundError:
        return "unknown"


def _number(value: Any, where: str, version: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float):
        raise _corrupt(version, f"{where}: expected a number, got {type(value).__name__}")
    number = float(value)
    if not math.isfinite(number) or number < 0:
        raise _corrupt(version, f"{where}: expected a non-negative price, got {value}")
    # Ten significant digits: the catalogue's arithmetic leaves 1.0399999999999998.
    return float(f"{number:.10g}")


def _amount(
    value: Any, where: str, types: Any, version: str
) -> tuple[float | None, list[tuple[int, float]]]:
    """A per-million-token base price and its tiers as (prompt tokens above, price)."""
    if value is None:
        return None, []
    if isinstance(value, types.TieredPrices):
        base = _number(value.base, f"{where}.base", version)
        tiers = sorted(value.tiers or [], key=lambda t: t.start)
        steps = []
        for index, tier in enumerate(tiers):
            start = tier.start
            if isinstance(start, bool) or not isinstance(start, int) or start <= 0:
                raise _corrupt(version, f"{where}.tiers[{index}].start: expected a token count")
            steps.append((start, _number(tier.price, f"{where}.tiers[{index}].price", version)))
        return base, steps
    return _number(value, where, version), []


def _standard(info: Any, types: Any, as_of: dt.date, where: str, version: str):
    """The price set in force on ``as_of`` for most of the day, and notes saying so."""
    prices = info.prices
    if isinstance(prices, types.ModelPrice):
        return prices, [], [], None
    if not isinstance(prices, list) or not prices:
        raise _corrupt(version, f"{where}.prices: expected prices or a list of conditional prices")
    for index, item in enumerate(prices):
        if not isinstance(item, types.ConditionalPrice) or not isinstance(
            item.prices, types.ModelPrice
        ):
            raise _corrupt(version, f"{where}.prices[{index}]: expected a conditional price")
    start = dt.datetime.combine(as_of, dt.time(0, 0), tzinfo=dt.timezone.utc)
    seen: Counter[int] = Counter()
    by_id: dict[int, Any] = {}
    for slot in range(_SLOTS):
        moment = start + dt.timedelta(minutes=30 * slot)
        try:
            chosen = info.get_prices(moment)
        except Exception as exc:
            raise _corrupt(
                version, f"{where}: resolving conditional prices failed: {exc}"
            ) from None
        seen[id(chosen)] += 1
        by_id.setdefault(id(chosen), chosen)
    best_id, count = max(seen.items(), key=lambda kv: kv[1])  # ties: the earliest in the day
    chosen = by_id[best_id]
    notes = []
    if len(seen) > 1:
        notes.append(
            f"time-of-day pricing: the price in force for {count / 2:g} of 24 hours "
            "(UTC); other hours cost differently"
        )
    dated = next((p for p in prices if p.prices is chosen), None)
    if dated is not None and isinstance(dated.constraint, types.StartDateConstraint):
        notes.append(f"price in force from {dated.constraint.start_date} (prices as on {as_of})")
    upcoming = sorted(
        (p for p in prices if isinstance(p.constraint, types.StartDateConstraint)),
        key=lambda p: p.constraint.start_date,
    )
    later = next((p for p in upcoming if p.constraint.start_date > as_of), None)
    schedule_note = None
    if later is not None:
        values = vars(later.prices)

        def base(key: str) -> str:
            value = values.get(key)
            value = getattr(value, "base", value)
            return "—" if value is None else f"${float(value):g}"

        schedule_note = (
            f"scheduled change on {later.constraint.start_date}: input {base('input_mtok')}, "
            f"output {base('output_mtok')}"
        )
        notes.append(schedule_note)
    scheduled = [
        (p.constraint.start_date, p.prices) for p in upcoming if p.constraint.start_date > as_of
    ]
    return chosen, notes, scheduled, schedule_note


def _rates(prices: Any, types: Any, where: str, version: str):
    """Base prices, tiers and notes of one set of model prices (None: not per-token)."""
    values = vars(prices)
    amounts: dict[str, float | None] = {}
    steps: dict[str, list[tuple[int, float]]] = {}
    notes: list[str] = []
    for key in ("input_mtok", "output_mtok", "cache_read_mtok"):
        amounts[key], steps[key] = _amount(values.get(key), f"{where}.{key}", types, version)
    if amounts["input_mtok"] is None or amounts["output_mtok"] is None:
        return None
    cached = amounts["cache_read_mtok"]
    if cached is not None and cached > amounts["input_mtok"]:
        notes.append(f"cached input price ${cached:g} is above the input price; left out")
        cached = None
        steps["cache_read_mtok"] = []

    def at(key: str, threshold: int) -> float | None:
        """A field's price for prompts just above ``threshold``: its last tier passed."""
        price = cached if key == "cache_read_mtok" else amounts[key]
        for start, tier_price in steps[key]:
            if start <= threshold:
                price = tier_price
        return price

    # Each field may have its own thresholds; a request is billed by the prompt length,
    # so one tier per threshold carries every field's price there.
    tiers = []
    for threshold in sorted({start for found in steps.values() for start, _ in found}):
        tier_cached = at("cache_read_mtok", threshold)
        tier_input = at("input_mtok", threshold)
        if tier_cached is not None and tier_input is not None and tier_cached > tier_input:
            tier_cached = None
        tiers.append(
            CatalogueTier(threshold, tier_input, at("output_mtok", threshold), tier_cached)
        )
    return amounts["input_mtok"], amounts["output_mtok"], cached, tuple(tiers), notes


def _price(info: Any, types: Any, as_of: dt.date, where: str, version: str):
    standard, notes, scheduled, schedule_note = _standard(info, types, as_of, where, version)
    rates = _rates(standard, types, where, version)
    if rates is None:
        return None, (
            "no per-token input and output price (an embedding, audio, image or per-request model)"
        )
    input_price, output_price, cached, tiers, rate_notes = rates
    changes = []
    for starts, prices in scheduled:
        later = _rates(prices, types, f"{where} from {starts}", version)
        if later is not None:
            changes.append((starts, CataloguePrice(later[0], later[1], later[2], tiers=later[3])))
    price = CataloguePrice(
        input=input_price,
        output=output_price,
        cached_input=cached,
        notes=tuple([*notes, *rate_notes]),
        tiers=tiers,
        changes=tuple(changes),
        schedule_note=schedule_note,
    )
    return price, None


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


_TYPES = (
    "Provider",
    "ModelInfo",
    "ModelPrice",
    "TieredPrices",
    "ConditionalPrice",
    "StartDateConstraint",
)


def _build(raw_providers: Any, types: Any, version: str, as_of: dt.date) -> Catalogue:
    missing = [name for name in _TYPES if not isinstance(getattr(types, name, None), type)]
    if missing:
        raise _corrupt(version, f"the package no longer defines {', '.join(missing)}")
    if not isinstance(raw_providers, list) or not raw_providers:
        raise _corrupt(version, "expected a non-empty list of providers")
    catalogue = Catalogue(version=version, providers={}, prices_on=as_of, _raw=raw_providers)
    for p_index, raw in enumerate(raw_providers):
        where = f"providers[{p_index}]"
        if not isinstance(raw, types.Provider) or not isinstance(raw.id, str) or not raw.id:
            raise _corrupt(version, f"{where}: expected a provider with an id")
        if raw.id in catalogue.providers:
            raise _corrupt(version, f"{where}: duplicate provider id '{raw.id}'")
        if not isinstance(raw.models, list):
            raise _corrupt(version, f"{where} ({raw.id}).models: expected a list")
        urls = raw.pricing_urls if isinstance(raw.pricing_urls, list) else []
        provider = CatalogueProvider(
            id=raw.id,
            name=_text(raw.name) or raw.id,
            pricing_url=next(
                (u for u in urls if isinstance(u, str) and u.startswith("http")), None
            ),
            comments=_text(raw.price_comments),
            fallback=[f for f in raw.fallback_model_providers or [] if isinstance(f, str)],
            models=[],
            raw=raw,
        )
        seen: set[str] = set()
        for m_index, info in enumerate(raw.models):
            at = f"{raw.id}.models[{m_index}]"
            if not isinstance(info, types.ModelInfo) or not isinstance(info.id, str) or not info.id:
                raise _corrupt(version, f"{at}: expected a model with an id")
            if info.id in seen:
                raise _corrupt(version, f"{at}: duplicate model id '{info.id}'")
            seen.add(info.id)
            context = info.context_window
            if context is not None and (
                isinstance(context, bool) or not isinstance(context, int) or context <= 0
            ):
                raise _corrupt(version, f"{at}.context_window: expected a positive whole number")
            price, reason = _price(info, types, as_of, at, version)
            model = CatalogueModel(
                provider=raw.id,
                id=info.id,
                name=_text(info.name),
                context_window=context,
                deprecated=bool(info.deprecated),
                price=price,
                skip_reason=reason,
                comments=_text(info.price_comments),
                info=info,
            )
            provider.models.append(model)
            catalogue._by_info[id(info)] = model
        catalogue.providers[raw.id] = provider
    return catalogue


def load_catalogue(as_of: dt.date) -> Catalogue:
    """The installed package's catalogue; dated prices taken as in force on ``as_of``."""
    try:
        from genai_prices import data, types
    except ImportError:
        hint = EXTRA_HINT
        if sys.version_info < (3, 11):
            hint += "; genai-prices 0.2 needs Python 3.11 or newer"
        raise InputError("the genai-prices package is not installed", hint=hint) from None
    except Exception as exc:  # a broken installation: its data module fails to import
        raise _corrupt(_installed_version(), f"the package failed to load ({exc})") from None
    version = _installed_version()
    return _build(getattr(data, "providers", None), types, version, as_of)
