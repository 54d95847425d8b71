"""The check report in each format: JSON, JUnit XML (validated against a JUnit XSD),
GitHub annotations, SARIF 2.1.0 (validated against the OASIS schema) and text."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from llmchoose.decision.check.findings import CheckReport, FileResult, Finding, WorkloadStatus
from llmchoose.decision.check.formats import FORMATS, render_report
from llmchoose.decision.check.formats.github import annotation
from llmchoose.decision.check.run import check_files
from llmchoose.decision.decide import decide
from llmchoose.errors import InputError
from llmchoose.loading.criteria import load_criteria
from llmchoose.loading.knowledge import load_catalog
from llmchoose.schemas.vocabulary import CODES

DATA = Path(__file__).parent / "data"
SCHEMAS = DATA / "check" / "schemas"
AS_OF = dt.date(2026, 11, 28)
LATER = dt.date(2026, 12, 2)

DECISION = """\
version: 1
project:
  name: Formats & <checks> "quoted"
answers:
  ops_capability: none
  time_to_launch: days
  integration_importance: 5
workloads:
  - id: chat
    name: Chat
    answers:
      requests_per_day: 2000
      input_tokens: 2000
      output_tokens: 300
      cached_share: 0.5
      latency_need: interactive
      min_context_tokens: 16000
  - id: notes
    name: Notes
    answers:
      data_sensitivity: regulated
      data_location: own-infrastructure
      requests_per_day: 500
