"""`llmchoose report`: formats, output files, overrides, and one clear error for bad input
with nothing left behind."""

from __future__ import annotations

import json

import pytest
from test_report_helpers import REPORT_DATA, STARTUP, ensure_report_command

EXAMPLE = str(STARTUP)


@pytest.fixture(autouse=True)
def _report_command(fixture_kb):
    ensure_report_command()


def test_help_names_the_options(run_cli):
    code, out, _ = run_cli("report", "--help")
    assert code == 0
    for option in ("--format", "--output", "--brand", "--template-dir", "--template", "--as-of"):
        assert option in out
    assert "Example: llmchoose report" in out


def test_markdown_goes_to_stdout_by_default(run_cli):
    code, out, err = run_cli("report", EXAMPLE, "--as-of", "2026-11-28", "--samples", "50")
    assert code == 0 and err == ""
    assert out.startswith("# LLM deployment recommendation: Acme support chatbot\n")


@pytest.mark.parametrize(
    ("name", "start"),
    [("report.html", "<!DOCTYPE html>"), ("report.md", "# LLM"), ("report.json", "{")],
)
def test_format_follows_the_output_extension(run_cli, tmp_path, name, start):
    out = tmp_path / name
    code, stdout, err = run_cli("report", EXAMPLE, "-o", str(out), "--samples", "50")
    assert code == 0 and stdout == ""
    assert out.read_text(encoding="utf-8").startswith(start)
    assert f"Wrote {out}" in err
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left


def test_format_option_wins_over_the_extension(run_cli, tmp_path):
    out = tmp_path / "report.txt"
    code, _, _ = run_cli("report", EXAMPLE, "-f", "json", "-o", str(out), "--samples", "50")
    assert code == 0
    assert json.loads(out.read_text())["project"]["name"] == "Acme support chatbot"


def _brand(tmp_path, text: str):
    path = tmp_path / "brand.yaml"
    path.write_text(text, encoding="utf-8")
    return path


BAD_INPUT = [
    (
        ["--brand", "{tmp}/brand.yaml"],
        "client: Acme\nlogo: missing.png\n",
        "Error: {tmp}/brand.yaml:2: logo: file not found: {tmp}/missing.png (the path is relative to the brand file)",
    ),
    (
        ["--brand", "{tmp}/brand.yaml"],
        'client: Acme\naccent: "red; background: url(https://x.example)"\n',
        "Error: {tmp}/brand.yaml:2: accent: expected a hex colour such as '#1f5fa8', got 'red; background: url(https://x.example)'",
    ),
    (
        ["--brand", "{tmp}/brand.yaml"],
        "client: Acme\ncolour: '#123456'\n",
        "Error: {tmp}/brand.yaml:2: colour: unknown key 'colour'",
    ),
    (
        ["--brand", "{tmp}/brand.yaml"],
        "logo: brand.yaml\n",
        "Error: {tmp}/brand.yaml:1: logo: {tmp}/brand.yaml is not a PNG, JPEG, GIF, WebP or SVG image",
    ),
    (
        ["--template", "summary.html.j2", "-f", "html"],
        None,
        "Error: template 'summary.html.j2' not found in {templates} (did you mean 'partials/html/summary.html.j2'?)",
    ),
    (
        ["--template-dir", "{tmp}/nowhere"],
        None,
        "Error: {tmp}/nowhere: template folder not found",
    ),
]


@pytest.mark.parametrize(("args", "brand", "message"), BAD_INPUT)
def test_bad_input_gives_one_message_exit_2_and_no_file(run_cli, tmp_path, args, brand, message):
    from llmchoose.loading.paths import builtin_dir

    if brand is not None:
        _brand(tmp_path, brand)
    out = tmp_path / "out" / "report.html"
    args = [a.format(tmp=tmp_path) for a in args]
    code, stdout, stderr = run_cli("report", EXAMPLE, *args, "-o", str(out))
    assert code == 2
    assert stdout == ""
    expected = message.format(tmp=tmp_path, templates=builtin_dir("templates"))
    assert stderr.strip().splitlines()[0].startswith(expected), stderr
    assert len(stderr.strip().splitlines()) == 1
    assert not out.exists() and not out.parent.exists()


