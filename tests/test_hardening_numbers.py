"""Every number in every schema and option has a finite, sensible range, and schema
messages say what YAML did to a value."""

from __future__ import annotations

import json

import pytest

DECISION = """\
version: 1
project:
  name: Numbers
{extra}workloads:
  - id: chat
    name: Chat
"""


def _decision(tmp_path, extra: str):
    path = tmp_path / "d.yaml"
    path.write_text(DECISION.format(extra=extra), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("extra", "expected", "line"),
    [
        ("weights: {cost: .inf}\n", "infinite or not-a-number values are not allowed", 4),
        ("weights: {cost: .nan}\n", "infinite or not-a-number values are not allowed", 4),
        ("weights:\n  cost: 1e308\n  privacy: 1e308\n", "weights: 1e308 is out of range", 4),
        ("weights: {cost: 1.0e+308}\n", "number 1.0e+308 is out of range", 4),
    ],
)
def test_decision_numbers_out_of_range_are_refused(
    run_cli, tmp_path, fixture_kb, extra, expected, line
):
    code, _, err = run_cli("recommend", str(_decision(tmp_path, extra)))
    assert code == 2
    assert expected in err
    assert f"d.yaml:{line}:" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "args",
    [
        ["--requests-per-day", "inf"],
        ["--requests-per-day", "1e308"],
        ["--requests-per-day", "nan"],
        ["--peak-factor", "inf"],
        ["--hourly-rate", "1e308"],
        ["--cached-share", "nan"],
    ],
)
def test_cost_options_refuse_infinite_and_huge_numbers(run_cli, fixture_kb, args):
    code, out, err = run_cli("cost", *args, "-f", "json")
    assert code == 2
    assert "Invalid value for" in err
    assert out == ""


def test_cost_json_at_the_largest_allowed_numbers_is_strict_json(run_cli, fixture_kb):
    code, out, _ = run_cli(
        "cost",
        "--requests-per-day",
        "1e9",
        "--hourly-rate",
        "100000",
        "--ops-hours",
        "744",
        "-f",
        "json",
    )
    assert code == 0
    assert "Infinity" not in out and "NaN" not in out
    json.loads(out, parse_constant=lambda name: pytest.fail(f"non-standard JSON {name}"))


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--within", "99999999999d"], "more than 100 years"),
        (["--older-than", "500y"], "more than 100 years"),
        (["--as-of", "9999-12-31"], "expected a date from 1990-01-01 to 2999-12-31"),
    ],
)
def test_kb_stale_refuses_spans_and_dates_off_the_calendar(run_cli, fixture_kb, args, expected):
    code, _, err = run_cli("kb", "stale", *args)
    assert code == 2
    assert expected in err


def _overlay(tmp_path, text: str):
    folder = tmp_path / "overlay"
    folder.mkdir()
    (folder / "extra.yaml").write_text(text, encoding="utf-8")
    return folder


OFFERING = """\
offerings:
  - id: acme/big
    provider: acme
    model: big
    price: {{input: {price}, output: 1}}
    source: s
    as_of: 2026-11-01
"""


@pytest.mark.parametrize(("price", "expected"), [(".inf", "infinite"), ("1e308", "out of range")])
def test_overlay_price_out_of_range_fails_validation_and_recommend(
    run_cli, tmp_path, fixture_kb, price, expected
):
    folder = _overlay(tmp_path, OFFERING.format(price=price))
    code, out, err = run_cli("kb", "validate", "--kb", str(folder))
    assert code == 2
    assert expected in out + err
    decision = _decision(tmp_path, "")
    code, _, err = run_cli("recommend", str(decision), "--kb", str(folder))
    assert code == 2
    assert expected in err and "extra.yaml:5" in err


ASSUMPTION = """\
assumptions:
  - id: gpu-memory-utilization
    value: {value}
    unit: fraction
    source: s
    as_of: 2026-11-01
"""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("-1", "greater than or equal to 0"),
        ("0", "a fraction must be above 0"),
        ("1.5", "at most 1"),
        (".nan", "not-a-number"),
    ],
)
def test_assumptions_keep_to_their_range(tmp_path, value, expected):
    from llmchoose.errors import InputError
    from llmchoose.loading.knowledge import load_catalog

    folder = _overlay(tmp_path, ASSUMPTION.format(value=value))
    with pytest.raises(InputError, match=expected) as caught:
        load_catalog(layers=[folder])
    assert caught.value.line == 3


