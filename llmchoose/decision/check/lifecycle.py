"""Lifecycle and freshness checks of a chosen option: retirement, deprecation, the
runtime's maintenance state, and how long ago its facts were checked at their source."""

from __future__ import annotations

import datetime as dt

from llmchoose.decision.check.facts import Fact
from llmchoose.schemas.decision import Choice, Policy

__all__ = ["check_freshness", "check_lifecycle"]


def check_lifecycle(out, wl, choice: Choice, option, as_of: dt.date, policy: Policy):
    facts = option.facts
    retires = facts.get("retires")
    if choice.snapshot is not None and "retires" in choice.snapshot.facts:
        line = out.line("workloads", wl[0], "choice", "snapshot", "facts", "retires")
    else:
        line = out.line("workloads", wl[0], "choice", "option")
    name = facts.get("name", choice.option)
    if retires is not None:
        days = (retires - as_of).days
        if days <= 0:
            out.add(
                "LC031",
                f"{name} retired on {retires.isoformat()}"
                + (f", {-days} days ago" if days < 0 else ", today"),
                line=line,
                workload=wl,
                option=choice.option,
                retires=retires,
                days=days,
            )
        elif days <= policy.retirement_horizon_days:
            out.add(
                "LC030",
                f"{name} retires on {retires.isoformat()}, in {days} days (the policy's "
                f"horizon is {policy.retirement_horizon_days} days)",
                line=line,
                workload=wl,
                option=choice.option,
                retires=retires,
                days=days,
            )
    option_line = out.line("workloads", wl[0], "choice", "option")
    deprecated = facts.get("deprecated")
    if deprecated is not None and deprecated <= as_of:
        out.add(
            "LC032",
            f"{facts.get('model_name', name)} was deprecated on {deprecated.isoformat()}",
            line=option_line,
            workload=wl,
            option=choice.option,
            deprecated=deprecated,
        )
    elif facts.get("status") == "deprecated":
        out.add(
            "LC032",
            f"{name} is marked deprecated by its provider",
            line=option_line,
            workload=wl,
            option=choice.option,
        )
    maintenance = facts.get("runtime_maintenance")
    if maintenance in ("maintenance", "archived"):
        out.add(
            "LC032",
            f"the {facts.get('runtime')} runtime is in {maintenance} mode",
            line=option_line,
            workload=wl,
            option=choice.option,
            runtime=facts.get("runtime"),
            maintenance=maintenance,
        )


def check_freshness(out, wl, choice: Choice, now: dict[str, Fact], as_of, policy: Policy):
    """One finding per source and date whose facts are older than the policy allows."""
    groups: dict[tuple[str, dt.date], list[str]] = {}
    for fact in now.values():
        if fact.source is None or fact.as_of is None:
            continue
        if (as_of - fact.as_of).days > policy.max_fact_age_days:
            fields = groups.setdefault((fact.source, fact.as_of), [])
            if fact.where not in fields:
                fields.append(fact.where)
    for (source, checked), fields in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        age = (as_of - checked).days
        out.add(
            "LC040",
            f"{', '.join(fields)} last checked at source '{source}' on {checked.isoformat()}, "
            f"{age} days ago (the policy allows {policy.max_fact_age_days})",
            line=out.line("workloads", wl[0], "choice", "option"),
            workload=wl,
            option=choice.option,
            source=source,
            as_of=checked,
            age_days=age,
            fields=fields,
        )
