"""Re-evaluate recorded decisions against today's knowledge base and report findings.

For each decision file: read it (every schema problem is a finding), run the engine as
of the given date, then for each workload's chosen option check, in order, whether it
still exists and meets every hard requirement, how it ranks, which facts it relied on
have changed since the snapshot, whether its model retires, and how old its facts are.
Pure: no printing, no prompts, the same report for the same inputs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from llmchoose.decision.check.advice import ADVISED_CODES, best_option_now, next_step
from llmchoose.decision.check.facts import FACT_GROUPS, FACT_LABELS, Fact, relied_facts
from llmchoose.decision.check.findings import CheckReport, FileResult, Finding, WorkloadStatus
from llmchoose.decision.check.lifecycle import check_freshness, check_lifecycle
from llmchoose.decision.check.measured import check_measurement_age
from llmchoose.decision.check.policy import severity_of
from llmchoose.errors import InputError, did_you_mean
from llmchoose.loading.catalog import Catalog
from llmchoose.loading.criteria import CriteriaSet
from llmchoose.loading.decision import DecisionDocument, read_decision
from llmchoose.loading.formatting import money
from llmchoose.loading.yamlio import line_of
from llmchoose.schemas.decision import Choice, Decision, Policy, Snapshot
from llmchoose.schemas.vocabulary import AREAS, CODES

__all__ = ["CHECK_SAMPLES", "check_document", "check_files", "fact_text"]

# The check needs ranks and scores, not win shares: a few perturbed weight sets suffice.
CHECK_SAMPLES = 10

_GROUP_CODES = {"terms": "LC022", "licence": "LC023"}


def fact_text(value: Any) -> str:
    """A fact's value in a message: dates as ISO, lists joined, None as 'not stated'."""
    if value is None:
        return "not stated"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


class _Collector:
    """Findings of one file, with severities from its policy and lines from its YAML."""

    def __init__(self, document: DecisionDocument, display: str, policy: Policy | None):
        self.document = document
        self.display = display
        self.policy = policy
        self.findings: list[tuple[tuple, Finding]] = []

    def line(self, *loc: Any) -> int | None:
        raw = self.document.raw
        return line_of(raw, loc) if raw is not None else None

    def add(
        self,
        code: str,
        message: str,
        *,
        line: int | None = None,
        workload: tuple[int, str] | None = None,
        option: str | None = None,
        severity: str | None = None,
        **details: Any,
    ) -> None:
        level = severity or severity_of(code, self.policy)
        if level == "off":
            return
        order = (
            -1 if workload is None else workload[0],
            AREAS.index(CODES[code].area),
            line or 0,
            code,
            message,
        )
        finding = Finding(
            code=code,
            severity=level,
            message=message,
            file=self.display,
            line=line,
            workload=None if workload is None else workload[1],
            option=option,
            details={k: _plain(v) for k, v in details.items()},
        )
        self.findings.append((order, finding))

    def sorted(self) -> list[Finding]:
        return [f for _, f in sorted(self.findings, key=lambda pair: pair[0])]


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, list) and isinstance(new, list):
        return [str(v) for v in old] == [str(v) for v in new]
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    if isinstance(old, int | float) and isinstance(new, int | float):
        return abs(float(old) - float(new)) <= 1e-9 * max(1.0, abs(float(old)))
    return old == new


def _change_percent(old: float, new: float) -> float:
    if old == 0:
        return float("inf") if new > 0 else 0.0
    return (new - old) / old * 100


def _find_option(catalog: Catalog, usage, as_of: dt.date, option_id: str):
    """Today's facts of an option the ranking left out (ruled out by a requirement)."""
    from llmchoose.engine.options import enumerate_screened

    options = enumerate_screened(catalog, usage, as_of, only=option_id).options
    return next(iter(options), None)


def _check_rank(out: _Collector, wl: tuple[int, str], result, choice: Choice, status, policy):
    """The choice's standing among the distinct models against the policy."""
    item = result.find(choice.option)
    standing = result.standing(item)
    best = result.headline if result.headline is not None else result.ranked[0]
    status.rank, status.of, status.score = standing.rank, standing.of, item.score
    status.best, status.best_score = best.id, best.score
    line = out.line("workloads", wl[0], "choice", "option")
    if standing.rank > policy.max_rank:
        out.add(
            "LC011",
            f"{choice.option} now ranks {standing.rank} of {standing.of} distinct models; the "
            f"policy allows rank {policy.max_rank} at most (first: {best.id}, score "
            f"{best.score:.3f})",
            line=line,
            workload=wl,
            option=choice.option,
            rank=standing.rank,
            of=standing.of,
            max_rank=policy.max_rank,
            best=best.id,
        )
    gap = round(max(0.0, -standing.margin), 4)
    if gap > policy.max_margin + 1e-9:
        out.add(
            "LC012",
            f"{choice.option} scores {item.score:.3f}, {gap:.3f} behind "
            f"{standing.compared_with}; the policy allows {policy.max_margin:.3f}",
            line=line,
            workload=wl,
            option=choice.option,
            score=item.score,
            best=standing.compared_with,
            best_score=round(item.score + gap, 4),
            gap=gap,
            max_margin=policy.max_margin,
        )
    return item.option, item.monthly_cost


