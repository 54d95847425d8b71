"""The finding codes of ``llmchoose check``: stable ids, names and default severities.

A code never changes meaning once published; new checks get new codes. The table in
``docs/check.md`` is this registry in prose, and a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["AREAS", "CODES", "SEVERITIES", "Code", "severity_rank"]

# Severities from most to least serious; "off" in a policy turns a check off.
SEVERITIES = ("error", "warning", "info")


def severity_rank(severity: str) -> int:
    """0 for error, 1 for warning, 2 for info: lower is more serious."""
    return SEVERITIES.index(severity)


@dataclass(frozen=True)
class Code:
    code: str
    name: str  # a short kebab-case name, for SARIF rules and JSON
    area: str  # which group of checks it belongs to (JUnit test cases, human output)
    severity: str  # default severity; a decision file's policy may change it
    summary: str  # one sentence: what it means
    remedy: str  # one sentence: what to do about it


# fmt: off
_ALL = [
    Code("LC001", "invalid-file", "file", "error",
         "The decision file is not valid YAML or does not match the decision schema.",
         "Fix the key or value the message names; `llmchoose schema decision` gives the schema."),
    Code("LC002", "unknown-question", "file", "error",
         "An answer names a question that no decision factor asks.",
         "Correct the question id (see `llmchoose questions`) or remove the answer."),
    Code("LC003", "unknown-option", "file", "error",
         "The chosen option is not in today's knowledge base.",
         "Correct the option id, or record a new choice with `llmchoose decide`."),
    Code("LC004", "no-choice", "file", "error",
         "A workload has no recorded choice, so there is nothing to keep honest.",
         "Record one with `llmchoose decide FILE`."),
    Code("LC005", "no-snapshot", "file", "warning",
         "A choice has no snapshot of the facts it relied on, so drift cannot be measured.",
         "Run `llmchoose decide FILE` to record the snapshot."),
    Code("LC010", "constraint-broken", "constraints", "error",
         "The chosen option now breaks a hard requirement of the workload.",
         "Choose another option, or revisit the requirement if it no longer applies."),
    Code("LC011", "rank-dropped", "ranking", "error",
         "The chosen option ranks below the policy's max_rank.",
         "Review the ranking (`llmchoose recommend`) and re-decide, or relax max_rank."),
    Code("LC012", "margin-exceeded", "ranking", "warning",
         "The chosen option trails the best option by more than the policy's max_margin.",
         "Review the ranking and re-decide, or record why the choice still stands."),
    Code("LC013", "option-unavailable", "constraints", "error",
         "The chosen option can no longer be built for this workload's load.",
         "Choose another option with `llmchoose decide --choose`."),
    Code("LC020", "price-increase", "facts", "warning",
         "A price the choice relied on went up by more than the policy's threshold.",
         "Check the new cost against the budget; re-run `llmchoose decide` to accept it."),
    Code("LC021", "price-decrease", "facts", "info",
         "A price the choice relied on went down by more than the policy's threshold.",
         "Re-run `llmchoose decide` to record the new price."),
    Code("LC022", "terms-changed", "facts", "warning",
         "A term of service the choice relied on changed (retention, training, "
         "certifications, regions).",
         "Have the change reviewed against your requirements, then re-run `llmchoose decide`."),
    Code("LC023", "licence-changed", "facts", "warning",
         "The model's licence changed since the decision.",
         "Have the new licence reviewed, then re-run `llmchoose decide`."),
    Code("LC024", "fact-changed", "facts", "info",
         "Another fact the choice relied on changed (context window, status, retirement "
         "date, hardware).",
         "Review the change; re-run `llmchoose decide` to record it."),
    Code("LC025", "cost-changed", "facts", "info",
         "The estimated monthly cost moved by more than the price threshold (prices or "
         "volume changed).",
         "Check the budget; re-run `llmchoose decide` to record the new estimate."),
    Code("LC030", "retiring-soon", "lifecycle", "warning",
         "The chosen model retires within the policy's retirement horizon.",
         "Plan the migration: choose and test a successor."),
    Code("LC031", "retired", "lifecycle", "error",
         "The chosen model's retirement date has passed.",
         "Migrate to another option and record it with `llmchoose decide`."),
    Code("LC032", "deprecated", "lifecycle", "warning",
         "The chosen model or its runtime is deprecated, or no longer maintained.",
         "Plan a move to a maintained option."),
    Code("LC040", "stale-facts", "freshness", "warning",
         "Facts the choice relies on were last checked longer ago than the policy's "
         "max_fact_age_days.",
         "Re-check them at their sources and update the knowledge base or your overlay "
         "(`llmchoose kb show ID` lists each fact's source and date)."),
    Code("LC041", "measurement-stale", "freshness", "warning",
         "The policy's max_measurement_age_days wants the chosen option measured by "
         "`llmchoose probe` that recently, and the newest own measurement is older or "
         "missing.",
         "Re-run `llmchoose probe` against the endpoint (in CI too) to refresh it."),
]
# fmt: on

CODES: dict[str, Code] = {c.code: c for c in _ALL}

# Areas in the order reports show them.
AREAS = ("file", "constraints", "ranking", "facts", "lifecycle", "freshness")
