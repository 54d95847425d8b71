"""Schemas of the knowledge base: sources, providers, models, offerings, runtimes,
hardware, quantizations and assumptions. See ``docs/knowledge-format.md``."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, HttpUrl, NonNegativeFloat, PositiveFloat, PositiveInt, model_validator

from llmchoose.schemas.common import Id, OfferingId, Record, Strict, Text

__all__ = [
    "KIND_MODELS",
    "Architecture",
    "Assumption",
    "Compliance",
    "Hardware",
    "KnowledgeFile",
    "Licence",
    "Model",
    "Offering",
    "Price",
    "Provider",
    "Quantization",
    "Runtime",
    "Source",
]

Region = Literal[
    "global", "us", "eu", "uk", "ca", "jp", "au", "in", "sg", "kr", "br", "ch", "ae", "sa",
    "apac", "latam", "cn", "other",
]  # fmt: skip
Modality = Literal["text", "image", "audio", "video", "pdf"]
Deployment = Literal["server", "workstation", "laptop", "edge", "browser"]
HardwareClass = Literal["datacenter-gpu", "workstation-gpu", "laptop", "edge", "browser"]
Effort = Literal["minutes", "hours", "days", "weeks"]


class Source(Strict):
    id: Id
    title: Text
    url: HttpUrl
    publisher: str | None = None
    note: Text | None = None


class Compliance(Strict):
    trains_on_api_data: bool | None = Field(
        None, description="Is API traffic used to train models by default?"
    )
    retention_days: NonNegativeFloat | None = Field(
        None, description="Default retention of prompts and outputs (0 = none)."
    )
    zero_data_retention: Literal["default", "available", "on-request", "no"] | None = None
    hipaa_baa: bool | None = None
    eu_data_residency: bool | None = None
    soc2_type2: bool | None = None
    iso27001: bool | None = None
    gdpr_dpa: bool | None = None
    notes: Text | None = None


class Provider(Record):
    name: Text
    vendor: Text
    kind: Literal["model-vendor", "cloud-platform", "open-weights-host", "reseller"]
    headquarters: str | None = None
    regions: list[Region] = Field(default_factory=list)
    compliance: Compliance = Field(default_factory=Compliance)
    sdks: list[str] = Field(default_factory=list)
    openai_compatible: bool | None = None
    fine_tuning: bool | None = None
    tooling_notes: Text | None = None
    website: HttpUrl | None = None


class Modalities(Strict):
    input: list[Modality] = Field(default_factory=lambda: ["text"])
    output: list[Modality] = Field(default_factory=lambda: ["text"])


class Parameters(Strict):
    total_b: PositiveFloat | None = Field(None, description="Total parameters, billions.")
    active_b: PositiveFloat | None = Field(
        None, description="Parameters active per token, billions (mixture-of-experts)."
    )

    @model_validator(mode="after")
    def _active_not_above_total(self) -> Parameters:
        if self.total_b and self.active_b and self.active_b > self.total_b:
            raise ValueError("active_b cannot exceed total_b")
        return self


class Architecture(Strict):
    layers: PositiveInt
    kv_heads: PositiveInt
    head_dim: PositiveInt
    hidden_size: PositiveInt | None = None
    kv_lora_rank: PositiveInt | None = Field(
        None, description="Compressed KV width for multi-head latent attention (DeepSeek)."
    )


class Licence(Strict):
    id: Id
    name: Text | None = None
    commercial_use: bool | None = Field(description="None when the terms are unknown.")
    user_limit: PositiveInt | None = Field(
        None, description="Monthly active users above which a separate licence is needed."
    )
    notes: Text | None = None
    url: HttpUrl | None = None


class Model(Record):
    name: Text
    vendor: Text
    family: Id
    open_weights: bool
    released: dt.date | None = None
    deprecated: dt.date | None = None
    retires: dt.date | None = None
    context_window: PositiveInt | None = None
    max_output_tokens: PositiveInt | None = None
    modalities: Modalities = Field(default_factory=Modalities)
    tool_calling: bool | None = None
    structured_output: bool | None = None
    reasoning: bool | None = None
    parameters: Parameters = Field(default_factory=Parameters)
    architecture: Architecture | None = None
    licence: Licence
    quality: dict[Id, float] = Field(default_factory=dict)
    fine_tunable: bool | None = None
    imported: bool = Field(False, description="Added by `kb import`, not curated.")

    @model_validator(mode="after")
    def _open_weights_facts(self) -> Model:
        if self.retires and self.released and self.retires < self.released:
            raise ValueError("retires is before released")
        if self.architecture and not self.open_weights:
            raise ValueError("architecture is only given for open-weights models")
        return self


class Price(Strict):
    """USD per million tokens."""

    input: NonNegativeFloat
    output: NonNegativeFloat
    cached_input: NonNegativeFloat | None = None

    @model_validator(mode="after")
    def _cache_not_dearer(self) -> Price:
        if self.cached_input is not None and self.cached_input > self.input:
            raise ValueError("cached_input price cannot exceed the input price")
        return self


class Performance(Strict):
    output_tokens_per_s: PositiveFloat | None = None
    ttft_s: PositiveFloat | None = None


class Offering(Record):
    id: OfferingId  # type: ignore[assignment]
    provider: Id
    model: Id
    api_model_id: str | None = None
    regions: list[Region] = Field(default_factory=list)
    price: Price | None = None
    batch_discount: float | None = Field(None, ge=0, lt=1)
    fine_tuning: bool | None = None
    performance: Performance = Field(default_factory=Performance)
    status: Literal["ga", "preview", "deprecated"] = "ga"
    retires: dt.date | None = None
    imported: bool = Field(False, description="Added by `kb import`, not curated.")


class Runtime(Record):
    name: Text
    licence: Id
    deployments: list[Deployment] = Field(min_length=1)
    hardware_classes: list[HardwareClass] = Field(min_length=1)
    quantizations: list[Id] = Field(min_length=1)
    openai_compatible: bool | None = None
    continuous_batching: bool | None = None
    multi_gpu: bool | None = None
    lora_adapters: bool | None = None
    offline: bool | None = None
    setup_effort: Effort | None = None
    supported_models: list[Id] | None = None
    maintenance: Literal["active", "maintenance", "archived"] = "active"


class Hardware(Record):
    name: Text
    hw_class: HardwareClass = Field(alias="class")
    memory_gb: PositiveFloat
    memory_bandwidth_gbps: PositiveFloat
    bf16_tflops: PositiveFloat | None = None
    max_per_node: PositiveInt = 1
    price_per_hour: NonNegativeFloat | None = None
    price_vendor: str | None = None
    purchase_price: NonNegativeFloat | None = None


class Quantization(Record):
    name: Text
    bits_per_weight: float = Field(gt=1, le=32)
    quality_note: Text | None = None


class Assumption(Record):
    value: float | None = Field(None, ge=0)
    unit: str | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _fraction_in_range(self) -> Assumption:
        if self.unit == "fraction" and self.value is not None and not 0 < self.value <= 1:
            raise ValueError("value: a fraction must be above 0 and at most 1")
        return self


class KnowledgeFile(Strict):
    """One YAML file of the knowledge base; every key is optional."""

    sources: list[Source] = Field(default_factory=list)
    providers: list[Provider] = Field(default_factory=list)
    models: list[Model] = Field(default_factory=list)
    offerings: list[Offering] = Field(default_factory=list)
    runtimes: list[Runtime] = Field(default_factory=list)
    hardware: list[Hardware] = Field(default_factory=list)
    quantizations: list[Quantization] = Field(default_factory=list)
    assumptions: list[Assumption] = Field(default_factory=list)


# The record schema for each top-level key of a knowledge file.
KIND_MODELS: dict[str, type[Strict]] = {
    "sources": Source,
    "providers": Provider,
    "models": Model,
    "offerings": Offering,
    "runtimes": Runtime,
    "hardware": Hardware,
    "quantizations": Quantization,
    "assumptions": Assumption,
}
