"""Amounts in the project's currency: the answers give a code and a rate, the knowledge
base stays in USD, and every output shows the converted amounts and says so."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from llmchoose.loading.formatting import (
    USD,
    Currency,
    currency_from_answers,
    format_money,
    use_currency,
)

REPO = Path(__file__).resolve().parent.parent
AS_OF = ("--as-of", "2026-11-28")
EUR = Currency("EUR", 0.5)


def test_format_money_in_dollars_and_other_currencies():
    assert format_money(236.4) == "$236"
    assert format_money(58.444) == "$58.44"
    assert format_money(0) == "$0"
    assert format_money(None) == "unknown"
    assert format_money(-120.0) == "-$120"
    assert format_money(236.4, EUR) == "€118"
    assert format_money(100.0, EUR) == "€50.00"
    assert format_money(1000, Currency("CHF", 0.9)) == "CHF 900"
    with use_currency(EUR):
        assert format_money(1000) == "€500"
    assert format_money(1000) == "$1,000"  # the context ends with the block


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (None, USD),
        ({}, USD),
        ({"currency": "usd", "usd_exchange_rate": 0.9}, USD),
        ({"currency": "eur"}, USD),  # no rate: amounts stay in dollars, never guessed
        ({"currency": "eur", "usd_exchange_rate": 0}, USD),
        ({"currency": "eur", "usd_exchange_rate": True}, USD),
        ({"currency": "eur", "usd_exchange_rate": 0.92}, Currency("EUR", 0.92)),
    ],
)
def test_the_currency_comes_from_the_answers(answers, expected):
    assert currency_from_answers(answers) == expected


def test_the_note_names_the_rate_and_the_base():
    assert USD.note() is None
    assert EUR.note() == (
        "Amounts are in EUR at 0.5 EUR per US dollar, the rate in your answers; the "
        "knowledge base's prices are in US dollars."
    )


@pytest.fixture
def euro_decision(tmp_path, fixture_kb, run_cli):
    text = (REPO / "tests" / "data" / "check" / "decisions" / "startup-chatbot.yaml").read_text(
        encoding="utf-8"
    )
    text = text.replace("answers:\n", "answers:\n  currency: eur\n  usd_exchange_rate: 0.5\n", 1)
    path = tmp_path / "llm-decision.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_reports_show_the_currency_and_keep_usd_numbers(run_cli, euro_decision):
    from test_report_helpers import ensure_report_command

    ensure_report_command()
    code, md, err = run_cli("report", str(euro_decision), *AS_OF, "--samples", "50")
    assert code == 0, err
    cost = md.split("### Cost", 1)[1].split("###", 1)[0]
    assert "€" in cost and "$" not in cost
    assert "Amounts are in EUR at 0.5 EUR per US dollar" in md
    code, out, _ = run_cli("report", str(euro_decision), *AS_OF, "--samples", "50", "-f", "json")
    view = json.loads(out)
    assert view["currency"] == {"code": "EUR", "rate": 0.5, "base": "USD"}
    winner = view["workloads"][0]["winner"]
    assert winner["monthly_text"] == format_money(winner["monthly"], EUR)
    code, html, _ = run_cli("report", str(euro_decision), *AS_OF, "--samples", "50", "-f", "html")
    assert "EUR per month (log scale)" in html and "USD per month (log scale)" not in html


def test_recommend_adr_and_check_show_the_currency(run_cli, euro_decision):
    from llmchoose.cli.app import app
    from llmchoose.cli.check_cmd import register

    if "check" not in {c.name for c in app.registered_commands}:
        register(app)
    code, out, err = run_cli("recommend", str(euro_decision), *AS_OF)
    assert code == 0, err
    assert "€" in out and "Amounts are in EUR" in out
    code, out, _ = run_cli("recommend", str(euro_decision), *AS_OF, "--format", "json")
    assert json.loads(out)["currency"]["code"] == "EUR"
    code, adr, err = run_cli("adr", str(euro_decision), *AS_OF)
    assert code == 0, err
    assert re.search(r"€[\d,.]+", adr) and "Amounts are in EUR" in adr
    code, out, _ = run_cli("check", str(euro_decision), *AS_OF, "--format", "json")
    assert json.loads(out)["files"][0]["currency"]["code"] == "EUR"


def test_init_outcomes_show_the_currency(run_cli, fixture_kb, write_tree):
    write_tree({"a.yaml": "project: Acme\nanswers: {currency: eur, usd_exchange_rate: 0.5}\n"})
    code, _, err = run_cli("init", "--answers", "a.yaml", "--defaults", "--no-record", *AS_OF)
    assert code == 0, err
    assert re.search(r"about €[\d,.]+ a month", err)
    assert "$" not in err.split("options ranked", 1)[1]
