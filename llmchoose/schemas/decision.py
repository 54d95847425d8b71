"""Schema of a decision file (``llm-decision.yaml``): the project, its workloads and
their answers, and how to weigh the factors."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, NonNegativeFloat, model_validator

from llmchoose.schemas.common import Id, Strict, Text

__all__ = ["AhpComparison", "Decision", "Project", "Workload"]

DECISION_VERSION = 1


class Project(Strict):
    name: Text
    organisation: Text | None = None
    description: Text | None = None


class Workload(Strict):
    id: Id
    name: Text
    description: Text | None = None
    answers: dict[Id, Any] = Field(
        default_factory=dict, description="Answers that differ for this workload."
    )


class AhpComparison(Strict):
    """``more`` matters ``by`` times as much as ``less`` (Saaty's 1–9 scale)."""

    more: Id
    less: Id
    by: float = Field(ge=1, le=9)


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
        None, description="Pairwise comparisons of factors; weights come from their eigenvector."
    )
    method: Literal["weighted-sum", "topsis"] = "weighted-sum"

    @model_validator(mode="after")
    def _checks(self) -> Decision:
        ids = [w.id for w in self.workloads]
        if len(set(ids)) != len(ids):
            raise ValueError("workload ids must be unique")
        if self.weights is not None and self.ahp is not None:
            raise ValueError("give either weights or ahp, not both")
        return self
