"""Schemas of the decision factors in ``criteria/``: questions, structured ``when:``
conditions, hard constraints and scorers. No user text is ever evaluated as code:
a condition is data, read by :mod:`llmchoose.loading.conditions`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from llmchoose.schemas.common import Id, Strict, Text

__all__ = [
    "OPERATORS",
    "AnswerRef",
    "Choice",
    "Condition",
    "Constraint",
    "Criterion",
    "NumericScorer",
    "Question",
    "Scoring",
    "TableScorer",
]

Scalar = str | int | float | bool | dt.date


class AnswerRef(Strict):
    """A value taken from an answer, e.g. ``{answer: min_context}``."""

    answer: Id
    times: float = Field(1.0, description="Multiply the answer by this factor.")


Operand = AnswerRef | Scalar | list[Scalar]

OPERATORS = (
    "equals", "not_equals", "in", "not_in", "gte", "lte", "gt", "lt",
    "contains", "contains_any", "answered", "known",
)  # fmt: skip


class Condition(Strict):
    """One test on an answer (``question``) or on an option fact (``attribute``),
    or a combination with ``all`` / ``any`` / ``not``."""

    question: Id | None = None
    attribute: str | None = None
    equals: Operand | None = None
    not_equals: Operand | None = None
    in_: list[Scalar] | AnswerRef | None = Field(None, alias="in")
    not_in: list[Scalar] | AnswerRef | None = None
    gte: Operand | None = None
    lte: Operand | None = None
    gt: Operand | None = None
    lt: Operand | None = None
    contains: Operand | None = None
    contains_any: list[Scalar] | AnswerRef | None = None
    answered: bool | None = None
    known: bool | None = None
    all: list[Condition] | None = None
    any: list[Condition] | None = None
    not_: Condition | None = Field(None, alias="not")

    @model_validator(mode="after")
    def _one_form(self) -> Condition:
        subjects = [k for k in ("question", "attribute") if getattr(self, k) is not None]
        groups = [k for k in ("all", "any", "not_") if getattr(self, k) is not None]
        used = [op for op in OPERATORS if getattr(self, "in_" if op == "in" else op) is not None]
        if groups:
            if subjects or used or len(groups) > 1:
                raise ValueError("use one of all / any / not on its own")
            return self
        if len(subjects) != 1:
            raise ValueError("a condition names either a 'question' or an 'attribute'")
        if len(used) != 1:
            raise ValueError(f"a condition needs exactly one operator: {', '.join(OPERATORS)}")
        return self

    def operator(self) -> tuple[str, Any]:
        for op in OPERATORS:
            value = getattr(self, "in_" if op == "in" else op)
            if value is not None:
                return op, value
        raise AssertionError("validated conditions always have an operator")

    def questions(self) -> set[str]:
        """Every question id this condition (and any it contains) reads."""
        found = {self.question} if self.question else set()
        for child in [*(self.all or []), *(self.any or []), *([self.not_] if self.not_ else [])]:
            found |= child.questions()
        for op in OPERATORS:
            value = getattr(self, "in_" if op == "in" else op)
            if isinstance(value, AnswerRef):
                found.add(value.answer)
        return found

    def attributes(self) -> set[str]:
        found = {self.attribute} if self.attribute else set()
        for child in [*(self.all or []), *(self.any or []), *([self.not_] if self.not_ else [])]:
            found |= child.attributes()
        return found


class Choice(Strict):
    value: Id
    label: Text
    help: Text | None = None


class DefaultFrom(Strict):
    """A default that follows another answer, e.g. privacy importance from the data's
    sensitivity: ``{question: data_sensitivity, values: {public: 1, regulated: 5}}``."""

    question: Id
    values: dict[str, float | int | str | bool]
    why: Text | None = Field(None, description="Said when the default is used.")


class Question(Strict):
    id: Id
    text: Text
    help: Text | None = Field(None, description="Why it matters, in a sentence or two.")
    example: Text | None = Field(None, description="A one-line example answer.")
    type: Literal["choice", "multi", "bool", "number", "importance", "text"]
    choices: list[Choice] = Field(default_factory=list)
    default: Any = None
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    integer: bool = False
    scope: Literal["project", "workload"] = Field(
        "project", description="Asked once for the project, or once per workload."
    )
    when: Condition | None = Field(None, description="Ask only when this holds.")
    default_from: DefaultFrom | None = Field(
        None, description="Take the default from another answer (per workload)."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        values = [c.value for c in self.choices]
        if self.type in ("choice", "multi"):
            if len(values) < 2:
                raise ValueError(f"a {self.type} question needs at least two choices")
            if len(set(values)) != len(values):
                raise ValueError("choice values must be unique")
            defaults = self.default if isinstance(self.default, list) else [self.default]
            if self.type == "choice" and self.default is not None and self.default not in values:
                raise ValueError(f"default {self.default!r} is not one of the choices")
            if (
                self.type == "multi"
                and self.default is not None
                and (not isinstance(self.default, list) or any(d not in values for d in defaults))
            ):
                raise ValueError("default of a multi question is a list of choice values")
        elif self.choices:
            raise ValueError(f"a {self.type} question has no choices")
        if self.type == "importance":
            self.min, self.max, self.integer = 1, 5, True
            if self.default is None:
                self.default = 3
        if self.type in ("number", "importance") and self.default is not None:
            if isinstance(self.default, bool) or not isinstance(self.default, int | float):
                raise ValueError("default of a number question must be a number")
            if self.min is not None and self.default < self.min:
                raise ValueError("default is below min")
            if self.max is not None and self.default > self.max:
                raise ValueError("default is above max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is above max")
        if self.type == "bool" and self.default is not None and not isinstance(self.default, bool):
            raise ValueError("default of a yes/no question is true or false")
        return self


class Constraint(Strict):
    """A hard rule: when ``when`` holds for the answers, options must satisfy ``require``."""

    id: Id
    when: Condition
    require: Condition
    reason: Text = Field(
        description="Why an option fell, in plain words. {name} placeholders take option "
        "facts (option_name, provider_name …) and answers."
    )
    if_unknown: Literal["eliminate", "keep"] = Field(
        "eliminate", description="What to do with an option whose fact is unknown."
    )
    unknown_reason: Text | None = Field(
        None,
        description="Said of a kept option whose fact is unknown (if_unknown: keep), "
        "e.g. 'price unknown, so it cannot be held to your budget'.",
    )
    prefer: Condition | None = Field(
        None,
        description="When this holds (and `when` does not), the rule is a preference: "
        "options that meet `require` gain `bonus` on this factor; none is ruled out.",
    )
    bonus: float = Field(0.15, gt=0, le=1, description="Score added for a met preference.")
    preference: Text | None = Field(
        None, description="The preference in a few words, for explanations."
    )


class Adjustment(Strict):
    when: Condition
    add: float = Field(ge=-1, le=1)
    why: Text | None = None


class TableScorer(Strict):
    """Score from a table of an attribute's values, plus adjustments; clipped to 0..1."""

    scorer: Literal["table"]
    attribute: str
    values: dict[str, float]
    default: float | None = Field(None, description="Score for a value the table lacks.")
    adjustments: list[Adjustment] = Field(default_factory=list)
    unknown: UnknownRange | None = Field(
        None,
        description="The range an unknown fact may score (without it: the table's "
        "'unknown' entry, else the table's lowest to highest value).",
    )


