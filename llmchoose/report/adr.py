"""`llmchoose adr`: the decision as an Architecture Decision Record in MADR format.

:func:`adr_view` builds plain data from the decision file and a fresh ranking (pure);
:func:`make_adr` renders it with ``reports/templates/adr.md.j2`` through the report
renderer's sandboxed Markdown environment, so a user's own template can replace it and
text from the knowledge base can never change the document's structure.

Sections follow MADR 4 (https://adr.github.io/madr/): context and problem statement,
decision drivers, considered options, decision outcome with consequences and
confirmation, pros and cons of the options, more information.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from llmchoose import __version__
from llmchoose.loading.catalog import Catalog
from llmchoose.loading.criteria import CriteriaSet
from llmchoose.loading.formatting import money
from llmchoose.schemas.vocabulary import CATEGORY_DESCRIPTIONS, STRONG, WEAK

__all__ = ["ADR_TEMPLATE", "adr_view", "make_adr"]

ADR_TEMPLATE = "adr.md.j2"


def _answer_text(question, value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    labels = {c.value: c.label for c in question.choices}
    if isinstance(value, list):
        return ", ".join(labels.get(v, str(v)) for v in value) or "none"
    if value in labels:
        return labels[value]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int | float):
        text = f"{value:,}"
        return f"{text} {question.unit}" if question.unit else text
    return str(value)


def _answers(criteria: CriteriaSet, given: dict[str, Any]) -> list[dict[str, str]]:
    questions = criteria.questions
    order = {q: i for i, q in enumerate(questions)}
    return [
        {"question": questions[qid].text, "answer": _answer_text(questions[qid], value)}
        for qid, value in sorted(given.items(), key=lambda kv: order.get(kv[0], 1_000))
        if qid in questions
    ]


def _gpu_cloud(item) -> str | None:
    """The GPU cloud a self-hosted option rents from, whose compliance it carries."""
    option = getattr(item, "option", None)
    facts = option.facts if option is not None else {}
    if not facts.get("gpus_rented"):
        return None
    return facts.get("gpu_vendor_name") or "a GPU cloud the knowledge base does not name"


def _reasons(item, result, factors: dict[str, Any]) -> dict[str, list[str]]:
    """Good, neutral and bad points of one option, from its factor scores."""
    weights = result.weights.values
    good, bad, neutral = [], [], []
    for factor in sorted(item.factor_scores, key=lambda f: (-item.contributions[f], f)):
        score = item.factor_scores[factor]
        if weights.get(factor, 0) <= 0 or factor not in factors or factor in item.missing:
            continue
        criterion = factors[factor]
        compare = criterion.compare.get(item.category)
        text = f"{criterion.name} ({score:.2f})" + (f": {compare}" if compare else "")
        if factor == "compliance" and (cloud := _gpu_cloud(item)):
            text += f" Its GPUs are rented from {cloud}, whose terms are the ones scored."
        if score >= STRONG:
            good.append(text)
        elif score <= WEAK:
            bad.append(text)
    if item.monthly_cost is not None:
        cost = f"it costs about {money(item.monthly_cost)} a month at today's volume"
        if item.monthly_cost_10x is not None:
            cost += f" ({money(item.monthly_cost_10x)} at 10×)"
        neutral.append(cost)
    if item.missing:
        names = [factors[f].name if f in factors else f for f in item.missing]
        neutral.append(
            "the knowledge base lacks the facts to score "
            + ", ".join(names)
            + " (scored in the middle of the range for unknown facts)"
        )
    return {"good": good, "neutral": neutral, "bad": bad}


def _drivers(result, factors: dict[str, Any]) -> list[str]:
    drivers = []
    weights = result.weights.values
    for factor in sorted(weights, key=lambda f: (-weights[f], f)):
        if weights[factor] <= 0 or factor not in factors:
            continue
        drivers.append(f"{factors[factor].name}: {weights[factor] * 100:.0f}% of the weight")
    counts: dict[str, list[dict[str, Any]]] = {}
    for entry in result.eliminated:
        for constraint, reason in zip(entry["constraints"], entry["reasons"], strict=True):
            counts.setdefault(constraint, []).append({"name": entry["name"], "reason": reason})
    for constraint, items in sorted(counts.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        factor = constraint.split(".", 1)[0]
        name = factors[factor].name if factor in factors else factor
        first = items[0]
        drivers.append(
            f"Hard requirement ({name}, {constraint}): rules out {len(items)} "
            f"option{'s' if len(items) != 1 else ''}, for example {first['name']}: "
            f"{first['reason']}"
        )
    return drivers


def _option(item, result, factors, chosen_id: str | None) -> dict[str, Any]:
    return {
        "id": item.id,
        "name": item.name,
        "category": CATEGORY_DESCRIPTIONS.get(item.category, item.category),
        "rank": result.standing(item).rank,
        "score": f"{item.score:.3f}",
        "win_share": f"{item.win_share * 100:.0f}%",
        "monthly_cost": money(item.monthly_cost),
        "chosen": item.id == chosen_id,
        **_reasons(item, result, factors),
    }


def _facts(choice, item, catalog: Catalog) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The facts the choice relies on (from its snapshot, else today's) and their sources."""
    from llmchoose.decision.check.facts import FACT_LABELS, relied_facts
    from llmchoose.decision.check.run import fact_text

    rows: list[dict[str, str]] = []
    urls: dict[str, str] = {}
    if choice is not None and choice.snapshot is not None and choice.snapshot.facts:
        for key, fact in choice.snapshot.facts.items():
            rows.append(
                {
                    "fact": FACT_LABELS.get(key, key),
                    "value": fact_text(fact.value),
                    "source": fact.source or "—",
                    "as_of": fact.as_of.isoformat() if fact.as_of else "—",
                }
            )
        urls.update(choice.snapshot.sources)
    elif item is not None and item.option is not None:
        for key, fact in relied_facts(item.option, catalog).items():
            rows.append(
                {
                    "fact": FACT_LABELS.get(key, key),
                    "value": fact_text(fact.value),
                    "source": fact.source or "—",
                    "as_of": fact.as_of.isoformat() if fact.as_of else "—",
                }
            )
    for row in rows:
        source = row["source"]
        if source not in urls and source in catalog.sources:
            urls[source] = str(catalog.sources[source].url)
    sources = []
    for source in sorted({r["source"] for r in rows if r["source"] != "—"}):
        record = catalog.sources.get(source)
        sources.append(
            {
                "id": source,
                "title": record.title if record is not None else source,
                "url": urls.get(source, ""),
                "link": _link(urls.get(source, "")),
            }
        )
    return rows, sources


