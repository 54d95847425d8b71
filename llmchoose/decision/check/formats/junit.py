"""The check report as JUnit XML, for CI systems that show test results.

One ``<testsuite>`` per decision file. Its test cases are the checks: "the decision file
is valid", and for each workload "a choice is recorded", "meets every hard requirement",
"still ranks within the policy", "facts unchanged since the decision", "not retiring or
deprecated" and "facts are fresh". A case fails when it has a finding at or above
``--fail-on``; findings below it are listed in the case's ``<system-out>``; a check that
could not run (say, the option is unknown) is ``<skipped>``. The layout follows the
Ant/Jenkins JUnit format that CI systems read.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from llmchoose.decision.check.findings import CheckReport, FileResult, Finding

__all__ = ["render_junit"]

CASES = (
    ("file", "a choice is recorded"),
    ("constraints", "meets every hard requirement"),
    ("ranking", "still ranks within the policy"),
    ("facts", "facts unchanged since the decision"),
    ("lifecycle", "not retiring or deprecated"),
    ("freshness", "facts are fresh"),
)
# The case that carries a workload's next step, by the reason it is needed.
_STEP_AREAS = {
    "unknown-option": "file",
    "unavailable": "file",
    "ruled-out": "constraints",
    "retired": "lifecycle",
    "overtaken": "ranking",
}
# Findings after which the later checks of a workload do not run.
_STOPS = {"LC003", "LC004", "LC013"}


def _text(f: Finding) -> str:
    where = f"{f.file}:{f.line}" if f.line else f.file
    return f"{f.severity} {f.code} {where}: {f.message}"


class _Counts:
    def __init__(self) -> None:
        self.tests = self.failures = self.skipped = 0


def _case(
    suite: ET.Element,
    counts: _Counts,
    *,
    name: str,
    classname: str,
    findings: list[Finding],
    fail_on: str,
    skipped: str | None = None,
    next_step: str | None = None,
) -> None:
    case = ET.SubElement(suite, "testcase", name=name, classname=classname, time="0")
    counts.tests += 1
    failing = [f for f in findings if f.at_or_above(fail_on)]
    if skipped is not None and not findings:
        ET.SubElement(case, "skipped", message=skipped)
        counts.skipped += 1
        return
    if failing:
        failure = ET.SubElement(
            case,
            "failure",
            message=failing[0].message
            + (f" (and {len(failing) - 1} more)" if len(failing) > 1 else ""),
            type=failing[0].code,
        )
        failure.text = "\n".join(_text(f) for f in failing)
        counts.failures += 1
    # Findings below --fail-on still show in the case, so a warning is never a clean pass.
    rest = [_text(f) for f in findings if f not in failing]
    if next_step and findings:
        rest.append(f"next: {next_step}")
    if rest:
        ET.SubElement(case, "system-out").text = "\n".join(rest)


def _suite(parent: ET.Element, result: FileResult, report: CheckReport) -> _Counts:
    counts = _Counts()
    suite = ET.SubElement(parent, "testsuite", name=result.file)
    props = ET.SubElement(suite, "properties")
    ET.SubElement(props, "property", name="as_of", value=report.as_of.isoformat())
    ET.SubElement(props, "property", name="fail_on", value=report.fail_on)
    if result.project:
        ET.SubElement(props, "property", name="project", value=result.project)
    below = [f for f in result.findings if not f.at_or_above(report.fail_on)]
    for severity in ("error", "warning"):
        count = sum(f.severity == severity for f in below)
        if count:  # readers that hide a passing case's output still show these
            ET.SubElement(props, "property", name=f"{severity}s_below_fail_on", value=str(count))
    classname = result.file
    _case(
        suite,
        counts,
        name="the decision file is valid",
        classname=classname,
        findings=[f for f in result.findings if f.workload is None],
        fail_on=report.fail_on,
    )
    for workload in result.workloads:
        mine = [f for f in result.findings if f.workload == workload.id]
        codes = {f.code for f in mine}
        stopped = bool(codes & _STOPS)
        step = workload.next_step
        step_area = _STEP_AREAS.get(step.why) if step else None
        for area, title in CASES:
            skipped = None
            if area != "file" and stopped:
                skipped = "not checked: the choice could not be evaluated"
            elif area == "ranking" and "LC010" in codes:
                skipped = "not ranked: the option is ruled out"
            _case(
                suite,
                counts,
                name=f"{workload.id}: {title}",
                classname=classname,
                findings=[f for f in mine if f.area == area],
                fail_on=report.fail_on,
                skipped=skipped,
                next_step=step.text() if step and area == step_area else None,
            )
    suite.set("tests", str(counts.tests))
    suite.set("failures", str(counts.failures))
    suite.set("errors", "0")
    suite.set("skipped", str(counts.skipped))
    suite.set("time", "0")
    suite.set("timestamp", f"{report.as_of.isoformat()}T00:00:00")
    # Attributes first, then children, as readers expect; ElementTree keeps set order.
    suite.attrib = {
        k: suite.attrib[k]
        for k in ("name", "tests", "failures", "errors", "skipped", "time", "timestamp")
    }
    return counts


def render_junit(report: CheckReport) -> str:
    root = ET.Element("testsuites", name="llmchoose check")
    totals = _Counts()
    for result in report.files:
        counts = _suite(root, result, report)
        totals.tests += counts.tests
        totals.failures += counts.failures
        totals.skipped += counts.skipped
    root.set("tests", str(totals.tests))
    root.set("failures", str(totals.failures))
    root.set("errors", "0")
    root.set("skipped", str(totals.skipped))
    root.set("time", "0")
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
