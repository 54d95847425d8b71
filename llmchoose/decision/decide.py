"""Record a choice in a decision file: the option per workload, why, by whom, when, and a
snapshot of the facts it relied on, so ``llmchoose check`` can tell when it stops holding.

:func:`decide` returns the new file text; the caller writes it (atomically). The file
is edited in place where it can be: each workload's ``choice:`` block is replaced or
inserted and a ``policy:`` block appended when missing, so comments and key order
elsewhere survive. If the file's layout does not allow that (flow-style YAML), the whole
file is written afresh, keeping the comment lines at its top.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from llmchoose.errors import InputError, did_you_mean
from llmchoose.loading.catalog import Catalog
from llmchoose.loading.criteria import CriteriaSet
from llmchoose.loading.yamlio import LineDict, LineList, header_comments, parse_yaml
from llmchoose.loading.yamlout import FlowMap, dump_yaml
from llmchoose.schemas.decision import Policy
from llmchoose.schemas.vocabulary import ON_DEVICE

__all__ = [
    "SCHEMA_COMMENT",
    "DecideResult",
    "Recorded",
    "decide",
    "parse_choices",
    "snapshot_of",
]

SCHEMA_COMMENT = "# yaml-language-server: $schema=llm-decision.schema.json"


@dataclass
class Recorded:
    """What was recorded for one workload."""

    workload: str
    option: str
    name: str
    rank: int
    of: int
    score: float
    status: str  # new, kept, changed
    monthly_cost: float | None = None


@dataclass
class DecideResult:
    text: str
    recorded: list[Recorded]
    warnings: list[str] = field(default_factory=list)
    rewritten: bool = False  # the whole file was written afresh (comments inside lost)


# ---------------------------------------------------------------------------- YAML out


def _plain(value: Any) -> Any:
    """LineDict/LineList (and our flow mappings) as plain dicts and lists."""
    if isinstance(value, FlowMap):
        return FlowMap({k: _plain(v) for k, v in value.items()})
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _unflow(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _unflow(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unflow(v) for v in value]
    return value


# ---------------------------------------------------------------------------- snapshot


def snapshot_of(item, result, catalog: Catalog, *, as_of: dt.date, method: str) -> dict:
    """The snapshot of a ranked option: its standing, cost and relied-on facts."""
    from llmchoose.decision.check.facts import relied_facts

    standing = result.standing(item)
    facts = relied_facts(item.option, catalog)
    sources = {}
    for fact in facts.values():
        if fact.source and fact.source in catalog.sources and fact.source not in sources:
            sources[fact.source] = str(catalog.sources[fact.source].url)
    return {
        "as_of": as_of,
        "method": method,
        "name": item.name,
        "category": item.category,
        "rank": standing.rank,
        "of": standing.of,
        "score": item.score,
        "margin": standing.margin,
        "compared_with": standing.compared_with,
        "monthly_cost": item.monthly_cost,
        "facts": {
            key: FlowMap({"value": f.value, "source": f.source, "as_of": f.as_of})
            for key, f in facts.items()
        },
        "sources": dict(sorted(sources.items())),
    }


def _joined(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _rationale(item, result) -> str:
    strengths = [s["factor"].replace("_", "-") for s in result.explanation.get("strengths", [])]
    standing = result.standing(item)
    text = (
        f"Ranked {standing.rank} of {standing.of} distinct models with a score of {item.score:.3f}"
    )
    if standing.compared_with is not None:
        if abs(standing.margin) < 0.0005:
            text += f", level with {standing.compared_with}"
        elif standing.margin > 0:
            text += f", {standing.margin:.3f} ahead of {standing.compared_with}"
        else:
            text += f", {-standing.margin:.3f} behind {standing.compared_with}"
    text += "."
    runner = result.explanation.get("runner_up") or {}
    ahead = [row["factor"].replace("_", "-") for row in runner.get("ahead_on", [])]
    if item is result.headline and ahead:
        text += f" Ahead of {runner['id']} on {_joined(ahead[:3])}."
    elif item is result.headline and strengths:
        text += f" Strongest on {_joined(strengths[:3])}."
    if item.category == ON_DEVICE:
        text += " It runs on devices users already have, so there is no monthly bill."
    elif item.monthly_cost is not None:
        text += f" About ${item.monthly_cost:,.0f} a month at the stated volume."
    return text


# ---------------------------------------------------------------------------- choosing


def parse_choices(values: list[str] | None, workload_ids: list[str]) -> dict[str, str]:
    """``--choose`` values: ``WORKLOAD=OPTION``, or a bare ``OPTION`` for a single workload."""
    chosen: dict[str, str] = {}
    for value in values or []:
        if "=" in value:
            workload, option = (part.strip() for part in value.split("=", 1))
        elif len(workload_ids) == 1:
            workload, option = workload_ids[0], value.strip()
        else:
            raise InputError(
                f"--choose '{value}': name the workload, as WORKLOAD=OPTION",
                hint=f"workloads: {', '.join(workload_ids)}",
            )
        if workload not in workload_ids:
            raise InputError(
                f"--choose: unknown workload '{workload}'",
                hint=did_you_mean(workload, workload_ids)
                or f"workloads: {', '.join(workload_ids)}",
            )
        if workload in chosen:
            raise InputError(f"--choose: workload '{workload}' is chosen twice")
        chosen[workload] = option
    return chosen


def _pick(result, option_id: str, *, path: Path, line: int | None, recorded: bool) -> Any:
    found = next((r for r in result.ranked if r.id == option_id), None)
    if found is not None:
        return found
    ruled = next((e for e in result.eliminated if e["id"] == option_id), None)
    if ruled is not None:
        raise InputError(
            f"workload '{result.id}': {option_id} is ruled out: {ruled['reasons'][0]}",
            file=path,
            line=line,
            hint="choose another with --choose, or the top-ranked one with --reset"
            if recorded
            else "choose an option that `llmchoose recommend` ranks",
        )
    known = [r.id for r in result.ranked] + [e["id"] for e in result.eliminated]
    raise InputError(
        f"workload '{result.id}': unknown option '{option_id}'",
        file=path,
        line=line,
        hint=did_you_mean(option_id, known) or "see `llmchoose recommend` for the options",
    )


def _decided_by(given: str | None, existing: str | None) -> str:
    if given:
        return given
    if existing:
        return existing
    from_env = os.environ.get("LLMCHOOSE_DECIDED_BY")
    if from_env:
        return from_env
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment (some containers)
        return "unknown"


# ---------------------------------------------------------------------------- editing


def _indent_of(lines: list[str], line: int) -> int | None:
    """Column of the first key of a block mapping that starts on ``line`` (1-based)."""
    text = lines[line - 1]
    found = re.match(r"^(\s*)-(\s+)(?=[^\s#])", text)
    if found:
        return len(found.group(1)) + 1 + len(found.group(2))
    found = re.match(r"^(\s*)(?=[A-Za-z_\"'])", text)
    return len(found.group(1)) if found else None


def _last_content(lines: list[str], start: int, end: int) -> int:
    """The last line in start..end (1-based) that is not blank or a comment."""
    for number in range(end, start - 1, -1):
        text = lines[number - 1].strip()
        if text and not text.startswith("#"):
            return number
    return start


def _block(key: str, value: Any, indent: int) -> list[str]:
    dumped = dump_yaml({key: value}, width=max(60, 100 - indent)).rstrip("\n").split("\n")
    return [(" " * indent + line) if line else line for line in dumped]


def _splice(text: str, raw: LineDict, choices: dict[int, dict], policy: dict | None) -> str | None:
    """Edit the text in place; None when the layout does not allow it."""
    lines = text.split("\n")
    total = len(lines)
    workloads = raw.get("workloads")
    if not isinstance(workloads, LineList):
        return None
    top_lines = sorted(raw.lines.values())
    after_workloads = [n for n in top_lines if n > raw.lines["workloads"]]
    list_end = (after_workloads[0] - 1) if after_workloads else total
    edits: list[tuple[int, int, list[str]]] = []  # (first, last, new lines), 1-based
    for index, choice in choices.items():
        item = workloads[index]
        if not isinstance(item, LineDict) or not item.lines:
            return None
        start = workloads.lines[index]
        end = workloads.lines[index + 1] - 1 if index + 1 < len(workloads) else list_end
        first_key_line = min(item.lines.values())
        indent = _indent_of(lines, first_key_line)
        if indent is None or first_key_line != start:
            return None
        block = _block("choice", choice, indent)
        if "choice" in item:
            begin = item.lines["choice"]
            later = [n for n in item.lines.values() if n > begin]
            stop = (min(later) - 1) if later else end
            stop = _last_content(lines, begin, stop)
            edits.append((begin, stop, block))
        else:
            last = _last_content(lines, start, end)
            edits.append((last + 1, last, block))
    for begin, stop, block in sorted(edits, key=lambda e: e[0], reverse=True):
        lines[begin - 1 : stop] = block
    if policy is not None:
        while lines and lines[-1] == "":
            lines.pop()
        lines += ["", *_block("policy", policy, 0)]
    result = "\n".join(lines)
    return result if result.endswith("\n") else result + "\n"


def _render(
    text: str, raw: LineDict, choices: dict[int, dict], policy: dict | None
) -> tuple[str, bool]:
    """The new file text, and whether it had to be written afresh."""
    crlf = "\r\n" in text
    text = text.replace("\r\n", "\n")
    new_text, rewritten = _render_lf(text, raw, choices, policy)
    return (new_text.replace("\n", "\r\n") if crlf else new_text), rewritten


def _render_lf(
    text: str, raw: LineDict, choices: dict[int, dict], policy: dict | None
) -> tuple[str, bool]:
    intended = _plain(raw)
    for index, choice in choices.items():
        workload = dict(intended["workloads"][index])
        workload["choice"] = choice
        intended["workloads"][index] = workload
    if policy is not None:
        intended["policy"] = policy
    spliced = _splice(text, raw, choices, policy)
    if spliced is not None:
        try:
            if _plain(parse_yaml(spliced)) == _unflow(intended):
                return spliced, False
        except InputError:
            pass
    header = header_comments(text)
    if not any("yaml-language-server" in line for line in header):
        header.insert(0, SCHEMA_COMMENT)
    body = dump_yaml(intended)
    return "\n".join(header) + ("\n" if header else "") + body, True


# ---------------------------------------------------------------------------- decide


def _requested(
    choose: dict[str, str] | list[str] | None, single: bool, decision, rec, path: Path
) -> dict[str, str]:
    """The option asked for each workload: by ``--choose``, or the best single option."""
    workload_ids = [w.id for w in decision.workloads]
    if isinstance(choose, list):
        chosen = parse_choices(choose, workload_ids)
    else:
        chosen = dict(choose or {})
        for workload_id in chosen:
            if workload_id not in workload_ids:
                raise InputError(
                    f"unknown workload '{workload_id}'",
                    file=path,
                    hint=did_you_mean(workload_id, workload_ids),
                )
    if single:
        hybrid = rec.hybrid
        if hybrid is None:
            raise InputError("--single needs at least two workloads", file=path)
        if hybrid.single_option is None:
            raise InputError("no single option meets every workload's hard requirements", file=path)
        for workload in decision.workloads:
            chosen.setdefault(workload.id, hybrid.single_option["option"])
    return chosen


def _policy_warnings(workload_id: str, option_id: str, item, result, policy: Policy) -> list[str]:
    """What `llmchoose check` will report about this choice under the decision's policy."""
    warnings = []
    standing = result.standing(item)
    if standing.rank > policy.max_rank:
        warnings.append(
            f"{workload_id}: {option_id} ranks {standing.rank}, below the policy's max_rank "
            f"of {policy.max_rank}; `llmchoose check` will report LC011"
        )
    gap = -standing.margin
    if gap > policy.max_margin + 1e-9:
        warnings.append(
            f"{workload_id}: {option_id} trails {standing.compared_with} by {gap:.3f}, more "
            f"than the policy's max_margin of {policy.max_margin:g}; `llmchoose check` "
            "will report LC012"
        )
    days = item.option.facts.get("days_to_retirement") if item.option else None
    if days is not None and days <= policy.retirement_horizon_days:
        warnings.append(
            f"{workload_id}: {item.name} retires in {days} days; `llmchoose check` will report it"
        )
    return warnings