"""


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """A report with findings of every severity (prices up, a retirement announced, and a
    broken second file), and one that holds."""
    criteria = load_criteria()
    folder = tmp_path_factory.mktemp("formats")
    path = folder / "llm-decision.yaml"
    path.write_text(DECISION)
    kb = load_catalog(layers=[DATA / "kb"])
    path.write_text(decide(path, catalog=kb, criteria=criteria, as_of=AS_OF, decided_by="T").text)
    broken = folder / "broken.yaml"
    broken.write_text("version: 1\nproject: {name: B}\nworkloads: []\n")
    changed = load_catalog(
        layers=[DATA / "kb", DATA / "check" / "price-up", DATA / "check" / "retired"]
    )
    failing = check_files([path, broken], catalog=changed, criteria=criteria, as_of=LATER)
    holding = check_files([path], catalog=kb, criteria=criteria, as_of=AS_OF)
    return failing, holding


def test_the_failing_report_has_every_severity(reports):
    failing, holding = reports
    assert set(failing.counts()) == {"error", "warning", "info"}
    assert all(failing.counts().values())
    assert failing.exit_code == 1
    assert holding.findings == [] and holding.exit_code == 0


def test_json_has_the_findings_and_the_verdict(reports):
    failing, _ = reports
    data = json.loads(render_report(failing, "json"))
    assert data["version"] == 1
    assert (data["result"], data["exit_code"], data["fail_on"]) == ("fails", 1, "error")
    chat = data["files"][0]["workloads"][0]
    assert chat["state"] == "ruled-out"
    assert chat["next_step"]["why"] == "ruled-out"
    assert chat["next_step"]["commands"][-1].endswith("llm-decision.yaml --reset")
    assert data["counts"] == failing.counts()
    first, second = data["files"]
    assert first["file"].endswith("llm-decision.yaml")
    assert [w["id"] for w in first["workloads"]] == ["chat", "notes"]
    assert second["result"] == "fails"
    assert [f["code"] for f in second["findings"]] == ["LC001"]
    finding = next(f for f in first["findings"] if f["code"] == "LC020")
    assert set(finding) == {
        "code",
        "name",
        "area",
        "severity",
        "message",
        "file",
        "line",
        "workload",
        "option",
        "details",
    }
    assert finding["details"]["old"] == 2.5 and finding["details"]["new"] == 3
    assert finding["name"] == "price-increase"


def _junit(report: CheckReport) -> ET.Element:
    text = render_report(report, "junit")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def test_junit_is_valid_against_the_junit_schema(reports):
    xmlschema = pytest.importorskip("xmlschema")
    schema = xmlschema.XMLSchema(str(SCHEMAS / "junit.xsd"))
    for report in reports:
        schema.validate(render_report(report, "junit"))
    # The schema does bite: a test case without a name is refused.
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        schema.validate(
            '<testsuites><testsuite name="x" tests="1"><testcase/></testsuite></testsuites>'
        )


def test_junit_counts_match_its_test_cases(reports):
    failing, holding = reports
    root = _junit(failing)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 2
    total = failures = skipped = 0
    for suite in suites:
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == len(suite.findall("testcase/failure"))
        assert int(suite.get("skipped")) == len(suite.findall("testcase/skipped"))
        total += len(cases)
        failures += len(suite.findall("testcase/failure"))
        skipped += len(suite.findall("testcase/skipped"))
    assert (int(root.get("tests")), int(root.get("failures")), int(root.get("skipped"))) == (
        total,
        failures,
        skipped,
    )
    # The decision file: the chat option is ruled out (it retires within the horizon).
    main = suites[0]
    names = [c.get("name") for c in main.findall("testcase")]
    assert names[0] == "the decision file is valid"
    assert "chat: meets every hard requirement" in names
    ruled = main.find("testcase[@name='chat: meets every hard requirement']/failure")
    assert ruled is not None and ruled.get("type") == "LC010"
    step = main.find("testcase[@name='chat: meets every hard requirement']/system-out")
    assert step.text.startswith("next: the best option now is ")
    skipped_rank = main.find("testcase[@name='chat: still ranks within the policy']/skipped")
    assert skipped_rank is not None
    # A warning below --fail-on is output, not a failure.
    retiring = main.find("testcase[@name='chat: not retiring or deprecated']")
    assert retiring.find("failure") is None
    assert "LC030" in retiring.find("system-out").text
    props = {p.get("name"): p.get("value") for p in main.find("properties")}
    assert int(props["warnings_below_fail_on"]) >= 1
    # The broken file: one failing case.
    broken = suites[1].findall("testcase")
    assert len(broken) == 1 and broken[0].find("failure").get("type") == "LC001"
    # Every case passes when the decision holds.
    assert _junit(holding).get("failures") == "0"


def test_junit_failures_follow_fail_on(reports):
    failing, _ = reports
    strict = CheckReport(as_of=failing.as_of, fail_on="info", files=failing.files)
    never = CheckReport(as_of=failing.as_of, fail_on="never", files=failing.files)
    assert int(_junit(strict).get("failures")) > int(_junit(failing).get("failures"))
    warning = CheckReport(as_of=failing.as_of, fail_on="warning", files=failing.files)
    case = "testcase[@name='chat: not retiring or deprecated']"
    assert _junit(warning).find(f"testsuite/{case}/failure").get("type") == "LC030"
    assert _junit(failing).find(f"testsuite/{case}/failure") is None
    assert _junit(never).get("failures") == "0"


def test_junit_escapes_text_from_the_files(reports):
    failing, _ = reports
    root = _junit(failing)
    props = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert props["project"] == 'Formats & <checks> "quoted"'


SARIF_SCHEMA = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def _sarif_errors(document: dict) -> list[str]:
    validator = jsonschema.Draft202012Validator(SARIF_SCHEMA)
    return [e.message for e in validator.iter_errors(document)]


def test_sarif_is_valid_sarif_2_1_0(reports):
    for report in reports:
        document = json.loads(render_report(report, "sarif"))
        assert _sarif_errors(document) == []
        assert document["version"] == "2.1.0"


def test_the_sarif_validation_bites():
    assert _sarif_errors({"version": "2.1.0", "runs": [{"tool": {}}]}) != []
    assert _sarif_errors({"version": "2.0.0", "runs": []}) != []


def test_sarif_rules_and_results_point_at_file_and_line(reports):
    failing, _ = reports
    run = json.loads(render_report(failing, "sarif"))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(CODES)
    levels = {"error": "error", "warning": "warning", "info": "note"}
    assert len(run["results"]) == len(failing.findings)
    for result, finding in zip(run["results"], failing.findings, strict=True):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == finding.code
        assert result["level"] == levels[finding.severity]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == Path(finding.file).as_uri()
        if finding.line:
            assert location["region"]["startLine"] == finding.line
    fingerprints = [r["partialFingerprints"]["llmchooseFinding/v1"] for r in run["results"]]
    assert len(set(fingerprints)) == len(fingerprints)


def test_github_annotations_point_at_file_and_line(reports):
    failing, _ = reports
    lines = render_report(failing, "github").splitlines()
    steps = [w for r in failing.files for w in r.workloads if w.next_step]
    assert len(steps) == 1
    assert len(lines) == len(failing.findings) + len(steps) + 1
    assert lines[-2].startswith(f"::notice file={failing.files[0].file},line=")
    assert "title=next step::[chat] the best option now is " in lines[-2]
    for line, finding in zip(lines[:-2], failing.findings, strict=True):
        level = {"error": "error", "warning": "warning", "info": "notice"}[finding.severity]
        assert line.startswith(f"::{level} file={finding.file}")
        if finding.line:
            assert f",line={finding.line}," in line
        assert f"title={finding.code} {finding.name}::" in line
    assert lines[-1].startswith("llmchoose check (as of 2026-12-02): ")


def test_github_annotations_escape_what_the_syntax_reserves():
    finding = Finding(
        code="LC020",
        severity="warning",
        message="50% up\nsecond line",
        file="dir,x/a:b.yaml",
        line=3,
        workload="w",
    )
    assert annotation(finding) == (
        "::warning file=dir%2Cx/a%3Ab.yaml,line=3,title=LC020 price-increase::"
        "[w] 50%25 up%0Asecond line"
    )


def test_human_text_groups_findings_by_workload(reports):
    failing, holding = reports
    text = render_report(failing, "human")
    assert "  chat: api-co/big-closed (ruled out)" in text
    assert "    error   LC010 line " in text
    assert "  notes: " in text
    assert text.rstrip().endswith("the decisions fail; exit 1 (--fail-on error).")
    assert "    holds" in render_report(holding, "human")


def test_every_format_renders_the_same_bytes_twice(reports):
    failing, _ = reports
    for fmt in FORMATS:
        assert render_report(failing, fmt) == render_report(failing, fmt)


def test_an_unknown_format_is_an_input_error(reports):
    with pytest.raises(InputError, match="unknown format 'xml'"):
        render_report(reports[0], "xml")


def test_a_report_of_an_empty_file_list_is_valid_everywhere():
    empty = CheckReport(as_of=AS_OF, fail_on="error", files=[])
    assert _sarif_errors(json.loads(render_report(empty, "sarif"))) == []
    assert _junit(empty).get("tests") == "0"
    assert json.loads(render_report(empty, "json"))["result"] == "holds"


def test_relative_paths_stay_relative_in_sarif():
    report = CheckReport(
        as_of=AS_OF,
        fail_on="error",
        files=[
            FileResult(
                file="decisions/llm-decision.yaml",
                project="P",
                workloads=[WorkloadStatus(id="w", name="W", line=3, option=None)],
                findings=[
                    Finding(
                        code="LC004",
                        severity="error",
                        message="m",
                        file="decisions/llm-decision.yaml",
                        line=3,
                        workload="w",
                    )
                ],
            )
        ],
    )
    run = json.loads(render_report(report, "sarif"))["runs"][0]
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "decisions/llm-decision.yaml"
    }
    assert _sarif_errors(json.loads(render_report(report, "sarif"))) == []
