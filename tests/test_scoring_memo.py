"""Scores kept per distinct set of facts stay with their factor, answers and option."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from llmchoose.engine.option import Option
from llmchoose.engine.scoring import score_factor
from llmchoose.schemas.criteria import Criterion


def factor(values: dict[str, float], adjustments: list[dict] | None = None) -> Criterion:
    return Criterion.model_validate(
        {
            "id": "privacy",
            "name": "Privacy",
            "summary": "s",
            "description": "d",
            "scoring": {
                "scorer": "table",
                "attribute": "hosting",
                "values": values,
                "default": 0.5,
                "adjustments": adjustments or [],
            },
        }
    )


def option(option_id: str, **facts) -> Option:
    return Option(option_id, option_id, "self-hosted", facts, cost=None)  # type: ignore[arg-type]


ZDR_BONUS = [
    {
        "when": {
            "all": [
                {"question": "sensitive", "equals": True},
                {"attribute": "zero_retention", "equals": True},
            ]
        },
        "add": 0.25,
        "why": "no retention",
    }
]


def test_two_factors_scoring_the_same_options_do_not_share_scores():
    options = [option("a", hosting="own"), option("b", hosting="own"), option("c", hosting="api")]
    strict = score_factor(factor({"own": 0.9, "api": 0.2}), options, {})
    lenient = score_factor(factor({"own": 0.4, "api": 0.8}), options, {})
    assert strict.values == [0.9, 0.9, 0.2]
    assert lenient.values == [0.4, 0.4, 0.8]


def test_answers_and_facts_outside_the_table_still_change_a_shared_score():
    options = [
        option("a", hosting="api", zero_retention=True),
        option("b", hosting="api", zero_retention=False),
        option("c", hosting="api", zero_retention=True),
    ]
    criterion = factor({"api": 0.5}, ZDR_BONUS)
    sensitive = score_factor(criterion, options, {"sensitive": True})
    assert sensitive.values == [0.75, 0.5, 0.75]
    assert score_factor(criterion, options, {"sensitive": False}).values == [0.5, 0.5, 0.5]


def test_options_sharing_a_score_get_notes_of_their_own():
    options = [option(x, hosting="api", zero_retention=True) for x in "ab"]
    column = score_factor(factor({"api": 0.5}, ZDR_BONUS), options, {"sensitive": True})
    assert column.notes == [["no retention (+0.25)"], ["no retention (+0.25)"]]
    column.notes[0].append("a preference met")
    assert column.notes[1] == ["no retention (+0.25)"]


facts = st.fixed_dictionaries(
    {
        "hosting": st.sampled_from(["own", "api", None, True, 1, "1", "unknown"]),
        "zero_retention": st.sampled_from([True, False, None, 1, [True]]),
    }
)


@settings(max_examples=100, deadline=None)
@given(st.lists(facts, min_size=1, max_size=8), st.booleans())
def test_a_column_scores_each_option_as_it_would_alone(fact_list, sensitive):
    criterion = factor({"own": 0.9, "api": 0.2, "true": 0.7, "1": 0.3}, ZDR_BONUS)
    options = [option(str(i), **f) for i, f in enumerate(fact_list)]
    together = score_factor(criterion, options, {"sensitive": sensitive})
    for i, one in enumerate(options):
        alone = score_factor(criterion, [one], {"sensitive": sensitive})
        assert (together.values[i], together.low[i], together.high[i]) == (
            alone.values[0],
            alone.low[0],
            alone.high[0],
        )
        assert together.notes[i] == alone.notes[0]