class Anchor(Strict):
    """A value function's anchor: a fixed number, or one chosen by an answer.

    ``{by: latency_need, values: {interactive: 2, batch: 60}, default: 5}`` picks the
    anchor from the answer; ``at_most: {answer: max_response_s}`` tightens it to an
    answered limit when one is given."""

    value: float | None = Field(None, gt=0)
    by: Id | None = None
    values: dict[str, float] = Field(default_factory=dict)
    default: float | None = Field(None, gt=0)
    at_most: AnswerRef | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Anchor:
        if (self.value is None) == (self.by is None):
            raise ValueError("an anchor has either 'value' or 'by'")
        if self.by is not None and self.default is None:
            raise ValueError("an anchor chosen 'by' an answer needs a 'default'")
        if any(v <= 0 for v in self.values.values()):
            raise ValueError("anchor values must be above zero")
        return self


class ValueFunction(Strict):
    """Map a fact to a 0..1 value on its own, between two anchors.

    ``best`` scores 1, ``worst`` scores 0; between them the value moves on a log scale
    (``log``: each doubling counts the same) or linearly. ``per_million_tokens`` divides
    the fact (a monthly cost) by the workload's monthly tokens in millions first, so the
    anchors are prices a reader knows."""

    shape: Literal["log", "linear"] = "log"
    best: Anchor
    worst: Anchor
    per_million_tokens: bool = False


class UnknownRange(Strict):
    """What an unknown fact may score: a range on the 0..1 value scale. The ranking uses
    its middle; the sensitivity analysis draws from all of it."""

    low: float = Field(ge=0, le=1)
    high: float = Field(ge=0, le=1)
    cap: str | None = Field(
        None,
        description="An option fact that, when known, lowers `high` to it (quality_ceiling: "
        "an unrated model is not assumed better than the best rated model of its size).",
    )
    why: Text | None = None

    @model_validator(mode="after")
    def _ordered(self) -> UnknownRange:
        if self.low > self.high:
            raise ValueError("low is above high")
        return self


class NumericScorer(Strict):
    """A numeric fact scored by a value function (absolute), or as is for the
    relative methods."""

    scorer: Literal["numeric"]
    attribute: str
    direction: Literal["benefit", "cost"]
    transform: Literal["linear", "log"] = "linear"
    cap: float | AnswerRef | None = Field(
        None, description="Values above this count as this (more context than needed is no better)."
    )
    value: ValueFunction | None = Field(
        None,
        description="How the fact maps to 0..1 on its own; without it the fact "
        "must already be on a 0..1 scale (a percentile).",
    )
    unknown: UnknownRange = Field(
        default_factory=lambda: UnknownRange(low=0.0, high=1.0),
        description="The range an unknown fact may score.",
    )


Scoring = Annotated[TableScorer | NumericScorer, Field(discriminator="scorer")]


class Criterion(Strict):
    id: Id
    name: Text
    summary: Text = Field(description="One line: what this factor is.")
    description: Text = Field(description="What it means and why it matters.")
    order: int = 100
    weight_question: Id | None = Field(
        None, description="The importance question whose answer weighs this factor."
    )
    questions: list[Question] = Field(default_factory=list)
    constraints: list[Constraint] = Field(default_factory=list)
    scoring: Scoring | None = None
    compare: dict[str, Text] = Field(
        default_factory=dict,
        description="How each kind of option typically fares on this factor, by category.",
    )
