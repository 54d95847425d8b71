"""The project's vocabulary: the words every layer shares, spelled in one place.

Option categories and their labels, the ranking methods, the facts every option
exposes, the finding codes of ``llmchoose check`` and the score thresholds that make a
factor a reason for or against an option. Other modules import these names rather than
spelling the strings themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Literal

__all__ = [
    "API_CATEGORIES",
    "AREAS",
    "ATTRIBUTES",
    "CATEGORIES",
    "CATEGORY_DESCRIPTIONS",
    "CATEGORY_LABELS",
    "CATEGORY_PHRASES",
    "CATEGORY_SHORT",
    "CODES",
    "HOSTED_OPEN_WEIGHTS",
    "MANAGED_IN_ACCOUNT",
    "METHODS",
    "METHOD_NAMES",
    "ON_DEVICE",
    "OWN_HARDWARE_CATEGORIES",
    "PROPRIETARY_API",
    "SELF_HOSTED",
    "SERVED_CATEGORIES",
    "SEVERITIES",
    "STRONG",
    "WEAK",
    "Category",
    "CategoryName",
    "Code",
    "severity_rank",
]


class Category(str, Enum):
    """How an option is deployed. A ``str`` enum, so a member equals its YAML spelling."""

    PROPRIETARY_API = "proprietary-api"
    HOSTED_OPEN_WEIGHTS = "hosted-open-weights"
    MANAGED_IN_ACCOUNT = "managed-in-account"
    SELF_HOSTED = "self-hosted"
    ON_DEVICE = "on-device"

    def __str__(self) -> str:
        return self.value


# In the order reports list them: from least to most of the team's own infrastructure.
CATEGORIES: tuple[str, ...] = tuple(c.value for c in Category)

# The same names as plain strings, for code that compares or stores them.
PROPRIETARY_API = Category.PROPRIETARY_API.value
HOSTED_OPEN_WEIGHTS = Category.HOSTED_OPEN_WEIGHTS.value
MANAGED_IN_ACCOUNT = Category.MANAGED_IN_ACCOUNT.value
SELF_HOSTED = Category.SELF_HOSTED.value
ON_DEVICE = Category.ON_DEVICE.value
# Someone else runs the model and bills per token; or the team's (or users') own hardware.
API_CATEGORIES = (PROPRIETARY_API, HOSTED_OPEN_WEIGHTS)
OWN_HARDWARE_CATEGORIES = (SELF_HOSTED, ON_DEVICE)
# Options sized on servers by the serving model and billed per machine-hour: open weights
# on a managed endpoint in the team's cloud account, or on the team's own servers.
SERVED_CATEGORIES = (MANAGED_IN_ACCOUNT, SELF_HOSTED)
# For schemas that name the categories as a type.
CategoryName = Literal[
    "proprietary-api", "hosted-open-weights", "managed-in-account", "self-hosted", "on-device"
]

# The category in a narrow terminal column.
CATEGORY_SHORT: dict[str, str] = {
    PROPRIETARY_API: "API",
    HOSTED_OPEN_WEIGHTS: "hosted open",
    MANAGED_IN_ACCOUNT: "managed",
    SELF_HOSTED: "self-hosted",
    ON_DEVICE: "on-device",
}

# The category as a heading or table cell.
CATEGORY_LABELS: dict[str, str] = {
    Category.PROPRIETARY_API.value: "Proprietary API",
    Category.HOSTED_OPEN_WEIGHTS.value: "Hosted open weights",
    Category.MANAGED_IN_ACCOUNT.value: "Managed in your cloud account",
    Category.SELF_HOSTED.value: "Self-hosted",
    Category.ON_DEVICE.value: "On users' devices",
}

# The category spelled out, lower case, where a record needs no shorthand (ADRs).
CATEGORY_DESCRIPTIONS: dict[str, str] = {
    Category.PROPRIETARY_API.value: "proprietary API",
    Category.HOSTED_OPEN_WEIGHTS.value: "open weights at a host",
    Category.MANAGED_IN_ACCOUNT.value: "open weights on a managed endpoint in your cloud account",
    Category.SELF_HOSTED.value: "open weights on your own servers",
    Category.ON_DEVICE.value: "open weights on users' devices",
}

# The kind of option as it reads inside a sentence; own-hardware and managed option names
# already say where they run ("… on your servers", "… in your AWS account").
CATEGORY_PHRASES: dict[str, str] = {
    Category.PROPRIETARY_API.value: "a proprietary API",
    Category.HOSTED_OPEN_WEIGHTS.value: "open weights at a hosting provider",
}

# Ranking methods a decision file may name, and how reports spell them.
METHODS = ("weighted-sum", "minmax", "topsis")
METHOD_NAMES = {"weighted-sum": "weighted-sum", "minmax": "min-max", "topsis": "TOPSIS"}

# A factor score at or above STRONG is a reason for an option; at or below WEAK, a
# reason against.
STRONG = 0.75
WEAK = 0.4


# The facts every option exposes to constraints and scorers, by name. Criteria files
# refer to these names (``attribute: hipaa_baa``); the loader checks each reference
# against this table so a typo is caught with a did-you-mean. ``None`` as a value
# always means "unknown", never "no".
ATTRIBUTES: dict[str, str] = {
    # identity
    "id": "option id",
    "name": "option name",
    "category": "proprietary-api, hosted-open-weights, managed-in-account, self-hosted or on-device",
    "provider": "provider id (API options; the cloud for managed-in-account options)",
    "provider_name": "provider name, or 'your own infrastructure'",
    "model": "model id",
    "model_name": "model name",
    "vendor": "the model's vendor",
    "runtime": "runtime id (self-hosted and on-device options)",
    "deployment": "api, server, workstation, laptop, edge or browser",
    "hardware": "hardware id the option was sized on",
    "hardware_count": "number of GPUs or devices per replica",
    "quantization": "quantization id for self-hosted weights",
    "open_weights": "the model's weights can be downloaded",
    # privacy and compliance
    "data_leaves_infrastructure": "prompts are sent to a third party",
    "trains_on_api_data": "the provider trains on API traffic by default",
    "retention_days": "default days the provider keeps prompts (0 for own infrastructure)",
    "zero_data_retention": "default, available, on-request or no",
    "zero_retention_possible": "prompts can be kept for zero days",
    "hipaa_baa": "a HIPAA business associate agreement is available (or not needed: GPUs you own)",
    "eu_data_residency": "data can stay in the EU",
    "soc2_type2": "SOC 2 Type II report available (GPUs you own: your own controls)",
    "iso27001": "ISO 27001 certified",
    "gdpr_dpa": "a GDPR data processing agreement is offered",
    "regions": "regions where data is processed",
    "gpus_rented": "a self-hosted option runs on GPUs rented from a GPU cloud, not ones you own",
    "gpu_vendor": "id of the GPU cloud a self-hosted option's GPUs are rented from",
    "gpu_vendor_name": "name of the GPU cloud a self-hosted option's GPUs are rented from",
    # offline
    "offline_capable": "works with no internet connection",
    "runs_on_user_device": "runs on the end user's laptop, phone or browser",
    # licence
    "licence_id": "licence id",
    "licence_commercial": "the licence allows commercial use",
    "licence_user_limit": "monthly active users above which another licence is needed (None: no limit)",
    "licence_has_user_limit": "the licence has a user-count clause",
    # customization
    "fine_tuning_level": "full (you own the weights), hosted (provider service), none",
    "fine_tune_weights": "you can fine-tune and keep the weights",
    "hosted_fine_tuning": "the provider offers fine-tuning as a service",
    "lora_adapters": "serves LoRA adapters",
    # capability
    "context_window": "context window in tokens",
    "max_output_tokens": "longest answer in tokens",
    "modalities_input": "input kinds: text, image, audio, video",
    "tool_calling": "supports tool (function) calling",
    "structured_output": "supports JSON-schema constrained output",
    "reasoning": "has a reasoning mode",
    "quality": "quality 0..1: the mean of the model's positions among catalogue models on each signal it has",
    "quality_metric": "the signal(s) the quality rests on, joined by ' + '",
    "quality_ceiling": "for a model without a quality signal: the best quality among catalogue models with one that are no larger",
    "quality_penalty": "quality lost to quantization (0..1, self-hosted)",
    # cost
    "monthly_cost": "USD per month at the stated volume",
    "monthly_cost_10x": "USD per month at 10x the volume",
    "monthly_cost_100x": "USD per month at 100x the volume",
    "cost_structure": "per-token, hardware-hours or user-device",
    # latency
    "ttft_s": "time to first token, seconds",
    "output_tokens_per_s": "output speed per request, tokens per second",
    "speed_method": "who measured the speed: vendor, independent or own (llmchoose probe)",
    "response_time_s": "estimated time for a typical answer, seconds",
    "answer_wait_s": "seconds a person waits for a typical answer: watching it stream, the first token plus any time the stream falls behind reading pace; otherwise the complete answer",
    "speed_measured": "date of the speed measurement (API options)",
    "speed_stand_in": "offering whose measurement stands in for this one's speed",
    # integration and lock-in
    "setup_effort": "minutes, hours, days or weeks",
    "openai_compatible": "speaks the OpenAI chat-completions wire format",
    "sdk_languages": "official SDK languages",
    "model_hosts": "number of providers in the catalogue serving this model",
    "portability": "high (open weights), medium (closed, several hosts or OpenAI-compatible), low",
    # lifecycle
    "released": "release date",
    "deprecated": "deprecation date",
    "retires": "date the option stops being served",
    "retirement": "the retirement in words, in the tense the as-of date calls for",
    "days_to_retirement": "days from the as-of date until it retires (None: no date announced)",
    "status": "ga, preview or deprecated",
    "runtime_maintenance": "active, maintenance or archived",
    # serving (self-hosted and on-device)
    "speed_basis": "measured, stand-in, predicted (sizing model) or None (unknown)",
    "speed_error_band": "relative error of a predicted speed, e.g. 0.3 for ±30% (None: measured)",
    "speed_measurement": "id of the measurement the speed comes from",
    "predicted_output_tokens_per_s": "the serving model's predicted speed (self-hosted and on-device)",
    "predicted_ttft_s": "the serving model's predicted time to first token",
    "serving_limit": "what caps the requests one replica serves at once, and the setting to change",
    "runtime_name": "name of the serving runtime",
    "runtime_licence": "licence id of the serving runtime",
    "runtime_embeddable": "the runtime can be built into an app the team ships and redistributed",
    "device_memory_gb": "memory of the users' device (or browser budget) the option was sized on",
    "owned_gpus_used": "GPUs the team already owns that the deployment uses",
    # managed endpoints in the team's cloud account
    "managed_service": "id of the managed endpoint service (managed-in-account options)",
    "instance_type": "the cloud's instance type each replica runs on (managed-in-account options)",
    "serving_container": "the serving container the managed service deploys",
}


# The finding codes of ``llmchoose check``: stable ids, names and default severities.
# A code never changes meaning once published; new checks get new codes. The table in
# ``docs/check.md`` is this registry in prose, and a test keeps the two in step.
# Severities from most to least serious; "off" in a policy turns a check off.
SEVERITIES = ("error", "warning", "info")


def severity_rank(severity: str) -> int:
    """0 for error, 1 for warning, 2 for info: lower is more serious."""
    return SEVERITIES.index(severity)


@dataclass(frozen=True)
class Code:
    code: str
    name: str  # a short kebab-case name, for SARIF rules and JSON
    area: str  # which group of checks it belongs to (JUnit test cases, human output)
    severity: str  # default severity; a decision file's policy may change it
    summary: str  # one sentence: what it means
    remedy: str  # one sentence: what to do about it


# fmt: off
_ALL = [
    Code("LC001", "invalid-file", "file", "error",
         "The decision file is not valid YAML or does not match the decision schema.",
         "Fix the key or value the message names; `llmchoose schema decision` gives the schema."),
    Code("LC002", "unknown-question", "file", "error",
         "An answer names a question that no decision factor asks.",
         "Correct the question id (see `llmchoose questions`) or remove the answer."),
    Code("LC003", "unknown-option", "file", "error",
         "The chosen option is not in today's knowledge base.",
         "Correct the option id, or record a new choice with `llmchoose decide`."),
    Code("LC004", "no-choice", "file", "error",
         "A workload has no recorded choice, so there is nothing to keep honest.",
         "Record one with `llmchoose decide FILE`."),
    Code("LC005", "no-snapshot", "file", "warning",
         "A choice has no snapshot of the facts it relied on, so drift cannot be measured.",
         "Run `llmchoose decide FILE` to record the snapshot."),
    Code("LC010", "constraint-broken", "constraints", "error",
         "The chosen option now breaks a hard requirement of the workload.",
         "Choose another option, or revisit the requirement if it no longer applies."),
    Code("LC011", "rank-dropped", "ranking", "error",
         "The chosen option ranks below the policy's max_rank.",
         "Review the ranking (`llmchoose recommend`) and re-decide, or relax max_rank."),
    Code("LC012", "margin-exceeded", "ranking", "warning",
         "The chosen option trails the best option by more than the policy's max_margin.",
         "Review the ranking and re-decide, or record why the choice still stands."),
    Code("LC013", "option-unavailable", "constraints", "error",
         "The chosen option can no longer be built for this workload's load.",
         "Choose another option with `llmchoose decide --choose`."),
    Code("LC020", "price-increase", "facts", "warning",
         "A price the choice relied on went up by more than the policy's threshold.",
         "Check the new cost against the budget; re-run `llmchoose decide` to accept it."),
    Code("LC021", "price-decrease", "facts", "info",
         "A price the choice relied on went down by more than the policy's threshold.",
         "Re-run `llmchoose decide` to record the new price."),
    Code("LC022", "terms-changed", "facts", "warning",
         "A term of service the choice relied on changed (retention, training, "
         "certifications, regions).",
         "Have the change reviewed against your requirements, then re-run `llmchoose decide`."),
    Code("LC023", "licence-changed", "facts", "warning",
         "The model's licence changed since the decision.",
         "Have the new licence reviewed, then re-run `llmchoose decide`."),
    Code("LC024", "fact-changed", "facts", "info",
         "Another fact the choice relied on changed (context window, status, retirement "
         "date, hardware).",
         "Review the change; re-run `llmchoose decide` to record it."),
    Code("LC025", "cost-changed", "facts", "info",
         "The estimated monthly cost moved by more than the price threshold (prices or "
         "volume changed).",
         "Check the budget; re-run `llmchoose decide` to record the new estimate."),
    Code("LC030", "retiring-soon", "lifecycle", "warning",
         "The chosen model retires within the policy's retirement horizon.",
         "Plan the migration: choose and test a successor."),
    Code("LC031", "retired", "lifecycle", "error",
         "The chosen model's retirement date has passed.",
         "Migrate to another option and record it with `llmchoose decide`."),
    Code("LC032", "deprecated", "lifecycle", "warning",
         "The chosen model or its runtime is deprecated, or no longer maintained.",
         "Plan a move to a maintained option."),
    Code("LC040", "stale-facts", "freshness", "warning",
         "Facts the choice relies on were last checked longer ago than the policy's "
         "max_fact_age_days.",
         "Re-check them at their sources and update the knowledge base or your overlay "
         "(`llmchoose kb show ID` lists each fact's source and date)."),
    Code("LC041", "measurement-stale", "freshness", "warning",
         "The policy's max_measurement_age_days wants the chosen option measured by "
         "`llmchoose probe` that recently, and the newest own measurement is older or "
         "missing.",
         "Re-run `llmchoose probe` against the endpoint (in CI too) to refresh it."),
]
# fmt: on

CODES: dict[str, Code] = {c.code: c for c in _ALL}

# Areas in the order reports show them.
AREAS = ("file", "constraints", "ranking", "facts", "lifecycle", "freshness")
