"""The facts every option exposes to constraints and scorers, by name.

Criteria files refer to these names (``attribute: hipaa_baa``); the loader checks each
reference against this table so a typo is caught with a did-you-mean. ``None`` as a
value always means "unknown", never "no".
"""

from __future__ import annotations

__all__ = ["ATTRIBUTES"]

ATTRIBUTES: dict[str, str] = {
    # identity
    "id": "option id",
    "name": "option name",
    "category": "proprietary-api, hosted-open-weights, self-hosted or on-device",
    "provider": "provider id (API options)",
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
    "hipaa_baa": "a HIPAA business associate agreement is available (or not needed: own infrastructure)",
    "eu_data_residency": "data can stay in the EU",
    "soc2_type2": "SOC 2 Type II report available (own infrastructure: your own controls)",
    "iso27001": "ISO 27001 certified",
    "gdpr_dpa": "a GDPR data processing agreement is offered",
    "regions": "regions where data is processed",
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
}
