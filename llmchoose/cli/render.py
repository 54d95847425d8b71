"""Terminal rendering of a recommendation (rich). Only layout lives here."""

from __future__ import annotations

from collections import Counter

from llmchoose.cli.output import markup_safe as safe
from llmchoose.engine.recommend import Recommendation, WorkloadResult
from llmchoose.loading.criteria import CriteriaSet
from llmchoose.loading.formatting import money
from llmchoose.schemas.vocabulary import CATEGORY_SHORT

__all__ = ["render_recommendation"]


def _ranking(out, result: WorkloadResult, names: dict[str, str], top: int) -> None:
    """The ranked options as a table, and why the first is first."""
    from rich.table import Table

    table = Table(show_edge=False, pad_edge=False)
    table.add_column("#", justify="right")
    table.add_column("option", overflow="fold", ratio=3)
    table.add_column("kind", ratio=1)
    table.add_column("score", justify="right")
    table.add_column("per month", justify="right")
    table.add_column("wins", justify="right")
    unknown = False
    for alternative in result.alternatives[:top]:
        item = alternative.option
        label = safe(item.id)
        if alternative.folded:
            label += f" [dim]+{len(alternative.folded)} elsewhere[/dim]"
        if item is result.headline:
            label = f"[bold]{label}[/bold]"
        if item.missing or not item.price_known:
            label += " *"
            unknown = True
        table.add_row(
            str(result.standing(item).rank),  # place among distinct models
            label,
            CATEGORY_SHORT.get(item.category, item.category),
            f"{item.score:.3f}",
            money(item.monthly_cost),
            f"{item.win_share:.0%}",
        )
    out.print(table)
    if unknown:
        out.print(
            "[dim]* some facts unknown: scored as the middle of their possible range and "
            "sampled across it; an unknown price is never the recommendation[/dim]"
        )
    runner = result.explanation.get("runner_up")
    if runner and runner.get("ahead_on"):
        # Why it is first is where it beats the next model, not what every option shares.
        def side(rows) -> str:
            return ", ".join(
                f"{names.get(r['factor'], r['factor'])} {r['score']:.2f} against {r['other']:.2f}"
                for r in rows[:3]
            )

        text = f"Why first: ahead of {runner['name']} on {side(runner['ahead_on'])}"
        if runner.get("behind_on"):
            text += f"; behind on {side(runner['behind_on'])}"
        out.print(safe(text + "."))
        return
    top_item = result.headline or result.ranked[0]
    parts = sorted(top_item.contributions.items(), key=lambda kv: -kv[1])
    out.print(
        "Strongest on: "
        + safe(", ").join(
            safe(
                f"{names.get(k, k)} {top_item.factor_scores[k]:.2f}×{result.weights.values[k]:.0%}"
            )
            for k, _ in parts[:4]
        )
    )


def _closing(out, result: WorkloadResult) -> None:
    """Break-even with self-hosting, what was ruled out, notes and warnings."""
    if result.break_even:
        best = result.break_even[0]
        if best["requests_per_day"] is None:
            out.print(
                f"Self-hosting ({best['self_hosted_option']}) never becomes cheaper than {best['api_option']} up to 1e9 requests/day."
            )
        else:
            out.print(
                f"Self-hosting ({best['self_hosted_option']}) breaks even with {best['api_option']} at about "
                f"{best['requests_per_day']:,} requests/day ({best['times_today']}× today)."
            )
    if result.eliminated:
        counts = Counter(r for e in result.eliminated for r in e["constraints"])
        out.print(
            "Ruled out: "
            + ", ".join(
                f"{n} by {rule}"
                for rule, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
            )
        )
    for note in result.notes:
        out.print(f"[dim]{safe(note)}[/dim]")
    for warning in result.warnings:
        out.print(f"[yellow]Warning:[/yellow] {safe(warning)}")


def _workload(out, result: WorkloadResult, names: dict[str, str], top: int) -> None:
    out.rule(f"[bold]{safe(result.name)}[/bold]")
    out.print(
        f"{len(result.ranked)} options ranked, {len(result.eliminated)} ruled out by your requirements"
        f" · {result.usage.requests_per_day:,.0f} requests/day · method {result.method}"
    )
    if result.ranked:
        _ranking(out, result, names, top)
    explanation = result.explanation
    out.print(safe(explanation.get("summary", "")))
    if explanation.get("tradeoffs"):
        out.print(
            "Trade-offs: "
            + safe(", ".join(names.get(t["factor"], t["factor"]) for t in explanation["tradeoffs"]))
        )
    runner = explanation.get("runner_up")
    if runner and runner["would_win_if"]:
        out.print(
            safe(f"{runner['name']} would win if " + "; or ".join(runner["would_win_if"][:3]) + ".")
        )
    if explanation.get("close_call"):
        out.print(f"[yellow]{safe(explanation['close_call'])}[/yellow]")
    elif explanation.get("robustness"):
        out.print(safe(explanation["robustness"]))
    for item in [result.headline] if result.headline is not None else []:
        for flag in item.flags:
            out.print(f"[yellow]Note:[/yellow] {safe(item.name)}: {safe(flag)}")
    bests = [
        f"{CATEGORY_SHORT.get(category, category)}: {safe(item.id)}"
        for category, item in result.category_best.items()
        if item is not result.headline
    ]
    if bests:
        out.print("Best of the other kinds: " + "; ".join(bests))
    _closing(out, result)


def render_recommendation(
    out, rec: Recommendation, criteria: CriteriaSet, *, top: int = 10
) -> None:
    names = {c.id: c.name.split(" and ")[0].lower() for c in criteria.criteria}
    out.print(f"[bold]{safe(rec.project)}[/bold] — recommendation as of {rec.as_of.isoformat()}")
    for result in rec.workloads:
        _workload(out, result, names, top)
    hybrid = rec.hybrid
    if hybrid is not None:
        out.rule("[bold]Across workloads[/bold]")
        out.print(safe(hybrid.summary))
        for line in hybrid.routing_rule:
            out.print(f"  • {safe(line)}")
        if hybrid.routing_rule:
            out.print(safe(hybrid.abstraction))
            single = hybrid.single_option
            cost = f"hybrid {money(hybrid.hybrid_monthly_cost)}/month"
            if single:
                cost += f" against {money(single['monthly_cost'])}/month for {single['name']} alone"
            out.print(safe(cost))
