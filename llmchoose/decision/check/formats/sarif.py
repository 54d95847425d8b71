"""The check report as SARIF 2.1.0, for code-scanning dashboards (GitHub code scanning
and others). Every finding code is a rule; each finding is a result pointing at its
file and line."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path, PurePath
from typing import Any

from llmchoose import __version__
from llmchoose.decision.check.findings import CheckReport, Finding
from llmchoose.schemas.vocabulary import CODES

__all__ = ["SARIF_SCHEMA", "render_sarif", "report_to_sarif"]

SARIF_SCHEMA = (
    "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
)
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
_INDEX = {code: i for i, code in enumerate(CODES)}


def _uri(file: str) -> str:
    path = PurePath(file)
    if path.is_absolute():
        return Path(file).as_uri()
    return path.as_posix()


def _rule(code) -> dict[str, Any]:
    return {
        "id": code.code,
        "name": code.name,
        "shortDescription": {"text": code.summary},
        "fullDescription": {"text": f"{code.summary} {code.remedy}"},
        "help": {"text": code.remedy},
        "defaultConfiguration": {"level": _LEVELS[code.severity]},
        "properties": {"area": code.area},
    }


def _fingerprint(f: Finding) -> str:
    key = "|".join(
        [f.code, f.file, f.workload or "", f.option or "", str(f.details.get("fact", ""))]
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _result(f: Finding) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {"uri": _uri(f.file)}}
    if f.line:
        location["region"] = {"startLine": f.line}
    properties: dict[str, Any] = {}
    if f.workload:
        properties["workload"] = f.workload
    if f.option:
        properties["option"] = f.option
    if f.details:
        properties["details"] = f.details
    result: dict[str, Any] = {
        "ruleId": f.code,
        "ruleIndex": _INDEX[f.code],
        "level": _LEVELS[f.severity],
        "message": {"text": (f"[{f.workload}] " if f.workload else "") + f.message},
        "locations": [{"physicalLocation": location}],
        "partialFingerprints": {"llmchooseFinding/v1": _fingerprint(f)},
    }
    if properties:
        result["properties"] = properties
    return result


def report_to_sarif(report: CheckReport) -> dict[str, Any]:
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "llmchoose",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [_rule(code) for code in CODES.values()],
                    }
                },
                "invocations": [{"executionSuccessful": True}],
                "artifacts": [
                    {"location": {"uri": uri}}
                    for uri in dict.fromkeys(_uri(r.file) for r in report.files)
                ],
                "results": [_result(f) for f in report.findings],
                "properties": {"as_of": report.as_of.isoformat(), "fail_on": report.fail_on},
            }
        ],
    }


def render_sarif(report: CheckReport) -> str:
    return json.dumps(report_to_sarif(report), indent=2, ensure_ascii=False) + "\n"
