"""`llmchoose adr`: the decision as an Architecture Decision Record in MADR format."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from llmchoose.loading.criteria import load_criteria
from llmchoose.loading.knowledge import load_catalog
from llmchoose.report.adr import adr_view, make_adr

REPO = Path(__file__).resolve().parent.parent
# Copies of the examples recorded against the test knowledge base.
EXAMPLES = REPO / "tests" / "data" / "check" / "decisions"
AS_OF = dt.date(2026, 11, 28)

MADR_SECTIONS = [
    "# ",
    "## Context and Problem Statement",
    "## Decision Drivers",
    "## Considered Options",
    "## Decision Outcome",
    "### Consequences",
    "### Confirmation",
    "## Pros and Cons of the Options",
    "## More Information",
]


@pytest.fixture(scope="module")
def inputs():
    return load_catalog(layers=[REPO / "tests" / "data" / "kb"]), load_criteria()


def adr(path: Path, inputs, **options) -> str:
    kb, criteria = inputs
    return make_adr(path, catalog=kb, criteria=criteria, as_of=AS_OF, samples=100, **options)


def headings(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("#")]


def test_an_adr_has_the_madr_sections_in_order(inputs):
    text = adr(EXAMPLES / "startup-chatbot.yaml", inputs)
    found = headings(text)
    positions = [next(i for i, h in enumerate(found) if h.startswith(s)) for s in MADR_SECTIONS]
    assert positions == sorted(positions)
    assert found[0] == "# Use Big Closed on API Co for Customer support chat"


def test_the_front_matter_says_status_date_and_decision_makers(inputs):
    text = adr(EXAMPLES / "startup-chatbot.yaml", inputs)
    assert text.startswith(
        '---\nstatus: accepted\ndate: 2026-11-28\ndecision-makers: "Dana Reyes, CTO"\n---\n'
    )


def test_the_outcome_names_the_choice_its_rationale_and_the_check_that_guards_it(inputs):
    path = EXAMPLES / "startup-chatbot.yaml"
    text = adr(path, inputs, check_command="llmchoose check llm-decision.yaml")
    outcome = text.split("## Decision Outcome", 1)[1].split("### Consequences", 1)[0]
    assert (
        'Chosen option: "Big Closed on API Co" (api-co/big-closed), because: Ranked 1 of' in outcome
    )
    assert "Decided by Dana Reyes, CTO on 2026-11-28." in outcome
    confirmation = text.split("### Confirmation", 1)[1].split("\n## ", 1)[0]
    assert "```sh\nllmchoose check llm-decision.yaml\n```" in confirmation
    assert "ranks below 3" in confirmation and "more than 10%" in confirmation


def test_considered_options_have_pros_and_cons(inputs):
    text = adr(EXAMPLES / "startup-chatbot.yaml", inputs, top=2)
    considered = text.split("## Considered Options", 1)[1].split("## Decision Outcome", 1)[0]
    lines = re.findall(r"^\* .+ \((\S+)\) — (.+), rank \d, score 0\.\d{3}", considered, re.M)
    ids = [option_id for option_id, _ in lines]
    kinds = {kind for _, kind in lines}
    # The two best distinct models, then the best of every other kind that survived.
    assert len(ids) == len(set(ids)) and len(ids) >= 2
    assert kinds == {
        "proprietary API",
        "open weights at a host",
        "open weights on your own servers",
    }
    assert "(chosen)" in considered
    pros = text.split("## Pros and Cons of the Options", 1)[1].split("## More Information", 1)[0]
    assert len(re.findall(r"^### ", pros, re.M)) == len(ids)
    assert "* Good, because of " in pros and "* Bad, because of " in pros
    assert "**Ruled out**" in pros


def test_more_information_lists_the_recorded_facts_and_their_sources(inputs):
    text = adr(EXAMPLES / "startup-chatbot.yaml", inputs)
    more = text.split("## More Information", 1)[1]
    assert "as recorded on 2026-11-28" in more
    assert "| input price (USD per 1M tokens) | 2.5 | fixture | 2026-11-01 |" in more
    assert "* fixture: Test fixture — <https://example.com/fixture>" in more


def test_a_hybrid_adr_covers_each_workload(inputs):
    text = adr(EXAMPLES / "hybrid-support-and-notes.yaml", inputs)
    assert headings(text)[0] == "# Hybrid LLM deployment for Member support and claim notes"
    assert "### Help-centre chatbot" in text and "### Claim notes summaries" in text
    assert "Chosen option for Help-centre chatbot:" in text
    assert "Chosen option for Claim notes summaries:" in text
    assert "A hybrid scores" in text


def test_without_a_recorded_choice_the_adr_is_proposed(inputs, tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text((EXAMPLES / "offline-field-app.yaml").read_text().split("    choice:")[0])
    text = adr(path, inputs)
    assert text.startswith("---\nstatus: proposed\ndate: 2026-11-28\n---\n")
    assert "Not yet recorded: this is the top-ranked option" in text


def test_text_from_the_decision_file_cannot_change_the_markdown(inputs, tmp_path):
    hostile = "Acme *bold* [link](http://x) <script>alert(1)</script> | pipe"
    text = (EXAMPLES / "startup-chatbot.yaml").read_text()
    text = text.replace("name: Acme support chatbot", f"name: '{hostile}'")
    text = text.replace("decided_by: Dana Reyes, CTO", 'decided_by: "Eve\\" injected: yes"')
    path = tmp_path / "d.yaml"
    path.write_text(text)
    out = adr(path, inputs)
    assert "<script>" not in out
    assert r"\*bold\*" in out and r"\[link\]" in out and r"\| pipe" in out
    front = out.split("---\n")[1]
    assert front.splitlines()[-1] == 'decision-makers: "Eve\\" injected: yes"'


def test_the_view_is_plain_data(inputs):
    kb, criteria = inputs
    view = adr_view(
        EXAMPLES / "hospital-clinical-notes.yaml",
        catalog=kb,
        criteria=criteria,
        as_of=AS_OF,
        samples=50,
    )
    assert view["status"] == "accepted"
    [workload] = view["workloads"]
    assert workload["chosen"]["id"] == "server-rt/open-70b"
    assert any(d.startswith("Hard requirement (Data privacy") for d in workload["drivers"])
    assert view["confirmation"]["max_rank"] == 3


@pytest.fixture
def cli(run_cli, fixture_kb):
    from llmchoose.cli.app import app
    from llmchoose.cli.check_cmd import register

    if "check" not in {c.name for c in app.registered_commands}:
        register(app)
    return run_cli


def test_adr_on_the_command_line(cli, tmp_path):
    example = str(EXAMPLES / "startup-chatbot.yaml")
    code, out, _ = cli("adr", example, "--as-of", "2026-11-28")
    assert code == 0 and out.startswith("---\nstatus: accepted")
    assert cli("adr", example, "--as-of", "2026-11-28") == (code, out, "")
    target = tmp_path / "docs" / "0001-llm.md"
    code, written, err = cli("adr", example, "--as-of", "2026-11-28", "-o", str(target))
    assert code == 0 and written == ""
    assert target.read_text() == out
    assert err.startswith(f"Wrote {target} (")


def test_a_template_folder_replaces_the_built_in_adr(cli, tmp_path, write_tree):
    write_tree({"tpl/adr.md.j2": "Decision: {{ report.title }} ({{ report.status }})\n"})
    code, out, _ = cli(
        "adr",
        str(EXAMPLES / "startup-chatbot.yaml"),
        "--as-of",
        "2026-11-28",
        "--template-dir",
        str(tmp_path / "tpl"),
    )
    assert code == 0
    assert out == "Decision: Use Big Closed on API Co for Customer support chat (accepted)\n"
