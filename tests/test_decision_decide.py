"""`llmchoose decide`: recording the chosen option with a snapshot of the facts it relied
on, in place, without losing the file's comments."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from llmchoose.decision.decide import SCHEMA_COMMENT, decide, parse_choices
from llmchoose.errors import InputError
from llmchoose.loading.criteria import load_criteria
from llmchoose.loading.decision import load_decision
from llmchoose.loading.knowledge import load_catalog
from llmchoose.loading.yamlio import parse_yaml

DATA = Path(__file__).parent / "data"
FIXTURE_KB = DATA / "kb"
AS_OF = dt.date(2026, 11, 28)

TWO = """\
# yaml-language-server: $schema=../schema.json
# Two workloads (test decision).
version: 1
project:
  name: Two workloads  # the project
answers:
  ops_capability: some
  integration_importance: 4
  regulations: [hipaa]
workloads:
  # The public chatbot.
  - id: chat
    name: Chat
    answers:
      data_sensitivity: public  # nothing secret
      requests_per_day: 2000
      min_context_tokens: 16000

  # The notes tool.
  - id: notes
    name: Notes
    answers:
      data_sensitivity: regulated
      data_location: own-infrastructure
      requests_per_day: 1500
# The end.
"""


@pytest.fixture(scope="module")
def criteria():
    return load_criteria()


@pytest.fixture(scope="module")
def kb():
    return load_catalog(layers=[FIXTURE_KB])


@pytest.fixture
def cli(run_cli, fixture_kb):
    from llmchoose.cli.app import app
    from llmchoose.cli.check_cmd import register

    if "check" not in {c.name for c in app.registered_commands}:
        register(app)
    return run_cli


def run(path: Path, kb, criteria, **options):
    return decide(path, catalog=kb, criteria=criteria, as_of=AS_OF, decided_by="Tester", **options)


def test_decide_records_the_top_option_with_its_snapshot(tmp_path, kb, criteria):
    path = tmp_path / "d.yaml"
    path.write_text(TWO)
    result = run(path, kb, criteria)
    data = yaml.safe_load(result.text)
    for workload, recorded in zip(data["workloads"], result.recorded, strict=True):
        choice = workload["choice"]
        assert choice["option"] == recorded.option
        assert recorded.rank == 1 and recorded.status == "new"
        assert choice["decided_by"] == "Tester"
        assert choice["decided_on"] == AS_OF
        snap = choice["snapshot"]
        assert (snap["as_of"], snap["rank"], snap["method"]) == (AS_OF, 1, "weighted-sum")
        assert snap["score"] == recorded.score
        assert snap["margin"] >= 0 and snap["compared_with"]
        assert "Ranked 1 of" in choice["rationale"]
        for fact in snap["facts"].values():
            assert set(fact) == {"value", "source", "as_of"}
        assert snap["sources"] == {"fixture": "https://example.com/fixture"}
    chat = data["workloads"][0]["choice"]["snapshot"]
    if chat["category"] in ("proprietary-api", "hosted-open-weights"):
        assert {"price_input", "price_output", "hipaa_baa", "licence_id", "retires"} <= set(
            chat["facts"]
        )
    notes = data["workloads"][1]["choice"]["snapshot"]
    assert notes["category"] == "self-hosted"
    assert {"hardware_price_per_hour", "licence_id", "hardware", "runtime_maintenance"} <= set(
        notes["facts"]
    )
    assert data["policy"] == {
        "max_rank": 3,
        "max_margin": 0.05,
        "price_change_percent": 10,
        "retirement_horizon_days": 90,
        "max_fact_age_days": 180,
    }
    # The result is a valid decision file.
    path.write_text(result.text)
    decision = load_decision(path, criteria)
    assert decision.workloads[1].choice.snapshot.category == "self-hosted"


def test_decide_keeps_every_comment_and_the_layout(tmp_path, kb, criteria):
    path = tmp_path / "d.yaml"
    path.write_text(TWO)
    result = run(path, kb, criteria)
    assert not result.rewritten
    text = result.text
    for comment in (
        "# yaml-language-server: $schema=../schema.json",
        "# Two workloads (test decision).",
        "  name: Two workloads  # the project",
        "  # The public chatbot.",
        "      data_sensitivity: public  # nothing secret",
        "  # The notes tool.",
        "# The end.",
    ):
        assert comment in text
    # The choice sits inside its workload, before the comment that introduces the next.
    assert text.index("    choice:\n      option:") < text.index("  # The notes tool.")
    assert text.rstrip().endswith("max_fact_age_days: 180")
    # Only additions: the original lines are all still there, in order.
    lines = iter(text.splitlines())
    assert all(any(line == kept for kept in lines) for line in TWO.splitlines())


def test_deciding_again_keeps_the_choice_and_refreshes_the_snapshot(tmp_path, kb, criteria):
    path = tmp_path / "d.yaml"
    path.write_text(TWO)
    first = run(path, kb, criteria)
    path.write_text(first.text.replace("Ranked 1 of", "Chosen by the board; ranked 1 of"))
    later = decide(path, catalog=kb, criteria=criteria, as_of=dt.date(2026, 12, 5), decided_by=None)
    assert [r.status for r in later.recorded] == ["kept", "kept"]
    data = yaml.safe_load(later.text)
    choice = data["workloads"][0]["choice"]
    assert choice["decided_on"] == dt.date(2026, 12, 5)
    assert choice["snapshot"]["as_of"] == dt.date(2026, 12, 5)
    assert choice["decided_by"] == "Tester"  # kept from the file
    assert choice["rationale"].startswith("Chosen by the board")  # a human's words survive
    assert later.text.count("policy:") == 1
    # --reset recomputes the rationale.
    path.write_text(later.text)
    reset = run(path, kb, criteria, reset=True)
    assert yaml.safe_load(reset.text)["workloads"][0]["choice"]["rationale"].startswith("Ranked")


def test_the_same_inputs_give_the_same_file(tmp_path, kb, criteria):
    path = tmp_path / "d.yaml"
    path.write_text(TWO)
    assert run(path, kb, criteria).text == run(path, kb, criteria).text


def test_choose_names_an_option_per_workload(tmp_path, kb, criteria):
    path = tmp_path / "d.yaml"
    path.write_text(TWO)
    top = run(path, kb, criteria).recorded
    notes_options = [r for r in ("server-rt/tiny-1b", "server-rt/open-70b") if r != top[1].option]
    result = run(path, kb, criteria, choose={"notes": notes_options[0]})
    assert result.recorded[1].option == notes_options[0]
    assert result.recorded[1].rank > 1
    snap = yaml.safe_load(result.text)["workloads"][1]["choice"]["snapshot"]
    assert snap["margin"] < 0 and snap["compared_with"] == top[1].option


def test_choosing_a_ruled_out_or_unknown_option_is_refused(tmp_path, kb, criteria):
    path = tmp_path / "d.yaml"
    path.write_text(TWO)
    with pytest.raises(InputError) as ruled:
        run(path, kb, criteria, choose={"notes": "api-co/big-closed"})
    assert "workload 'notes': api-co/big-closed is ruled out: data may not leave" in str(
        ruled.value
    )
    with pytest.raises(InputError) as unknown:
        run(path, kb, criteria, choose={"notes": "server-rt/open-70"})
    assert "unknown option 'server-rt/open-70'" in str(unknown.value)
    assert "did you mean 'server-rt/open-70b'?" in str(unknown.value)
    with pytest.raises(InputError, match="unknown workload 'note'"):
        run(path, kb, criteria, choose={"note": "server-rt/open-70b"})
    assert path.read_text() == TWO


def test_parse_choices():
    assert parse_choices(["a=x/y", "b = z"], ["a", "b"]) == {"a": "x/y", "b": "z"}
    assert parse_choices(["x/y"], ["only"]) == {"only": "x/y"}
    with pytest.raises(InputError, match="name the workload"):
        parse_choices(["x/y"], ["a", "b"])
    with pytest.raises(InputError, match="did you mean 'chat'"):
        parse_choices(["chta=x"], ["chat", "notes"])
    with pytest.raises(InputError, match="chosen twice"):
        parse_choices(["a=x", "a=y"], ["a"])


def test_single_chooses_one_option_for_every_workload(tmp_path, kb, criteria):
    path = tmp_path / "d.yaml"
    path.write_text(TWO)
    result = run(path, kb, criteria, single=True)
    assert len({r.option for r in result.recorded}) == 1
    one = tmp_path / "one.yaml"
    one.write_text(TWO.split("  # The notes tool.")[0])
    with pytest.raises(InputError, match="--single needs at least two workloads"):
        run(one, kb, criteria, single=True)


def test_a_flow_style_file_is_written_afresh_with_its_header(tmp_path, kb, criteria):
    path = tmp_path / "d.yaml"
    path.write_text(
        "# My decision.\n"
        "{version: 1, project: {name: Flow}, workloads: [{id: w, name: W, answers: {requests_per_day: 10}}]}\n"
    )
    result = run(path, kb, criteria)
    assert result.rewritten
    assert result.text.startswith(SCHEMA_COMMENT + "\n# My decision.\nversion: 1\n")
    data = parse_yaml(result.text)
    assert data["workloads"][0]["choice"]["option"] == result.recorded[0].option


def test_decide_on_the_command_line(cli, tmp_path):
    path = tmp_path / "llm-decision.yaml"
    path.write_text(TWO)
    code, out, err = cli("decide", str(path), "--as-of", "2026-11-28", "--by", "Ann", "-f", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["written"] and not report["rewritten"]
    assert [r["workload"] for r in report["recorded"]] == ["chat", "notes"]
    assert "chat: " in err and "(new)" in err
    assert f"Keep it honest with: llmchoose check {path}" in err
    assert yaml.safe_load(path.read_text())["workloads"][0]["choice"]["decided_by"] == "Ann"
    code, out, _ = cli("check", str(path), "--as-of", "2026-11-28")
    assert code == 0 and "holds" in out


def test_decide_dry_run_and_output_leave_the_file_alone(cli, tmp_path):
    path = tmp_path / "llm-decision.yaml"
    path.write_text(TWO)
    code, out, _ = cli("decide", str(path), "--as-of", "2026-11-28", "--by", "Ann", "--dry-run")
    assert code == 0
    assert "    choice:" in out
    assert path.read_text() == TWO
    target = tmp_path / "recorded.yaml"
    code, _, _ = cli("decide", str(path), "--as-of", "2026-11-28", "-o", str(target))
    assert code == 0
    assert path.read_text() == TWO and "    choice:" in target.read_text()


def test_decide_warns_when_the_choice_is_below_the_policy(cli, tmp_path):
    path = tmp_path / "llm-decision.yaml"
    path.write_text(TWO)
    code, _, err = cli(
        "decide",
        str(path),
        "--as-of",
        "2026-11-28",
        "--by",
        "Ann",
        "--choose",
        "chat=server-rt/open-8b",
    )
    assert code == 0
    assert "Warning: chat: server-rt/open-8b" in err
    assert "LC01" in err


def test_decide_errors_are_exit_2_and_write_nothing(cli, tmp_path):
    path = tmp_path / "llm-decision.yaml"
    path.write_text(TWO)
    code, _, err = cli("decide", str(path), "--choose", "server-rt/open-70b")
    assert code == 2
    assert "name the workload" in err
    code, _, err = cli("decide", str(path), "--single", "--reset")
    assert code == 2
    assert path.read_text() == TWO
    assert cli("decide", str(tmp_path / "missing.yaml"))[0] == 2


def test_decided_by_defaults_to_the_environment(tmp_path, kb, criteria, monkeypatch):
    monkeypatch.setenv("LLMCHOOSE_DECIDED_BY", "CI bot")
    path = tmp_path / "d.yaml"
    path.write_text(TWO)
    result = decide(path, catalog=kb, criteria=criteria, as_of=AS_OF)
    assert yaml.safe_load(result.text)["workloads"][0]["choice"]["decided_by"] == "CI bot"


def test_a_recorded_option_that_is_now_ruled_out_must_be_replaced(tmp_path, kb, criteria):
    path = tmp_path / "d.yaml"
    path.write_text(TWO)
    path.write_text(run(path, kb, criteria, choose={"chat": "api-co/big-closed"}).text)
    text = path.read_text().replace(
        "      data_sensitivity: public  # nothing secret",
        "      data_sensitivity: public  # nothing secret\n      data_location: own-infrastructure",
    )
    path.write_text(text)
    with pytest.raises(InputError) as ruled:
        run(path, kb, criteria)
    assert ruled.value.hint == "choose another with --choose, or the top-ranked one with --reset"
    assert ruled.value.line is not None
    assert run(path, kb, criteria, reset=True).recorded[0].option != "api-co/big-closed"


def test_windows_line_endings_are_kept(tmp_path, kb, criteria):
    path = tmp_path / "d.yaml"
    path.write_bytes(TWO.replace("\n", "\r\n").encode())
    result = run(path, kb, criteria)
    assert not result.rewritten
    assert "\n" not in result.text.replace("\r\n", "")
    assert "  # The notes tool.\r\n" in result.text
