"""Property tests (hypothesis) of the ranking on the built-in knowledge base.

Scores are absolute: an option's score is a function of its own facts and the
workload's answers, so the options that happen to be compared cannot change it.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmchoose.engine.alternatives import distinct_alternatives, headline_of
from llmchoose.engine.constraints import screen
from llmchoose.engine.options import enumerate_options
from llmchoose.engine.ranking import rank_options, scoring_context
from llmchoose.engine.scoring import score_factor
from llmchoose.engine.usage import Usage
from llmchoose.engine.weights import derive_weights
from llmchoose.loading.answers import effective_answers
from llmchoose.loading.criteria import load_criteria
from llmchoose.loading.knowledge import load_catalog

AS_OF = dt.date(2026, 12, 1)
CATALOG = load_catalog()
CRITERIA = load_criteria()
USAGE = Usage(requests_per_day=4000, input_tokens=1500, output_tokens=300)
OPTIONS, _ = enumerate_options(CATALOG, USAGE, AS_OF)
IMPORTANCES = [q.id for q in CRITERIA.questions.values() if q.type == "importance"]
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def answers(draw):
    """Answers that leave the usage alone (so the options are enumerated once)."""
    given = {q: draw(st.integers(1, 5)) for q in IMPORTANCES if draw(st.booleans())}
    given["data_sensitivity"] = draw(st.sampled_from(["public", "internal", "confidential"]))
    given["latency_need"] = draw(st.sampled_from(["interactive", "responsive", "batch"]))
    given["app_type"] = "service"
    given["regulations_preferred"] = draw(
        st.lists(st.sampled_from(["eu-residency", "soc2", "gdpr-dpa"]), unique=True)
    )
    given["ops_capability"] = draw(st.sampled_from(["none", "some", "strong"]))
    return effective_answers(CRITERIA, given)


def ranking(given: dict, options, method: str = "weighted-sum"):
    screening = screen(CRITERIA, options, given)
    weights = derive_weights(CRITERIA, given)
    ranked, _ = rank_options(CRITERIA, screening, scoring_context(given, USAGE), weights, method)
    return ranked


@SLOW
@given(answers(), st.data())
def test_removing_an_option_keeps_the_order_of_the_others(given, data):
    full = [r.id for r in ranking(given, OPTIONS)]
    gone = data.draw(st.sampled_from(full))
    rest = [r.id for r in ranking(given, [o for o in OPTIONS if o.id != gone])]
    assert rest == [i for i in full if i != gone]


@SLOW
@given(answers(), st.floats(min_value=0.0, max_value=1e6), st.booleans())
def test_adding_an_option_keeps_the_order_of_the_others(given, cost, best_quality):
    base = [r.id for r in ranking(given, OPTIONS)]
    template = OPTIONS[0]
    facts = dict(template.facts, id="zz-new/option", monthly_cost=cost)
    facts["quality"] = 1.0 if best_quality else 0.0
    newcomer = dataclasses.replace(template, id="zz-new/option", facts=facts)
    grown = [r.id for r in ranking(given, [*OPTIONS, newcomer])]
    assert [i for i in grown if i != "zz-new/option"] == base


@SLOW
@given(answers(), st.data())
def test_a_factor_score_does_not_depend_on_the_other_options(given, data):
    option = data.draw(st.sampled_from(OPTIONS))
    ctx = scoring_context(given, USAGE)
    for criterion in CRITERIA.criteria:
        if criterion.scoring is None:
            continue
        alone = score_factor(criterion, [option], ctx)
        among = score_factor(criterion, OPTIONS, ctx)
        i = OPTIONS.index(option)
        assert (alone.values[0], alone.low[0], alone.high[0]) == (
            among.values[i],
            among.low[i],
            among.high[i],
        )


@SLOW
@given(answers(), st.floats(min_value=0.01, max_value=1000))
def test_scaling_every_weight_changes_nothing(given, factor):
    screening = screen(CRITERIA, OPTIONS, given)
    ctx = scoring_context(given, USAGE)
    weights = derive_weights(CRITERIA, given)
    scaled = dataclasses.replace(weights, values={k: v * factor for k, v in weights.values.items()})
    a, _ = rank_options(CRITERIA, screening, ctx, weights, "weighted-sum")
    b, _ = rank_options(CRITERIA, screening, ctx, scaled, "weighted-sum")
    assert [r.id for r in a] == [r.id for r in b]
    assert all(abs(x.score - y.score) <= 2e-4 for x, y in zip(a, b, strict=True))


IMPROVEMENTS = {
    "monthly_cost": lambda v: None if v is None else v * 0.5,
    "quality": lambda v: None if v is None else min(1.0, v + 0.2),
    "response_time_s": lambda v: None if v is None else v * 0.5,
    "soc2_type2": lambda v: True,
    "zero_retention_possible": lambda v: True,
    "trains_on_api_data": lambda v: False,
    "setup_effort": lambda v: "minutes",
}


@SLOW
@given(answers(), st.data(), st.sampled_from(sorted(IMPROVEMENTS)))
def test_improving_a_fact_never_lowers_the_score(given, data, fact):
    option = data.draw(st.sampled_from(OPTIONS))
    better = copy.copy(option)
    better.facts = dict(option.facts)
    better.facts[fact] = IMPROVEMENTS[fact](option.facts.get(fact))
    before = ranking(given, [option])
    after = ranking(given, [better])
    if before and after:
        assert after[0].score >= before[0].score - 1e-9


@SLOW
@given(answers(), st.lists(st.integers(0, len(OPTIONS) - 1), min_size=1, max_size=40))
def test_an_unknown_price_never_heads_the_recommendation(given, blanked):
    hidden = {OPTIONS[i].id for i in blanked}
    options = []
    for option in OPTIONS:
        if option.id in hidden:
            option = copy.copy(option)
            option.facts = dict(option.facts, monthly_cost=None)
            option.cost = dataclasses.replace(option.cost, monthly=None)
        options.append(option)
    ranked = ranking(given, options)
    headline = headline_of(distinct_alternatives(ranked))
    if any(r.price_known for r in ranked):
        assert headline is not None and headline.price_known
