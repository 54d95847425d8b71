"""Schema of a decision file (``llm-decision.yaml``): the project, its workloads and
their answers, how to weigh the factors, and — once a choice is recorded — the option
chosen per workload with the facts it relied on, and the policy ``llmchoose check``
applies to it.

``recommend`` reads the project, answers, workloads, weights, ahp and method; ``decide``
writes each workload's ``choice``; ``check`` compares the choice and its ``snapshot``
with today's knowledge base under the ``policy``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    NonNegativeFloat,
    NonNegativeInt,
    PositiveInt,
    StringConstraints,
    field_validator,
    model_validator,
)

from llmchoose.schemas.common import Id, Strict, Text
from llmchoose.schemas.vocabulary import CategoryName

__all__ = [
    "DECISION_VERSION",
    "AhpComparison",
    "Choice",
    "Decision",
    "OptionId",
    "Policy",
    "Project",
    "Snapshot",
    "SnapshotFact",
    "Workload",
]

DECISION_VERSION: Literal[1] = 1

# An option id: an offering (``provider/model``), a self-hosted option
# (``runtime/model``), an on-device one (``runtime/model@device``) or a managed endpoint in
# the team's cloud account (``service/model@account``).
OptionId = Annotated[
    str,
    StringConstraints(
        pattern=r"^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)?(@device|@account)?$",
        max_length=200,
    ),
]
FindingCode = Annotated[str, StringConstraints(pattern=r"^LC[0-9]{3}$")]
Level = Literal["error", "warning", "info", "off"]
FactValue = bool | int | float | str | dt.date | list[str] | None


class Project(Strict):
    name: Text
    organisation: Text | None = None
    description: Text | None = None


class SnapshotFact(Strict):
    """One fact a choice relied on, as the knowledge base gave it at decision time."""

    value: FactValue = Field(description="The fact's value (null: the knowledge base did not say).")
    source: Id | None = Field(None, description="Id of the source the fact came from.")
    as_of: dt.date | None = Field(None, description="When the fact was checked at that source.")


class Snapshot(Strict):
    """What the choice looked like when it was recorded, so ``check`` can measure drift."""

    as_of: dt.date = Field(description="The date the options were evaluated.")
    method: Literal["weighted-sum", "minmax", "topsis"] = "weighted-sum"
    name: Text | None = Field(None, description="The option's name at decision time.")
    category: CategoryName
    rank: PositiveInt = Field(description="The option's rank among those allowed.")
    of: PositiveInt = Field(description="How many options were ranked.")
    score: float = Field(ge=0, le=1)
    margin: float = Field(
        description="Score points ahead of the next option (positive) or behind the best "
        "option (negative).",
    )
    compared_with: OptionId | None = Field(
        None, description="The option the margin is measured against."
    )
    monthly_cost: NonNegativeFloat | None = Field(
        None, description="Estimated USD per month at the stated volume."
    )
    facts: dict[Id, SnapshotFact] = Field(
        default_factory=dict, description="The facts the choice relied on, with provenance."
    )
    sources: dict[Id, Text] = Field(
        default_factory=dict, description="URL of each source the facts cite."
    )

    @model_validator(mode="after")
    def _rank_within(self) -> Snapshot:
        if self.rank > self.of:
            raise ValueError(f"rank {self.rank} is above the number of ranked options ({self.of})")
        return self


class Choice(Strict):
    """The option chosen for a workload, why, by whom and when."""

    option: OptionId = Field(description="Option id, as `llmchoose recommend` lists it.")
    rationale: Text | None = None
    decided_by: Text | None = None
    decided_on: dt.date | None = None
    snapshot: Snapshot | None = Field(
        None, description="Written by `llmchoose decide`; lets `check` measure drift."
    )


class Workload(Strict):
    id: Id
    name: Text
    description: Text | None = None
    answers: dict[Id, Any] = Field(
        default_factory=dict, description="Answers that differ for this workload."
    )
    choice: Choice | None = Field(
        None, description="The option chosen for this workload (`llmchoose decide`)."
    )


class AhpComparison(Strict):
    """``more`` matters ``by`` times as much as ``less`` (Saaty's 1–9 scale)."""

    more: Id
    less: Id
    by: float = Field(ge=1, le=9)


class Policy(Strict):
    """When ``llmchoose check`` says a recorded choice no longer holds."""

    max_rank: PositiveInt = Field(
        3, le=100_000, description="The chosen option must rank at least this well (1 = best)."
    )
    max_margin: float = Field(
        0.05,
        ge=0,
        le=1,
        description="Score points (0..1) the chosen option may fall behind the best one.",
    )
    price_change_percent: NonNegativeFloat = Field(
        10, le=100_000, description="A price move larger than this, up or down, is reported."
    )
    retirement_horizon_days: NonNegativeInt = Field(
        90, le=36_500, description="Report a model that retires within this many days."
    )
    max_fact_age_days: PositiveInt = Field(
        180,
        le=36_500,
        description="Report facts last checked at their source longer ago than this.",
    )
    max_measurement_age_days: PositiveInt | None = Field(
        None,
        description="Require an own measurement (`llmchoose probe`) of the chosen option "
        "no older than this (LC041); none by default.",
    )
    severity: dict[FindingCode, Level] = Field(
        default_factory=dict,
        description="Severity per finding code (error, warning, info, or off to skip it).",
        json_schema_extra={"additionalProperties": False},
    )

    @field_validator("severity", mode="before")
    @classmethod
    def _yaml_off(cls, value: Any) -> Any:
        # YAML 1.1 reads a bare `off` as false; in a severity it can only mean "off".
        if isinstance(value, dict):
            return {k: "off" if v is False else v for k, v in value.items()}
        return value

    @field_validator("severity")
    @classmethod
    def _known_codes(cls, value: dict[str, str]) -> dict[str, str]:
        from llmchoose.errors import did_you_mean
        from llmchoose.schemas.vocabulary import CODES

        for code in value:
            if code not in CODES:
                hint = did_you_mean(code, CODES)
                raise ValueError(
                    f"unknown finding code '{code}'"
                    + (f" ({hint})" if hint else "; see docs/check.md")
                )
        return value


class Decision(Strict):
    version: Literal[1] = DECISION_VERSION
    project: Project
    answers: dict[Id, Any] = Field(
        default_factory=dict, description="Answers shared by all workloads."
    )
    workloads: list[Workload] = Field(min_length=1)
    weights: dict[Id, NonNegativeFloat] | None = Field(
        None, description="Factor weights given directly (instead of importance answers)."
    )
    ahp: list[AhpComparison] | None = Field(
        None,
        min_length=1,
        description="Pairwise comparisons of factors; weights come from their eigenvector.",
    )
    method: Literal["weighted-sum", "minmax", "topsis"] = "weighted-sum"
    policy: Policy = Field(
        default_factory=Policy, description="When `llmchoose check` reports the choice."
    )

    @model_validator(mode="after")
    def _checks(self) -> Decision:
        ids = [w.id for w in self.workloads]
        if len(set(ids)) != len(ids):
            raise ValueError("workload ids must be unique")
        if self.weights is not None and self.ahp is not None:
            raise ValueError("give either weights or ahp, not both")
        if self.weights is not None and not any(v > 0 for v in self.weights.values()):
            raise ValueError("weights: at least one factor needs a weight above zero")
        seen: set[frozenset[str]] = set()
        for pair in self.ahp or []:
            if pair.more == pair.less or frozenset((pair.more, pair.less)) in seen:
                raise ValueError(
                    f"ahp: {pair.more} and {pair.less} are compared twice or with itself"
                )
            seen.add(frozenset((pair.more, pair.less)))
        return self