def test_criteria_question_default_nan_is_refused(tmp_path):
    from llmchoose.errors import InputError
    from llmchoose.loading.yamlio import parse_yaml

    with pytest.raises(InputError, match="not-a-number") as caught:
        parse_yaml("questions:\n  - id: q\n    default: .nan\n", "c.yaml")
    assert caught.value.line == 3


PROVIDER = """\
providers:
  - id: acme
    name: Acme
    vendor: Acme
    kind: reseller
    compliance: {zero_data_retention: no}
    source: s
    as_of: 2026-11-01
sources:
  - id: s
    title: Somewhere
    url: ftp://example.com/x
"""


def test_messages_explain_yaml_booleans_and_keep_acronyms(tmp_path):
    from llmchoose.errors import InputError
    from llmchoose.loading.knowledge import load_catalog

    folder = _overlay(tmp_path, PROVIDER)
    try:
        load_catalog(layers=[folder])
    except InputError as exc:
        text = str(exc)
    else:
        pytest.fail("the overlay should not load")
    assert "YAML read an unquoted no, off or false as false" in text
    assert 'quote it, like "no"' in text
    assert "got False" not in text


def test_url_message_starts_with_a_capital_acronym(tmp_path):
    from pydantic import ValidationError

    from llmchoose.loading.messages import validation_errors
    from llmchoose.schemas.knowledge import Source

    raw = {"id": "s", "title": "t", "url": "ftp://example.com"}
    with pytest.raises(ValidationError) as caught:
        Source.model_validate(raw)
    [problem] = validation_errors(caught.value, model=Source, raw=raw, file="f.yaml")
    assert "url: expected an http:// or https:// URL" in problem.message


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("weights: {costt: 1}\n", "d.yaml:4: weights.costt: unknown factor (did you mean 'cost'?)"),
        (
            "weights: {cost: 0}\n",
            "d.yaml:4: weights: at least one factor needs a weight above zero",
        ),
        (
            "ahp:\n  - {more: cost, less: privacyy, by: 3}\n",
            "d.yaml:5: ahp[0]: unknown factor 'privacyy'",
        ),
        (
            "ahp:\n  - {more: cost, less: cost, by: 3}\n",
            "d.yaml:4: ahp: cost and cost are compared twice or with itself",
        ),
    ],
)
def test_weights_and_ahp_errors_name_the_file_and_line(
    run_cli, tmp_path, fixture_kb, extra, expected
):
    code, _, err = run_cli("recommend", str(_decision(tmp_path, extra)))
    assert code == 2
    assert expected in err


def test_a_knowledge_base_over_the_total_size_limit_is_refused_up_front(tmp_path, monkeypatch):
    from llmchoose.errors import InputError
    from llmchoose.loading.knowledge import load_catalog

    monkeypatch.setattr("llmchoose.loading.knowledge.MAX_KNOWLEDGE_BYTES", 2000)
    folder = tmp_path / "big"
    folder.mkdir()
    for n in range(3):
        (folder / f"f{n}.yaml").write_text("sources: []\n" + "#" * 1000 + "\n")
    with pytest.raises(InputError, match=r"in 3 files; the limit is 0\.0 MB"):
        load_catalog(layers=[folder])


def test_an_empty_ahp_list_is_a_schema_error(run_cli, tmp_path, fixture_kb):
    code, _, err = run_cli("recommend", str(_decision(tmp_path, "ahp: []\n")))
    assert code == 2
    assert "d.yaml:4: ahp: list should have at least 1 item" in err


def test_a_tiny_daily_volume_still_draws_the_cost_chart(run_cli, tmp_path, fixture_kb):
    path = tmp_path / "d.yaml"
    path.write_text(
        DECISION.format(extra="").replace(
            "    name: Chat\n",
            "    name: Chat\n    answers: {requests_per_day: 9.2e-11, output_tokens: 316889}\n",
        ),
        encoding="utf-8",
    )
    code, out, err = run_cli("report", str(path), "--samples", "20", "-f", "html")
    assert code == 0, err
    assert "<svg" in out


def test_policy_spans_have_a_sensible_range(run_cli, tmp_path, fixture_kb):
    extra = "policy:\n  retirement_horizon_days: 999999999999\n"
    code, out, _ = run_cli("check", str(_decision(tmp_path, extra)))
    assert code == 1
    assert (
        "line 5: policy.retirement_horizon_days: input should be less than or equal to 36500" in out
    )