def _check_facts(
    out: _Collector,
    wl: tuple[int, str],
    choice: Choice,
    snapshot: Snapshot,
    now: dict[str, Fact],
    policy: Policy,
) -> None:
    """Each fact in the snapshot against today's value, and today's new facts."""
    keys = list(now) + [k for k in snapshot.facts if k not in now]

    def value(key: str, today: bool) -> Any:
        if today:
            return now[key].value if key in now else None
        fact = snapshot.facts.get(key)
        return fact.value if fact else None

    # On other hardware the hourly price is another machine's: the hardware change and
    # the monthly cost tell that story, not a price comparison.
    other_hardware = "hardware" in snapshot.facts and not _same(
        value("hardware", False), value("hardware", True)
    )
    for key in keys:
        old, new = value(key, False), value(key, True)
        if _same(old, new) or (other_hardware and key == "hardware_price_per_hour"):
            continue
        group = now[key].group if key in now else FACT_GROUPS.get(key, "other")
        label = FACT_LABELS.get(key, key.replace("_", " "))
        line = out.line("workloads", wl[0], "choice", "snapshot", "facts", key)
        common = {
            "line": line,
            "workload": wl,
            "option": choice.option,
            "fact": key,
            "old": old,
            "new": new,
        }
        since = f"since the decision ({snapshot.as_of.isoformat()})"
        if group == "price" and isinstance(old, int | float) and isinstance(new, int | float):
            change = _change_percent(float(old), float(new))
            if abs(change) <= policy.price_change_percent:
                continue
            code = "LC020" if change > 0 else "LC021"
            word = "rose" if change > 0 else "fell"
            pct = "from nothing" if change == float("inf") else f"{change:+.0f}%"
            out.add(
                code,
                f"{label} {word} from {fact_text(old)} to {fact_text(new)} ({pct}) {since}; "
                f"the policy reports moves above {policy.price_change_percent:g}%",
                change_percent=None if change == float("inf") else round(change, 1),
                **common,
            )
            continue
        code = _GROUP_CODES.get(group, "LC024")
        out.add(
            code,
            f"{label} changed from {fact_text(old)} to {fact_text(new)} {since}",
            **common,
        )


def _check_cost(out, wl, choice: Choice, snapshot: Snapshot, monthly: float | None, policy):
    old = snapshot.monthly_cost
    if old is None or monthly is None:
        return
    change = _change_percent(old, monthly)
    if abs(change) <= policy.price_change_percent:
        return
    pct = "from nothing" if change == float("inf") else f"{change:+.0f}%"
    out.add(
        "LC025",
        f"estimated monthly cost moved from {money(old)} to {money(monthly)} ({pct}) since "
        f"the decision ({snapshot.as_of.isoformat()})",
        line=out.line("workloads", wl[0], "choice", "snapshot", "monthly_cost"),
        workload=wl,
        option=choice.option,
        old=old,
        new=monthly,
        change_percent=None if change == float("inf") else round(change, 1),
    )


def _check_workload(
    out: _Collector,
    index: int,
    decision: Decision,
    result,
    catalog: Catalog,
    as_of: dt.date,
) -> WorkloadStatus:
    """The workload's findings, and the next step when its choice no longer stands."""
    status = _check_choice(out, index, decision, result, catalog, as_of)
    if status.option is None or result is None:
        return status
    codes = {f.code for _, f in out.findings if f.workload == status.id}
    reasons = [why for code, why in ADVISED_CODES.items() if code in codes]
    if reasons:
        status.next_step = next_step(
            reasons[0],
            file=out.display,
            workload=status.id,
            workloads=len(decision.workloads),
            best=best_option_now(result, status.option),
        )
    return status


def _report_ruled_out(
    out: _Collector, wl: tuple[int, str], option_id: str, entry: dict, line: int | None
) -> None:
    """LC010 once per hard requirement the chosen option now fails."""
    for reason, constraint in zip(entry["reasons"], entry["constraints"], strict=True):
        out.add(
            "LC010",
            f"{option_id} is ruled out: {reason} ({constraint})",
            line=line,
            workload=wl,
            option=option_id,
            constraint=constraint,
        )


def _report_unknown(
    out: _Collector, wl: tuple[int, str], option_id: str, known: set[str], line: int | None
) -> None:
    hint = did_you_mean(option_id, known)
    out.add(
        "LC003",
        f"option '{option_id}' is not in the knowledge base"
        + (f" ({hint})" if hint else "; see `llmchoose recommend` for the options"),
        line=line,
        workload=wl,
        option=option_id,
        suggestion=hint,
    )


