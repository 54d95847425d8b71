"""The kb, schema and --version commands, and help for every command."""

from __future__ import annotations

import json

import pytest

from llmchoose import __version__


def test_version(run_cli):
    code, out, _ = run_cli("--version")
    assert code == 0
    assert out.strip() == f"llmchoose {__version__}"


def test_kb_list_filters(run_cli, fixture_kb):
    code, out, _ = run_cli("kb", "list", "--open-weights", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert {r["id"] for r in rows} == {"open-8b", "open-70b", "tiny-1b"}
    assert all(r["open_weights"] for r in rows)
    code, out, _ = run_cli("kb", "list", "--category", "on-device", "--format", "json")
    assert {r["id"] for r in json.loads(out)} == {"open-8b", "open-70b", "tiny-1b"}
    code, out, _ = run_cli(
        "kb", "list", "--kind", "offerings", "--provider", "host-co", "--format", "json"
    )
    rows = json.loads(out)
    assert [(r["id"], r["category"]) for r in rows] == [("host-co/open-70b", "hosted-open-weights")]


def test_kb_list_bad_filter_is_exit_2_with_suggestion(run_cli, fixture_kb):
    code, out, err = run_cli("kb", "list", "--category", "self-hostd")
    assert code == 2
    assert out == ""
    assert err.strip() == "Error: unknown category 'self-hostd' (did you mean 'self-hosted'?)"


def test_kb_show_gives_every_fact_its_source(run_cli, fixture_kb):
    code, out, _ = run_cli("kb", "show", "open-70b", "--format", "json")
    assert code == 0
    [entry] = json.loads(out)
    facts = {f["field"]: f for f in entry["facts"]}
    assert facts["architecture.layers"]["value"] == 80
    assert all(f["source"] == "fixture" and f["as_of"] == "2026-11-01" for f in entry["facts"])
    assert entry["categories"] == ["hosted-open-weights", "self-hosted", "on-device"]


def test_kb_show_unknown_id(run_cli, fixture_kb):
    code, _, err = run_cli("kb", "show", "open-7b")
    assert code == 2
    assert "no record with id 'open-7b'" in err
    assert "did you mean" in err


def test_kb_validate_reports_every_problem_with_location(run_cli, fixture_kb, write_tree, tmp_path):
    write_tree(
        {
            "bad/a.yaml": "models:\n  - id: open-8b\n    context_window: many\n    source: fixture\n    as_of: 2026-11-02\n",
            "bad/b.yaml": "offerings: [\n",
        }
    )
    code, out, err = run_cli("kb", "validate", str(tmp_path / "bad"), "--format", "json")
    assert code == 2
    report = json.loads(out)
    assert report["ok"] is False
    # Exit 2 always comes with its reason on stderr, JSON or not.
    assert err == f"{len(report['errors'])} problem(s) found; see the JSON report.\n"
    located = {(e["file"].rsplit("/", 1)[-1], e["line"]) for e in report["errors"]}
    assert ("a.yaml", 3) in located
    assert any(name == "b.yaml" for name, _ in located)


def test_kb_validate_passes_on_fixture(run_cli, fixture_kb):
    code, out, _ = run_cli("kb", "validate", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["ok"] and report["counts"]["models"] == 5 and report["counts"]["factors"] >= 9


@pytest.mark.parametrize("kind", ["knowledge", "criteria", "decision"])
def test_schema_export_is_valid_json_schema(run_cli, kind, tmp_path):
    import jsonschema

    code, out, _ = run_cli("schema", kind)
    assert code == 0
    schema = json.loads(out)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False
    code, _, _ = run_cli("schema", kind, "--output", str(tmp_path / "s.json"))
    assert json.loads((tmp_path / "s.json").read_text()) == schema


def test_shipped_yaml_validates_against_exported_schemas(run_cli):
    """The JSON Schemas editors use accept the files the project ships."""
    import jsonschema
    import yaml

    from llmchoose.loading.paths import builtin_dir

    code, out, _ = run_cli("schema", "criteria")
    assert code == 0
    validator = jsonschema.Draft202012Validator(json.loads(out))
    for path in sorted(builtin_dir("criteria").glob("*.yaml")):
        data = json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))
        assert not list(validator.iter_errors(data)), path.name


def _commands(app, prefix=()):
    import typer.main

    group = typer.main.get_command(app)
    stack = [(prefix, group)]
    while stack:
        path, command = stack.pop()
        yield path, command
        for name, sub in getattr(command, "commands", {}).items():
            stack.append(((*path, name), sub))


def test_every_command_has_help_with_an_example(run_cli):
    from llmchoose.cli.app import app

    for path, command in _commands(app):
        code, out, _ = run_cli(*path, "--help")
        assert code == 0, path
        assert out.startswith("Usage:"), path
        assert command.help, f"{' '.join(path)} has no help"
        if not getattr(command, "commands", None):
            assert "Example: llmchoose" in command.help, f"{' '.join(path)} has no example"


def test_unknown_option_is_a_usage_error(run_cli):
    code, _, err = run_cli("kb", "list", "--colour")
    assert code == 2
    assert "No such option" in err


def test_questions_lists_every_question_with_what_is_allowed(run_cli):
    from llmchoose.loading.criteria import load_criteria

    code, out, _ = run_cli("questions", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [r["id"] for r in rows] == list(load_criteria().questions)
    sensitivity = next(r for r in rows if r["id"] == "data_sensitivity")
    assert sensitivity["allowed"] == ["public", "internal", "confidential", "regulated"]
    assert sensitivity["scope"] == "workload"
    volume = next(r for r in rows if r["id"] == "requests_per_day")
    assert volume["allowed"] == ["0..1000000000 requests per day"]