def test_a_template_error_leaves_an_existing_report_untouched(run_cli, tmp_path):
    templates = tmp_path / "templates"
    (templates / "partials" / "md").mkdir(parents=True)
    (templates / "partials" / "md" / "hybrid.md.j2").write_text("never used\n")
    (templates / "report.md.j2").write_text(
        "# {{ report.title }}\n\n{% for w in report.workloads %}\n{{ w.nope }}\n{% endfor %}\n"
    )
    out = tmp_path / "report.md"
    out.write_text("the previous report\n")
    code, _, stderr = run_cli("report", EXAMPLE, "--template-dir", str(templates), "-o", str(out))
    assert code == 2
    assert stderr.startswith(
        f"Error: {templates / 'report.md.j2'}:4: template error: 'dict object' has no attribute 'nope'"
    )
    assert out.read_text() == "the previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md", "templates"]


def test_a_template_syntax_error_names_file_and_line(run_cli, tmp_path):
    templates = tmp_path / "t"
    (templates / "partials").mkdir(parents=True)
    (templates / "partials" / "titles.j2").write_text('{% set titles = {"summary": "x" %}\n')
    code, _, stderr = run_cli("report", EXAMPLE, "--template-dir", str(templates))
    assert code == 2
    assert stderr.startswith(
        f"Error: {templates / 'partials' / 'titles.j2'}:1: template syntax error:"
    )


def test_a_partial_can_be_overridden_from_the_template_dir(run_cli, tmp_path):
    templates = tmp_path / "t"
    (templates / "partials").mkdir(parents=True)
    from llmchoose.loading.paths import builtin_dir

    titles = (builtin_dir("templates") / "partials" / "titles.j2").read_text()
    (templates / "partials" / "titles.j2").write_text(
        titles.replace('"summary": "Executive summary"', '"summary": "In short"')
    )
    code, out, _ = run_cli("report", EXAMPLE, "--template-dir", str(templates), "--samples", "50")
    assert code == 0
    assert "\n## In short\n" in out and "Executive summary" not in out


def test_guidance_can_be_extended_and_trimmed(run_cli, tmp_path):
    from test_report_helpers import engine_result

    rec, _, _ = engine_result(STARTUP)
    model = rec.workloads[0].winner.option.facts["model_name"]
    templates = tmp_path / "t"
    templates.mkdir()
    (templates / "guidance.yaml").write_text(
        "drop: [prompt-injection, logging-policy]\n"
        "checklist:\n"
        "  - id: our-review\n"
        "    area: Governance\n"
        "    text: The architecture board signs off {model_name} for {workload}.\n"
    )
    code, out, _ = run_cli(
        "report", str(STARTUP), "--template-dir", str(templates), "--samples", "50"
    )
    assert code == 0
    assert "**Governance**" in out
    assert f"- [ ] The architecture board signs off {model} for Customer support chat." in out
    assert "untrusted input" not in out and "written logging policy" not in out
    assert "## Implementation next steps" in out  # the built-in playbooks are kept


def test_a_bad_guidance_file_is_one_clear_error(run_cli, tmp_path):
    templates = tmp_path / "t"
    templates.mkdir()
    (templates / "guidance.yaml").write_text(
        "checklist:\n  - id: x\n    area: Security\n    text: Fine.\n    wen: {question: a, equals: b}\n"
    )
    code, _, stderr = run_cli("report", EXAMPLE, "--template-dir", str(templates))
    assert code == 2
    assert stderr == (
        f"Error: {templates / 'guidance.yaml'}:5: checklist[0].wen: unknown key 'wen' (did you mean 'when'?)\n"
    )


def test_brand_from_the_shipped_fixture(run_cli, tmp_path):
    out = tmp_path / "r.html"
    code, _, _ = run_cli(
        "report",
        EXAMPLE,
        "--brand",
        str(REPORT_DATA / "brand.yaml"),
        "-o",
        str(out),
        "--samples",
        "50",
    )
    assert code == 0
    assert "Northwind Advisory" in out.read_text()


@pytest.mark.parametrize(
    ("appendix", "summary", "full_list"),
    [("none", False, False), ("summary", True, False), ("full", True, True)],
)
def test_appendix_sets_how_much_of_the_ruled_out_options_is_shown(
    run_cli, appendix, summary, full_list
):
    code, out, _ = run_cli(
        "report", EXAMPLE, "--as-of", "2026-11-28", "--samples", "50", "--appendix", appendix
    )
    assert code == 0
    assert ("### Options ruled out" in out) is summary
    assert ("| Requirement | Options | For example |" in out) is summary
    assert ("## Appendix: every option ruled out" in out) is full_list
    # The ruled-out count is always given.
    assert "are ruled out" in out


def test_an_unknown_appendix_is_a_usage_error(run_cli):
    code, out, err = run_cli("report", EXAMPLE, "--appendix", "most")
    assert code == 2 and out == ""
    assert "most" in err