def _front_matter(status: str, date: dt.date, makers: list[str]):
    """YAML front matter as Markup: values JSON-quoted (valid YAML), so nothing escapes."""
    from markupsafe import Markup

    lines = ["---", f"status: {status}", f"date: {date.isoformat()}"]
    if makers:
        lines.append("decision-makers: " + json.dumps(", ".join(makers), ensure_ascii=False))
    lines.append("---")
    return Markup("\n".join(lines))


def _link(url: str):
    """An http(s) URL as a Markdown autolink (Markup), or None for anything else."""
    from markupsafe import Markup

    if not url.startswith(("https://", "http://")):
        return None
    safe = url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20").replace("\n", "")
    return Markup(f"<{safe}>")


def _code(text: str):
    """A shell command for a fenced block; backticks and breaks cannot end the fence."""
    from markupsafe import Markup

    return Markup(" ".join(text.replace("`", "'").split()))


def _considered(result, chosen, top: int) -> list:
    """The distinct models at their best option, the best of each other kind, and the
    chosen option — each model once."""
    considered = [a.option for a in result.alternatives[:top]]
    for best in result.category_best.values():
        if best not in considered:
            considered.append(best)
    if chosen is not None and chosen not in considered:
        considered.append(chosen)
    return considered


def _chosen_caveats(item, result, chosen_view, chosen_id) -> tuple[list[str], list[str]]:
    """The neutral and bad points of the chosen option, with its retirement and any
    break-even with self-hosting added."""
    bad = list(chosen_view["bad"]) if chosen_view else []
    neutral = list(chosen_view["neutral"]) if chosen_view else []
    if item is not None and item.option is not None:
        retirement = item.option.facts.get("retirement")
        if retirement is not None:
            bad.append(f"the model {retirement}")
    for b in result.break_even:
        if b["api_option"] == chosen_id and b["requests_per_day"] is not None:
            neutral.append(
                f"self-hosting ({b['self_hosted_option']}) would cost less from about "
                f"{b['requests_per_day']:,} requests a day ({b['times_today']:g}× today)"
            )
    return neutral, bad


def _chosen(choice, item, result, options, chosen_id) -> dict[str, Any]:
    """The chosen (or, before a choice, the leading) option of one workload."""
    chosen_view = next((o for o in options if o["chosen"]), None)
    ruled = next((e for e in result.eliminated if e["id"] == chosen_id), None)
    neutral, bad = _chosen_caveats(item, result, chosen_view, chosen_id)
    return {
        "id": chosen_id,
        "name": item.name if item else (ruled["name"] if ruled else chosen_id),
        "rank": result.standing(item).rank if item else None,
        "of": len(result.alternatives),
        "score": f"{item.score:.3f}" if item else None,
        "ruled_out_reason": ruled["reasons"][0] if ruled else None,
        "recorded": choice is not None,
        "rationale": (choice.rationale if choice else None)
        or (result.explanation.get("summary") if item else None),
        "decided_by": choice.decided_by if choice else None,
        "decided_on": choice.decided_on.isoformat() if choice and choice.decided_on else None,
        "good": list(chosen_view["good"]) if chosen_view else [],
        "neutral": neutral,
        "bad": bad,
    }