def _default_policy(raw: Any) -> dict[str, Any] | None:
    """The default policy to write into a file that has none (so people see the knobs)."""
    if isinstance(raw, dict) and "policy" in raw:
        return None
    defaults = Policy().model_dump(mode="json", exclude={"severity"}, exclude_none=True)
    return {
        k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in defaults.items()
    }


def _recorded(workload_id: str, option_id: str, item, result, status: str) -> Recorded:
    return Recorded(
        workload=workload_id,
        option=option_id,
        name=item.name,
        rank=result.standing(item).rank,
        of=len(result.alternatives),
        score=item.score,
        status=status,
        monthly_cost=item.monthly_cost,
    )


def decide(
    path: str | Path,
    *,
    catalog: Catalog,
    criteria: CriteriaSet,
    as_of: dt.date,
    choose: dict[str, str] | list[str] | None = None,
    reset: bool = False,
    single: bool = False,
    decided_by: str | None = None,
    rationale: str | None = None,
    samples: int = 50,
) -> DecideResult:
    """Record a choice for every workload of a decision file.

    ``choose`` maps workload ids to option ids, or lists ``--choose`` values
    (``WORKLOAD=OPTION``, or ``OPTION`` for a single workload).

    Each workload gets, in order of precedence: the option ``choose`` names for it; the
    best single option for all workloads (``single``); the option already recorded
    (unless ``reset``); the top-ranked option.
    """
    from llmchoose.engine.recommend import recommend
    from llmchoose.loading.decision import load_decision
    from llmchoose.loading.yamlio import line_of, load_yaml

    path = Path(path)
    decision = load_decision(path, criteria)
    raw = load_yaml(path)
    text = path.read_bytes().decode("utf-8")  # as is: keep its line endings
    rec = recommend(decision, catalog, criteria, as_of=as_of, samples=samples)
    chosen = _requested(choose, single, decision, rec, path)
    recorded: list[Recorded] = []
    warnings: list[str] = []
    choices: dict[int, dict] = {}
    policy: Policy = decision.policy
    for index, (workload, result) in enumerate(zip(decision.workloads, rec.workloads, strict=True)):
        existing = workload.choice
        line = line_of(raw, ("workloads", index, "choice", "option"))
        from_file = False
        if workload.id in chosen:
            option_id, line = chosen[workload.id], None
        elif existing is not None and not reset:
            option_id, from_file = existing.option, True
        elif result.headline is not None:
            option_id = result.headline.id
        else:
            raise InputError(
                f"workload '{workload.id}': no option meets every hard requirement",
                file=path,
                line=line_of(raw, ("workloads", index)),
                hint="see `llmchoose recommend` for why each option was ruled out",
            )
        item = _pick(result, option_id, path=path, line=line, recorded=from_file)
        status = (
            "new" if existing is None else "kept" if existing.option == option_id else "changed"
        )
        keep_text = existing is not None and existing.option == option_id and not reset
        choice = {
            "option": option_id,
            "rationale": rationale
            or (existing.rationale if existing is not None and keep_text else None)
            or _rationale(item, result),
            "decided_by": _decided_by(decided_by, existing.decided_by if existing else None),
            "decided_on": as_of,
            "snapshot": snapshot_of(item, result, catalog, as_of=as_of, method=rec.method),
        }
        choices[index] = choice
        recorded.append(_recorded(workload.id, option_id, item, result, status))
        warnings += _policy_warnings(workload.id, option_id, item, result, policy)
    new_text, rewritten = _render(text, raw, choices, _default_policy(raw))
    return DecideResult(text=new_text, recorded=recorded, warnings=warnings, rewritten=rewritten)
