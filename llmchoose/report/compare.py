"""The factor comparison table: the leading options side by side, in words, from the
knowledge base facts of each option and each factor's ``compare:`` text for its kind."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from llmchoose.loading.formatting import pct, seconds
from llmchoose.report.sentences import cost_structure_text
from llmchoose.schemas.vocabulary import (
    API_CATEGORIES,
    CATEGORY_LABELS,
    MANAGED_IN_ACCOUNT,
    ON_DEVICE,
    OWN_HARDWARE_CATEGORIES,
    SELF_HOSTED,
    SERVED_CATEGORIES,
)

# Options that run open weights on machines sized for them: the team's, the users' or
# a managed endpoint's in the team's cloud account.
_SIZED = (*OWN_HARDWARE_CATEGORIES, MANAGED_IN_ACCOUNT)

__all__ = [
    "comparison",
    "describe_factor",
    "leading_options",
]


MAX_LEADING = 4

_SETUP = {
    "minutes": "Minutes",
    "hours": "Hours",
    "days": "Days",
    "weeks": "Weeks",
}
_TUNING = {
    "full": "Full fine-tuning; you keep the weights",
    "hosted": "Fine-tuning service of the provider",
    "none": "Prompts and retrieval only",
}
_PORTABILITY = {
    "high": "High: open weights, run anywhere",
    "medium": "Medium: closed model offered by several hosts or on a common API",
    "low": "Low: one vendor's model and API",
}


def _kind(category: str, headline: Any) -> str:
    """The kind of option a comparison column stands for. Behind an API or on-device
    headline, open weights on sized servers are one kind (managed in the account or on
    the team's own machines: the better of the two shows); behind a served headline,
    the two are compared with each other."""
    if category in SERVED_CATEGORIES and (
        headline is None or headline.category not in SERVED_CATEGORIES
    ):
        return "served"
    return category


def leading_options(result: Any) -> list[Any]:
    """The headline, the best option of each other kind, then the next distinct models,
    up to four — all read from the engine's result."""
    headline = result.headline
    chosen: list[Any] = [] if headline is None else [headline]
    for item in sorted(result.category_best.values(), key=lambda r: r.rank):
        if len(chosen) == MAX_LEADING:
            break
        kinds = {_kind(c.category, headline) for c in chosen}
        if item not in chosen and _kind(item.category, headline) not in kinds:
            chosen.append(item)
    for alternative in result.alternatives:
        if len(chosen) >= min(3, MAX_LEADING):
            break
        if alternative.option not in chosen:
            chosen.append(alternative.option)
    return sorted(chosen, key=lambda r: r.rank)


def _yes(value: Any, yes: str, no: str, unknown: str = "Unknown") -> str:
    if value is None:
        return unknown
    return yes if value else no


def _setup(f: Mapping[str, Any], item: Any) -> str:
    effort = _SETUP.get(f.get("setup_effort") or "", "Unknown")
    if item.category in API_CATEGORIES:
        return f"{effort}: an account, a key and an SDK call"
    if item.category == MANAGED_IN_ACCOUNT:
        where = f.get("instance_type") or "an instance"
        return f"{effort} to deploy it on {where}"
    runtime = f.get("runtime_name") or f.get("runtime") or "the runtime"
    return f"{effort} to install {runtime} and load the model"


def _integration(f: Mapping[str, Any], item: Any) -> str:
    api = _yes(
        f.get("openai_compatible"), "OpenAI-compatible API", "Its own API", "API style unknown"
    )
    if item.category in OWN_HARDWARE_CATEGORIES:
        return f"{api}, served by {f.get('runtime_name') or f.get('runtime')}"
    if item.category == MANAGED_IN_ACCOUNT:
        container = f.get("serving_container") or f.get("runtime_name")
        return f"{api}, served by {container} at {f.get('provider_name')}"
    return f"{api} at {f.get('provider_name')}"


def _latency(f: Mapping[str, Any], item: Any) -> str:
    response = f.get("response_time_s")
    if response is None:
        return "Not known"
    parts = [f"About {seconds(response)} per typical answer"]
    if f.get("ttft_s") is not None:
        parts.append(f"first token in {seconds(f['ttft_s'])}")
    if f.get("output_tokens_per_s"):
        parts.append(f"{f['output_tokens_per_s']:,.0f} tokens/s")
    text = ", ".join(parts)
    # Say what the figure rests on: a sibling's measurement is not this option's own.
    measured = f.get("speed_measured")
    when = f" on {measured}" if measured else ""
    if f.get("speed_basis") == "stand-in":
        text += f" (not measured itself: {f.get('speed_stand_in')}'s measurement{when} stands in)"
    elif f.get("speed_basis") == "measured" and measured:
        text += f" (measured{when})"
    return text


def _cost(f: Mapping[str, Any], item: Any) -> str:
    return cost_structure_text(
        f.get("cost_structure"), item.monthly_cost, dict(item.cost_breakdown or {})
    )


def _customization(f: Mapping[str, Any], item: Any) -> str:
    text = _TUNING.get(f.get("fine_tuning_level") or "", "Unknown")
    if f.get("lora_adapters"):
        text += "; serves LoRA adapters"
    return text


def _privacy(f: Mapping[str, Any], item: Any) -> str:
    if f.get("data_leaves_infrastructure") is False:
        if item.category == ON_DEVICE:
            return "Prompts never leave the user's device"
        if item.category == MANAGED_IN_ACCOUNT:
            return f"Prompts stay in your cloud account; {f.get('provider_name')} runs the machines"
        if f.get("gpus_rented"):
            return f"Prompts stay on servers you run, on GPUs rented from {_gpu_cloud(f)}"
        return "Prompts stay on machines you control"
    parts = [f"Prompts go to {f.get('provider_name')}"]
    regions = f.get("regions") or []
    if regions:
        parts[0] += f" ({', '.join(regions)})"
    days = f.get("retention_days")
    if days is not None:
        parts.append("not kept" if days == 0 else f"kept {days:g} days")
    zdr = f.get("zero_data_retention")
    if zdr in ("available", "on-request") and days:
        parts.append(f"zero retention {'on request' if zdr == 'on-request' else 'available'}")
    training = f.get("trains_on_api_data")
    if training is not None:
        parts.append("used for training by default" if training else "not used for training")
    return "; ".join(parts)


def _offline(f: Mapping[str, Any], item: Any) -> str:
    if item.category == ON_DEVICE:
        return _yes(f.get("offline_capable"), "Works with no network at all", "Needs a connection")
    if item.category == SELF_HOSTED:
        return _yes(
            f.get("offline_capable"),
            "Works inside your network without internet",
            "Needs a connection",
        )
    if item.category == MANAGED_IN_ACCOUNT:
        return "Needs a connection to your cloud region"
    return "Needs an internet connection"


def _devex(f: Mapping[str, Any], item: Any) -> str:
    parts = []
    sdks = f.get("sdk_languages") or []
    if sdks:
        parts.append("SDKs: " + ", ".join(sdks))
    elif item.category in _SIZED:
        parts.append("Any HTTP client" if f.get("openai_compatible") else "Runtime's own client")
    features = [
        name
        for key, name in (
            ("tool_calling", "tool calling"),
            ("structured_output", "structured output"),
            ("reasoning", "reasoning mode"),
        )
        if f.get(key)
    ]
    if features:
        parts.append(", ".join(features))
    if f.get("context_window"):
        parts.append(f"{f['context_window']:,} tokens of context")
    return "; ".join(parts) or "Unknown"


def _quality(f: Mapping[str, Any], item: Any) -> str:
    quality = f.get("quality")
    if quality is None:
        return "No leaderboard result"
    labels = {
        "lmarena-text": "LMArena text",
        "aa-intelligence-index": "AA Intelligence Index",
        "aa-intelligence-index-v3": "AA Intelligence Index (2025 version)",
    }
    signals = (f.get("quality_metric") or "leaderboard").split(" + ")
    metric = " and ".join(labels.get(s, s) for s in signals)
    if quality >= 1:
        text = f"The highest-rated model in the catalogue ({metric})"
    elif quality <= 0:
        text = f"The lowest-rated model in the catalogue ({metric})"
    else:
        text = f"Rated above {pct(quality)} of the other catalogue models ({metric})"
    if f.get("quantization") and item.category in _SIZED:
        text += f"; run at {f['quantization']}"
    return text


def _gpu_cloud(f: Mapping[str, Any]) -> str:
    return f.get("gpu_vendor_name") or "an unnamed GPU cloud"


def _held(f: Mapping[str, Any]) -> list[str]:
    """The certifications and contracts of a cloud that runs the machines."""
    pairs = (("hipaa_baa", "HIPAA BAA"), ("soc2_type2", "SOC 2 Type II"), ("iso27001", "ISO 27001"))
    return [name for key, name in pairs if f.get(key)]


def _compliance(f: Mapping[str, Any], item: Any) -> str:
    if item.category in OWN_HARDWARE_CATEGORIES and f.get("gpus_rented"):
        held = _held(f)
        cloud = _gpu_cloud(f)
        text = "Your controls" + (
            f"; GPU cloud {cloud}: {', '.join(held)}" if held else f"; {cloud}'s terms unknown"
        )
    elif item.category in OWN_HARDWARE_CATEGORIES:
        text = "Under your own controls"
    elif item.category == MANAGED_IN_ACCOUNT:
        held = _held(f)
        text = "Your controls" + (
            f"; cloud: {', '.join(held)}" if held else "; cloud's terms unknown"
        )
    else:
        held = [
            name
            for key, name in (
                ("hipaa_baa", "HIPAA BAA"),
                ("soc2_type2", "SOC 2 Type II"),
                ("iso27001", "ISO 27001"),
                ("gdpr_dpa", "GDPR DPA"),
                ("eu_data_residency", "EU residency"),
            )
            if f.get(key)
        ]
        text = ", ".join(held) if held else "No certifications known"
    if f.get("open_weights"):
        text += f"; licence {f.get('licence_id')}"
        if f.get("licence_user_limit"):
            text += f" (limit {f['licence_user_limit']:,} users)"
    return text


def _portability(f: Mapping[str, Any], item: Any) -> str:
    return _PORTABILITY.get(f.get("portability") or "", "Unknown")


# (row id, label, factor whose score marks the best cell, factor whose compare: text
# describes the kind of option, cell text)
Describe = Callable[[Mapping[str, Any], Any], str]
ROWS: list[tuple[str, str, str | None, str | None, Describe]] = [
    ("setup", "Setup time", "integration", None, _setup),
    ("integration", "Integration", "integration", "integration", _integration),
    ("latency", "Latency", "latency", "latency", _latency),
    ("cost", "Cost structure", "cost", "cost", _cost),
    ("customization", "Customization", "customization", "customization", _customization),
    ("privacy", "Data privacy", "privacy", "privacy", _privacy),
    ("offline", "Offline", "offline", "offline", _offline),
    ("devex", "Developer experience", None, None, _devex),
    ("quality", "Quality", "quality", "quality", _quality),
    ("compliance", "Compliance", "compliance", "compliance", _compliance),
    ("portability", "Portability", "lock_in", "lock_in", _portability),
]


_BY_FACTOR: dict[str, Describe] = {
    "privacy": _privacy,
    "compliance": _compliance,
    "cost": _cost,
    "customization": _customization,
    "integration": _setup,
    "latency": _latency,
    "offline": _offline,
    "quality": _quality,
    "lock_in": _portability,
}


def describe_factor(factor: str, facts: Mapping[str, Any], item: Any) -> str | None:
    """The facts behind one factor's score for one option, in words (None: no wording)."""
    describe = _BY_FACTOR.get(factor)
    return describe(facts, item) if describe else None


def _same(a: str, b: str) -> bool:
    """Whether two short texts say the same thing (the kind's text repeats the fact's)."""

    def words(text: str) -> str:
        return " ".join("".join(c for c in text.lower() if c.isalnum() or c == " ").split())

    return words(a).startswith(words(b)) or words(b).startswith(words(a))


def comparison(
    leading: Sequence[Any],
    compare_texts: Mapping[str, Mapping[str, str]],
    extras: Mapping[str, Mapping[str, Any]],
    places: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """Rows of words for the leading options (numbered by ``places``, each option's
    place among distinct models, else by its rank). ``extras`` adds facts per option id
    (runtime_name); ``compare_texts`` is each factor's ``compare:`` by category."""
    options = [
        {
            "id": item.id,
            "name": item.name,
            "rank": (places or {}).get(item.id, item.rank),
            "category": item.category,
            "category_label": CATEGORY_LABELS.get(item.category, item.category),
        }
        for item in leading
    ]
    rows = []
    for row_id, label, factor, typical_of, describe in ROWS:
        scores = [item.factor_scores.get(factor) if factor else None for item in leading]
        known = [s for s in scores if s is not None]
        best = max(known) if known and len(set(known)) > 1 else None
        cells = []
        for item, score in zip(leading, scores, strict=True):
            facts = {**(item.option.facts if item.option else {}), **extras.get(item.id, {})}
            text = describe(facts, item)
            typical = (
                (compare_texts.get(typical_of) or {}).get(item.category) if typical_of else None
            )
            cells.append(
                {
                    "text": text,
                    "typical": None if typical is None or _same(typical, text) else typical,
                    "score": score,
                    "best": best is not None and score == best,
                }
            )
        rows.append({"id": row_id, "label": label, "factor": factor, "cells": cells})
    return {"options": options, "rows": rows}
