"""`llmchoose cost`: the monthly bill of a load on chosen options."""

from __future__ import annotations

import json

import pytest


def test_cost_rows_are_cheapest_first_and_scale(run_cli, fixture_kb):
    code, out, err = run_cli("cost", "--requests-per-day", "20000", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)["rows"]
    monthly = [r["monthly"] for r in rows]
    assert monthly == sorted(monthly)
    api = next(r for r in rows if r["id"] == "api-co/big-closed")
    # Per-token billing scales exactly with volume.
    assert api["monthly_10x"] == pytest.approx(api["monthly"] * 10, rel=1e-3)
    own = next(r for r in rows if r["id"] == "server-rt/open-70b")
    assert own["breakdown"]["operations"] == 2000
    assert "api-co/big-closed" in own["break_even"]


def test_cost_of_named_options_and_unknown_id(run_cli, fixture_kb):
    code, out, _ = run_cli("cost", "api-co/small-closed", "server-rt/open-8b", "--format", "json")
    assert code == 0
    assert {r["id"] for r in json.loads(out)["rows"]} == {
        "api-co/small-closed",
        "server-rt/open-8b",
    }
    code, out, err = run_cli("cost", "api-co/smal-closed")
    assert code == 2 and out == ""
    assert "did you mean 'api-co/small-closed'?" in err


def test_unsizeable_option_says_why(run_cli, fixture_kb):
    code, _, err = run_cli("cost", "laptop-rt/open-70b@device")
    assert code == 2
    assert "does not fit any device" in err


def test_the_table_says_where_self_hosting_breaks_even(run_cli, fixture_kb):
    """The table view says what the JSON holds: from which volume a self-hosted option
    costs no more than each API option listed, and how far that is from this load."""
    args = ("cost", "api-co/big-closed", "server-rt/open-70b", "--requests-per-day", "20000")
    code, out, _ = run_cli(*args, "--format", "json")
    volume = next(r for r in json.loads(out)["rows"] if r["id"] == "server-rt/open-70b")[
        "break_even"
    ]["api-co/big-closed"]
    code, out, err = run_cli(*args)
    assert code == 0, err
    if volume is None:
        assert "server-rt/open-70b stays dearer than api-co/big-closed" in out
    else:
        said = f"server-rt/open-70b costs no more than api-co/big-closed from about {volume:,}"
        assert said in " ".join(out.split())
        assert (
            f"{volume / 20000:.1f}× this load" in out or f"{volume / 20000:,.0f}× this load" in out
        )