def _check_choice(
    out: _Collector,
    index: int,
    decision: Decision,
    result,
    catalog: Catalog,
    as_of: dt.date,
) -> WorkloadStatus:
    workload = decision.workloads[index]
    wl = (index, workload.id)
    policy = decision.policy
    choice = workload.choice
    status = WorkloadStatus(
        id=workload.id,
        name=workload.name,
        line=out.line("workloads", index),
        option=choice.option if choice else None,
    )
    if choice is None:
        out.add(
            "LC004",
            f"workload '{workload.id}' has no recorded choice",
            line=status.line,
            workload=wl,
        )
        return status
    option_line = out.line("workloads", index, "choice", "option")
    ranked_ids = {r.id for r in result.ranked}
    eliminated = {e["id"]: e for e in result.eliminated}
    unavailable = {u.id: u for u in result.unavailable}
    option = None
    monthly = None
    if choice.option in ranked_ids:
        status.state = "ranked"
        option, monthly = _check_rank(out, wl, result, choice, status, policy)
    elif choice.option in eliminated:
        status.state = "ruled-out"
        _report_ruled_out(out, wl, choice.option, eliminated[choice.option], option_line)
        option = _find_option(catalog, result.usage, as_of, choice.option)
        monthly = option.cost.monthly if option is not None else None
    elif choice.option in unavailable:
        status.state = "unavailable"
        out.add(
            "LC013",
            f"{choice.option} cannot serve this workload: {unavailable[choice.option].reason}",
            line=option_line,
            workload=wl,
            option=choice.option,
        )
        return status
    else:
        status.state = "unknown-option"
        known = ranked_ids | set(eliminated) | set(unavailable)
        _report_unknown(out, wl, choice.option, known, option_line)
        return status
    if option is None:  # ruled out and could not be rebuilt: nothing more to compare
        return status
    now = relied_facts(option, catalog)
    if choice.snapshot is None:
        out.add(
            "LC005",
            f"the choice of {choice.option} has no snapshot, so changes since the decision "
            "cannot be measured",
            line=out.line("workloads", index, "choice"),
            workload=wl,
            option=choice.option,
        )
    else:
        _check_facts(out, wl, choice, choice.snapshot, now, policy)
        _check_cost(out, wl, choice, choice.snapshot, monthly, policy)
    check_lifecycle(out, wl, choice, option, as_of, policy)
    check_freshness(out, wl, choice, now, as_of, policy)
    check_measurement_age(out, wl, choice.option, catalog, as_of, policy)
    return status


def check_document(
    document: DecisionDocument,
    *,
    catalog: Catalog,
    criteria: CriteriaSet,
    as_of: dt.date,
    display: str | None = None,
    samples: int = CHECK_SAMPLES,
) -> FileResult:
    """Every finding for one decision file that has been read."""
    display = display or str(document.path)
    decision = document.decision
    out = _Collector(document, display, decision.policy if decision else None)
    result = FileResult(file=display, project=decision.project.name if decision else None)
    for problem in document.problems:
        code = "LC002" if problem.kind == "question" else "LC001"
        error = problem.error
        message = error.message + (f" ({error.hint})" if error.hint else "")
        out.add(code, message, line=error.line)
    if decision is None or document.problems:
        result.findings = out.sorted()
        return result
    statuses: list[WorkloadStatus] = []
    if any(w.choice is not None for w in decision.workloads):
        from llmchoose.engine.recommend import recommend

        try:
            rec = recommend(decision, catalog, criteria, as_of=as_of, samples=samples)
        except InputError as exc:
            out.add("LC001", exc.message + (f" ({exc.hint})" if exc.hint else ""), line=exc.line)
            result.findings = out.sorted()
            return result
        for index in range(len(decision.workloads)):
            statuses.append(
                _check_workload(out, index, decision, rec.workloads[index], catalog, as_of)
            )
    else:
        for index in range(len(decision.workloads)):
            statuses.append(_check_workload(out, index, decision, None, catalog, as_of))
    result.workloads = statuses
    result.findings = out.sorted()
    return result


def check_files(
    paths: Sequence[str | Path],
    *,
    catalog: Catalog,
    criteria: CriteriaSet,
    as_of: dt.date,
    fail_on: str = "error",
    samples: int = CHECK_SAMPLES,
) -> CheckReport:
    """Check each decision file; a file that cannot be read at all raises InputError."""
    from llmchoose.loading.formatting import currency_from_answers, use_currency

    documents = [(str(p), read_decision(p, criteria)) for p in paths]
    files = []
    for name, doc in documents:
        # Amounts in messages are shown in the currency the file's answers ask for.
        currency = currency_from_answers(doc.decision.answers if doc.decision else None)
        with use_currency(currency):
            result = check_document(
                doc, catalog=catalog, criteria=criteria, as_of=as_of, display=name, samples=samples
            )
        result.currency = currency.as_dict()
        files.append(result)
    return CheckReport(as_of=as_of, fail_on=fail_on, files=files)