def _workload(
    workload, result, given: dict[str, Any], criteria: CriteriaSet, catalog: Catalog, top: int
) -> dict[str, Any]:
    """One workload of the record: its answers, the options weighed and the choice."""
    factors = {c.id: c for c in criteria.criteria}
    choice = workload.choice
    headline = result.headline
    chosen_id = choice.option if choice else (headline.id if headline else None)
    item = result.find(chosen_id) if chosen_id else None
    considered = _considered(result, item, top)
    options = [_option(r, result, factors, chosen_id) for r in considered]
    facts, sources = _facts(choice, item, catalog)
    return {
        "id": workload.id,
        "name": workload.name,
        "description": workload.description,
        "answers": _answers(criteria, given),
        "drivers": _drivers(result, factors),
        "options": options,
        "ruled_out": [
            {"id": e["id"], "name": e["name"], "reason": e["reasons"][0]}
            for e in result.eliminated[:8]
        ],
        "ruled_out_count": len(result.eliminated),
        "chosen": _chosen(choice, item, result, options, chosen_id) if chosen_id else None,
        "facts": facts,
        "sources": sources,
        "snapshot_as_of": choice.snapshot.as_of.isoformat() if choice and choice.snapshot else None,
    }


def _title(workloads: list[dict[str, Any]], project: str) -> str:
    chosen_names = [w["chosen"]["name"] for w in workloads if w["chosen"]]
    if len(workloads) == 1 and chosen_names:
        return f"Use {chosen_names[0]} for {workloads[0]['name']}"
    if chosen_names and len(set(chosen_names)) == 1:
        return f"Use {chosen_names[0]} for every LLM workload of {project}"
    return f"Hybrid LLM deployment for {project}"


def adr_view(
    path: str | Path,
    *,
    catalog: Catalog,
    criteria: CriteriaSet,
    as_of: dt.date,
    top: int = 4,
    samples: int = 1000,
    check_command: str | None = None,
) -> dict[str, Any]:
    """Everything the ADR template shows, as plain data."""
    from llmchoose.engine.recommend import recommend
    from llmchoose.loading.decision import load_decision

    path = Path(path)
    decision = load_decision(path, criteria)
    rec = recommend(decision, catalog, criteria, as_of=as_of, samples=samples)
    workloads: list[dict[str, Any]] = []
    dates: list[dt.date] = []
    makers: list[str] = []
    for workload, result in zip(decision.workloads, rec.workloads, strict=True):
        choice = workload.choice
        if choice is not None and choice.decided_on:
            dates.append(choice.decided_on)
        if choice is not None and choice.decided_by and choice.decided_by not in makers:
            makers.append(choice.decided_by)
        given = {**decision.answers, **workload.answers}
        workloads.append(_workload(workload, result, given, criteria, catalog, top))
    all_chosen = all(w.choice is not None for w in decision.workloads)
    status = "accepted" if all_chosen else "proposed"
    date = max(dates) if dates and all_chosen else as_of
    policy = decision.policy
    command = check_command or f"llmchoose check {path.as_posix()}"
    return {
        "front_matter": _front_matter(status, date, makers),
        "title": _title(workloads, decision.project.name),
        "status": status,
        "project": {
            "name": decision.project.name,
            "organisation": decision.project.organisation,
            "description": decision.project.description,
        },
        "workloads": workloads,
        "hybrid": rec.hybrid.summary if rec.hybrid else None,
        "routing": list(rec.hybrid.routing_rule) if rec.hybrid else [],
        "confirmation": {
            "command": _code(command),
            "max_rank": policy.max_rank,
            "max_margin": f"{policy.max_margin:g}",
            "price_change_percent": f"{policy.price_change_percent:g}",
            "retirement_horizon_days": policy.retirement_horizon_days,
            "max_fact_age_days": policy.max_fact_age_days,
        },
        "generated": {
            "tool": f"llmchoose {__version__}",
            "file": path.as_posix(),
            "as_of": as_of.isoformat(),
            "method": rec.method,
        },
    }


def make_adr(
    path: str | Path,
    *,
    catalog: Catalog,
    criteria: CriteriaSet,
    as_of: dt.date,
    top: int = 4,
    samples: int = 1000,
    template_dir: Path | None = None,
    check_command: str | None = None,
) -> str:
    """The ADR as Markdown text."""
    from llmchoose.report.render import Renderer

    renderer = Renderer("md", template_dir=template_dir, template=ADR_TEMPLATE)
    view = adr_view(
        path,
        catalog=catalog,
        criteria=criteria,
        as_of=as_of,
        top=top,
        samples=samples,
        check_command=check_command,
    )
    return renderer.render(view)
