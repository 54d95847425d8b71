"""Schemas of the knowledge base: sources, providers, models, offerings, runtimes,
hardware, quantizations, assumptions, measurements and managed endpoints. See
``docs/knowledge-format.md``."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, NonNegativeFloat, PositiveFloat, PositiveInt, model_validator

from llmchoose.schemas.common import HttpUrl, Id, OfferingId, Record, Strict, Text

__all__ = [
    "KIND_MODELS",
    "Architecture",
    "Assumption",
    "Compliance",
    "Hardware",
    "KnowledgeFile",
    "Licence",
    "ManagedEndpoint",
    "ManagedInstance",
    "Measurement",
    "Model",
    "Offering",
    "Performance",
    "Price",
    "PriceChange",
    "PriceTier",
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
Deployment = Literal[
    "server", "workstation", "laptop", "edge", "browser", "phone", "tablet", "desktop"
]
HardwareClass = Literal[
    "datacenter-gpu", "workstation-gpu", "laptop", "edge", "browser", "phone", "tablet", "desktop"
]
Effort = Literal["minutes", "hours", "days", "weeks"]


SourceKind = Literal["vendor", "independent", "third-party-copy"]


class Source(Strict):
    id: Id
    title: Text
    url: HttpUrl
    publisher: str | None = None
    note: Text | None = None
    kind: SourceKind = Field(
        "vendor",
        description="vendor: the maker's or seller's own page; independent: a measurement "
        "or leaderboard by someone else; third-party-copy: someone else's copy of another "
        "page (say which in the note).",
    )
    conflicts_with: list[Id] = Field(
        default_factory=list,
        description="Ids of sources that say otherwise on a fact this one supports; the "
        "note says what conflicts.",
    )

    @model_validator(mode="after")
    def _conflict_explained(self) -> Source:
        if self.conflicts_with and not self.note:
            raise ValueError("a source with conflicts_with needs a note saying what conflicts")
        if self.id in self.conflicts_with:
            raise ValueError("a source cannot conflict with itself")
        return self


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
    kind: Literal["model-vendor", "cloud-platform", "open-weights-host", "reseller", "gpu-cloud"]
    headquarters: str | None = None
    regions: list[Region] = Field(default_factory=list)
    compliance: Compliance = Field(default_factory=Compliance)
    sdks: list[str] = Field(default_factory=list)
    openai_compatible: bool | None = None
    fine_tuning: bool | None = None
    tooling_notes: Text | None = None
    website: HttpUrl | None = None


class Modalities(Strict):
    input: list[Modality] = Field(default_factory=lambda: list[Modality](["text"]))
    output: list[Modality] = Field(default_factory=lambda: list[Modality](["text"]))


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
    experts: PositiveInt | None = Field(None, description="Routed experts per MoE layer.")
    experts_per_token: PositiveInt | None = Field(
        None, description="Routed experts each token uses (mixture-of-experts)."
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


class _Rates(Strict):
    """USD per million tokens."""

    input: NonNegativeFloat
    output: NonNegativeFloat
    cached_input: NonNegativeFloat | None = None

    @model_validator(mode="after")
    def _cache_not_dearer(self) -> _Rates:
        if self.cached_input is not None and self.cached_input > self.input:
            raise ValueError("cached_input price cannot exceed the input price")
        return self


class PriceTier(_Rates):
    """Prices for a request whose prompt is longer than ``above_input_tokens``.

    The whole request is billed at the tier's prices, as the vendors with long-context
    prices (Gemini Pro above 200K, Claude above its threshold) bill it.
    """

    above_input_tokens: PositiveInt


class Price(_Rates):
    """USD per million tokens; ``tiers`` for long prompts, ascending by threshold."""

    tiers: list[PriceTier] = Field(default_factory=list)

    @model_validator(mode="after")
    def _tiers_ascending(self) -> Price:
        thresholds = [t.above_input_tokens for t in self.tiers]
        if thresholds != sorted(set(thresholds)):
            raise ValueError("tiers must be in ascending order of above_input_tokens, each once")
        return self


class PriceChange(Strict):
    """A scheduled price: in force from ``starts`` (inclusive)."""

    starts: dt.date
    price: Price


PerformanceMethod = Literal["vendor", "independent", "own"]


class Performance(Strict):
    """Measured speed of one stream; a figure needs the method and date of its measurement."""

    output_tokens_per_s: PositiveFloat | None = Field(
        None, description="Median output speed of one stream, tokens per second."
    )
    ttft_s: PositiveFloat | None = Field(None, description="Time to first token, seconds.")
    method: PerformanceMethod | None = Field(
        None, description="vendor, independent, or own (measured by `llmchoose probe`)."
    )
    percentile: Literal["p50", "p90", "mean"] | None = None
    measured: dt.date | None = Field(None, description="Date of the measurement.")
    stand_in: OfferingId | None = Field(
        None, description="Offering whose measurement stands in for this unmeasured one."
    )
    prompt_tokens: PositiveInt | None = Field(
        None, description="Input length the measurement used."
    )

    @model_validator(mode="after")
    def _figure_needs_method_and_date(self) -> Performance:
        has_figure = self.output_tokens_per_s is not None or self.ttft_s is not None
        if has_figure and (self.method is None or self.measured is None):
            raise ValueError("a speed figure needs the measurement's method and measured date")
        if not has_figure and self.stand_in is not None:
            raise ValueError("stand_in is given without a figure to stand in")
        return self

    @property
    def known(self) -> bool:
        return self.output_tokens_per_s is not None or self.ttft_s is not None


class Offering(Record):
    id: OfferingId
    provider: Id
    model: Id
    api_model_id: str | None = None
    regions: list[Region] = Field(default_factory=list)
    price: Price | None = None
    price_changes: list[PriceChange] = Field(
        default_factory=list,
        description="Scheduled prices, ascending by start date; `price` holds until the first.",
    )
    batch_discount: float | None = Field(None, ge=0, lt=1)
    fine_tuning: bool | None = None
    performance: Performance = Field(default_factory=Performance)
    status: Literal["ga", "preview", "deprecated"] = "ga"
    retires: dt.date | None = None
    imported: bool = Field(False, description="Added by `kb import`, not curated.")

    @model_validator(mode="after")
    def _changes_in_order(self) -> Offering:
        starts = [c.starts for c in self.price_changes]
        if starts != sorted(set(starts)):
            raise ValueError("price_changes must be in ascending order of starts, each once")
        if self.performance.stand_in == self.id:
            raise ValueError("an offering cannot stand in for itself")
        return self


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
    parallelism: Literal["tensor", "layer-split"] | None = Field(
        None, description="How one model is spread over several GPUs."
    )
    parallel_slots: PositiveInt | None = Field(
        None, description="Requests one model instance serves at once by default."
    )
    parallel_setting: str | None = Field(
        None, description="The setting that changes the number of parallel requests."
    )
    embeddable: bool | None = Field(
        None, description="Can be built into an app the team ships and redistributed."
    )


class Hardware(Record):
    name: Text
    hw_class: HardwareClass = Field(alias="class")
    memory_gb: PositiveFloat
    memory_bandwidth_gbps: PositiveFloat
    bf16_tflops: PositiveFloat | None = None
    max_per_node: PositiveInt = 1
    price_per_hour: NonNegativeFloat | None = None
    price_vendor: str | None = None
    price_provider: Id | None = Field(
        None,
        description="Id of the GPU cloud in `providers` that rents it at price_per_hour; its "
        "compliance is what a self-hosted option on rented GPUs of this kind carries.",
    )
    purchase_price: NonNegativeFloat | None = None
    fp8_tflops: PositiveFloat | None = Field(
        None, description="Dense FP8 tensor TFLOPS where 8-bit maths runs natively."
    )
    power_watts: PositiveFloat | None = Field(None, description="Board power, watts.")

    @model_validator(mode="after")
    def _provider_rents_at_a_price(self) -> Hardware:
        if self.price_provider is not None and self.price_per_hour is None:
            raise ValueError(
                "price_provider is given without price_per_hour: give the rental price, "
                "or drop price_provider"
            )
        return self


class Quantization(Record):
    name: Text
    bits_per_weight: float = Field(gt=1, le=32)
    quality_note: Text | None = None


class Measurement(Record):
    """A published (or probed) speed measurement of one serving configuration."""

    model: Id | None = None
    runtime: Id | None = None
    hardware: Id | None = None
    provider: Id | None = None
    offering: OfferingId | None = None
    count: PositiveInt = 1
    quantization: Id | None = None
    concurrency: PositiveInt = 1
    input_tokens: PositiveInt | None = None
    output_tokens: PositiveInt | None = None
    output_tokens_per_s: PositiveFloat
    total_output_tokens_per_s: PositiveFloat | None = None
    ttft_s: PositiveFloat | None = None
    method: PerformanceMethod
    measured_model: Text | None = Field(
        None, description="The model actually measured, when a same-shape sibling stands in."
    )

    @model_validator(mode="after")
    def _names_a_configuration(self) -> Measurement:
        if self.offering is None and not (self.model and self.runtime and self.hardware):
            raise ValueError("give model, runtime and hardware, or an offering")
        return self


class Assumption(Record):
    value: float | None = Field(None, ge=0)
    unit: str | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _fraction_in_range(self) -> Assumption:
        if self.unit == "fraction" and self.value is not None and not 0 < self.value <= 1:
            raise ValueError("value: a fraction must be above 0 and at most 1")
        return self


class ManagedInstance(Strict):
    """One instance type a managed endpoint service rents out whole, by the hour."""

    type: Text = Field(description="The cloud's name for it, e.g. ml.g5.12xlarge.")
    hardware: Id = Field(description="Id of the GPU in `hardware`.")
    gpus: PositiveInt = Field(description="GPUs the instance holds.")
    price_per_hour: NonNegativeFloat | None = Field(
        None, description="USD per hour for the whole instance, on demand; null if unknown."
    )


class ManagedEndpoint(Record):
    """A cloud service that runs open weights as a dedicated endpoint inside the team's own
    cloud account: the cloud operates the server, container and scaling."""

    name: Text
    service: Id = Field(description="Id of the cloud in `providers`; its compliance applies.")
    container: Text = Field(description="The serving container the service deploys.")
    runtime: Id = Field(description="Id of the runtime the container is based on (vllm ...).")
    price_region: Text | None = Field(
        None, description="The cloud region the instance prices are for."
    )
    setup_effort: Effort | None = None
    instances: list[ManagedInstance] = Field(min_length=1)

    @model_validator(mode="after")
    def _instances_once(self) -> ManagedEndpoint:
        types = [i.type for i in self.instances]
        if len(types) != len(set(types)):
            raise ValueError("instances: each instance type may be listed once")
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
    measurements: list[Measurement] = Field(default_factory=list)
    managed_endpoints: list[ManagedEndpoint] = Field(default_factory=list)


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
    "measurements": Measurement,
    "managed_endpoints": ManagedEndpoint,
}
