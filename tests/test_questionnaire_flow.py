"""The questionnaire's flow, with no terminal: which step comes next, what `when:`
skips, what each step defaults to, going back, the summary, drafts and answers files."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from llmchoose.errors import InputError
from llmchoose.loading.criteria import load_criteria
from llmchoose.loading.yamlio import parse_yaml
from llmchoose.questionnaire.answers_file import read_answers_file, read_decision_seed
from llmchoose.questionnaire.draft import Draft, draft_path, load_draft, save_draft
from llmchoose.questionnaire.flow import Flow
from llmchoose.questionnaire.output import decision_data, render_decision
from llmchoose.questionnaire.session import BACK, Review, Stop, walk
from llmchoose.questionnaire.steps import (
    NAME,
    ORGANISATION,
    WORKLOADS,
    Seed,
    WorkloadRef,
    display,
    parse_workloads,
    slug,
)
from llmchoose.schemas.decision import Decision

DATA = Path(__file__).resolve().parent / "data" / "init"


@pytest.fixture
def small():
    """Two small factors: usage (mode, max_wait when chat, volume, importance) and
    safety (sensitive, retention_ok when not sensitive, rules, contact)."""
    return load_criteria(layers=[DATA / "criteria"])


def keys(flow: Flow) -> list[str]:
    return [s.key for s in flow.steps()]


def start(criteria, workloads: str = "Chat, Nightly") -> Flow:
    flow = Flow(criteria, project_name="Acme")
    flow.answer("Acme")
    flow.answer("")
    flow.answer(workloads)
    return flow


# ---------------------------------------------------------------------------- order


def test_project_steps_come_first_then_each_factor_in_order(small):
    flow = Flow(small)
    assert keys(flow) == [
        NAME, ORGANISATION, WORKLOADS,
        "mode@main", "max_wait@main", "volume@main", "usage_importance",
        "sensitive@main", "rules", "contact",
    ][:3] + keys(flow)[3:]  # fmt: skip
    assert keys(flow)[3:] == [
        "mode@main", "max_wait@main", "volume@main", "usage_importance",
        "sensitive@main", "retention_ok", "rules", "contact",
    ]  # fmt: skip
    step = flow.current()
    assert step is not None and step.key == NAME and step.number == 1
    assert step.total == 11 and step.factor_number == 0


def test_workload_questions_are_asked_once_per_workload_project_questions_once(small):
    flow = start(small)
    assert keys(flow)[3:] == [
        "mode@chat", "mode@nightly", "max_wait@chat", "max_wait@nightly",
        "volume@chat", "volume@nightly", "usage_importance",
        "sensitive@chat", "sensitive@nightly", "retention_ok", "rules", "contact",
    ]  # fmt: skip
    step = flow.current()
    assert step.key == "mode@chat"
    assert (step.factor_number, step.factor_count) == (1, 2)
    assert (step.workload_number, step.workload_count) == (1, 2)
    assert step.first_in_factor


# ---------------------------------------------------------------------------- conditions


def test_a_condition_skips_a_question_for_the_workload_it_does_not_hold_for(small):
    flow = start(small)
    flow.answer("chat")
    flow.answer("batch")
    assert "max_wait@chat" in keys(flow)
    assert "max_wait@nightly" not in keys(flow)
    assert flow.current().key == "max_wait@chat"


def test_a_project_question_is_asked_when_its_condition_holds_for_any_workload(small):
    flow = start(small)
    flow.values["sensitive@chat"] = True
    flow.values["sensitive@nightly"] = False
    assert "retention_ok" in keys(flow)
    flow.values["sensitive@nightly"] = True
    assert "retention_ok" not in keys(flow)


def test_an_answer_that_closes_a_question_keeps_it_out_of_the_file_but_remembers_it(small):
    flow = start(small, "Main")
    flow.answer("chat")
    flow.answer("12")
    flow.back()
    flow.back()
    assert flow.current().key == "mode@main"
    flow.answer("batch")
    assert "max_wait@main" not in keys(flow)
    flow.fill_defaults()
    _, per = flow.answer_sets()
    assert "max_wait" not in per["main"]
    # Switching back brings the question, and the answer given, back.
    flow.goto("mode@main")
    flow.answer("chat")
    assert flow.current() is None
    assert flow.answer_sets()[1]["main"]["max_wait"] == 12


# ---------------------------------------------------------------------------- defaults


def test_the_next_workload_is_offered_the_previous_workloads_answer(small):
    flow = start(small)
    flow.answer("batch")
    step = flow.current()
    assert step.key == "mode@nightly"
    assert step.default == "batch"
    assert step.source == "workload" and step.source_note == "same as Chat"
    flow.skip()  # Enter keeps it
    assert flow.values["mode@nightly"] == "batch"


def test_a_revised_decisions_answers_beat_the_previous_workloads(small):
    defaults = Seed(
        name="Old name",
        workloads=[WorkloadRef("chat", "Chat"), WorkloadRef("nightly", "Nightly")],
        shared={"usage_importance": 5},
        per_workload={"nightly": {"mode": "chat", "volume": 7}},
    )
    flow = Flow(small, defaults=defaults)
    assert flow.current().default == "Old name"
    flow.answer()
    flow.answer()
    flow.answer()  # keeps the two workloads
    flow.answer("batch")
    step = flow.current()
    assert step.key == "mode@nightly" and step.default == "chat" and step.source == "previous"
    by_key = {s.key: s for s in flow.steps()}
    assert by_key["volume@nightly"].default == 7
    assert by_key["volume@chat"].default == 100  # the question's own default
    assert by_key["usage_importance"].default == 5


def test_an_importance_question_without_a_default_defaults_to_3(small):
    step = next(s for s in Flow(small).steps() if s.key == "usage_importance")
    assert step.default == 3


# ---------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("key", "raw", "message"),
    [
        ("max_wait@main", "61", "must be at most 60 seconds"),
        ("max_wait@main", "-1", "must be at least 0 seconds"),
        ("max_wait@main", "soon", "expected a number, got 'soon'"),
        ("volume@main", "2.5", "expected a whole number"),
        (
            "mode@main",
            "chats",
            "'chats' is not a choice; allowed: chat, batch (did you mean 'chat'?)",
        ),
        ("usage_importance", "6", "must be at most 5"),
        ("sensitive@main", "perhaps", "expected yes or no"),
    ],
)
def test_a_bad_answer_says_why(small, key, raw, message):
    flow = Flow(small)
    step = next(s for s in flow.steps() if s.key == key)
    with pytest.raises(ValueError) as info:
        flow.check(step, raw)
    assert str(info.value) == message


def test_answers_are_coerced_and_blank_takes_the_default(small):
    flow = Flow(small)
    steps = {s.key: s for s in flow.steps()}
    assert flow.check(steps["volume@main"], "2,500") == 2500
    assert flow.check(steps["max_wait@main"], "2.5") == 2.5
    assert flow.check(steps["max_wait@main"], "30") == 30
    assert isinstance(flow.check(steps["max_wait@main"], "30"), int)
    assert flow.check(steps["sensitive@main"], "yes") is True
    assert flow.check(steps["volume@main"], "") == 100
    assert flow.check(steps["rules"], ["soc2", "hipaa"]) == ["hipaa", "soc2"]
    assert flow.check(steps["contact"], "") is None  # no default: no answer


def test_the_project_name_is_required_and_the_organisation_may_be_cleared(small):
    defaults = Seed(organisation="Old Ltd")
    flow = Flow(small, defaults=defaults)
    steps = {s.key: s for s in flow.steps()}
    assert flow.check(steps[NAME], "  Acme   bot ") == "Acme bot"
    assert flow.check(steps[ORGANISATION], "") == "Old Ltd"
    assert flow.check(steps[ORGANISATION], "-") is None


def test_workloads_from_names(small):
    assert parse_workloads("Support chat, Contract review") == [
        WorkloadRef("support-chat", "Support chat"),
        WorkloadRef("contract-review", "Contract review"),
    ]
    # A known workload keeps its id, so its recorded answers and choice stay with it.
    known = [WorkloadRef("notes", "Patient notes")]
    assert parse_workloads("patient notes, Copy", known) == [
        WorkloadRef("notes", "patient notes"),
        WorkloadRef("copy", "Copy"),
    ]
    assert slug("Résumé screening (EU)") == "resume-screening-eu"
    for bad, message in (
        ("", "name at least one workload"),
        ("Chat, chat!", "two workloads would both get the id 'chat'; name them apart"),
        ("!!!", "'!!!' needs at least one letter or digit"),
    ):
        with pytest.raises(ValueError) as info:
            parse_workloads(bad)
        assert str(info.value) == message


def test_display_reads_like_the_question():
    criteria = load_criteria()
    questions = criteria.questions
    assert display(questions["data_sensitivity"], "regulated").startswith("Regulated — ")
    assert display(questions["regulations"], []) == "none"
    assert display(questions["requests_per_day"], 2500) == "2,500 requests per day"
    assert display(questions["cached_share"], 0.25) == "0.25 share of input (0 to 1)"
    assert display(questions["privacy_importance"], 4) == "4 of 5"
    assert display(questions["needs_tool_calling"], False) == "no"


# ---------------------------------------------------------------------------- back


def test_back_goes_to_the_previous_question_and_forward_again_through_it(small):
    flow = start(small)
    flow.answer("chat")  # mode@chat
    flow.answer("batch")  # mode@nightly
    assert flow.current().key == "max_wait@chat"
    assert flow.back() and flow.current().key == "mode@nightly"
    assert flow.back() and flow.current().key == "mode@chat"
    assert flow.current().default == "chat"  # the answer given is offered again
    flow.answer("chat")
    # Forward walks through the step asked before, not straight to the first open one.
    assert flow.current().key == "mode@nightly"
    assert flow.current().default == "batch"


def test_back_at_the_first_question_stays_there(small):
    flow = Flow(small)
    assert flow.back() is False
    assert flow.current().key == NAME


def test_back_from_the_summary_goes_to_the_last_question(small):
    flow = start(small, "Main")
    while flow.current() is not None:
        flow.answer()
    assert flow.complete
    assert flow.back()
    assert flow.current().key == "contact"


def test_editing_from_the_summary_returns_to_it_after_any_question_it_opens(small):
    flow = start(small, "Main")
    flow.answer("batch")
    while flow.current() is not None:
        flow.answer()
    flow.goto("mode@main")
    flow.answer("chat")
    # The new answer opens max_wait, which has never been answered: asked next.
    assert flow.current().key == "max_wait@main"
    flow.answer("20")
    assert flow.current() is None
    # Changing an answer that opens nothing goes straight back to the summary.
    flow.goto("volume@main")
    flow.answer("5")
    assert flow.current() is None


def test_back_while_editing_from_the_summary_returns_to_it(small):
    flow = start(small, "Main")
    flow.fill_defaults()
    flow.goto("rules")
    assert flow.back()
    assert flow.current() is None


# ---------------------------------------------------------------------------- seeds


def test_answers_given_are_not_asked(small):
    answers = Seed(
        name="Acme",
        project_given=True,
        workloads=[WorkloadRef("chat", "Chat"), WorkloadRef("nightly", "Nightly")],
        shared={"mode": "chat", "rules": ["gdpr"]},
        per_workload={"nightly": {"volume": 9}},
    )
    flow = Flow(small, answers=answers)
    # Name, organisation, workloads and both modes are settled: max_wait comes first.
    assert flow.current().key == "max_wait@chat"
    open_keys = [s.key for s in flow.unanswered()]
    assert "mode@chat" not in open_keys and "volume@nightly" not in open_keys
    assert "rules" not in open_keys and "volume@chat" in open_keys
    flow.fill_defaults()
    shared, per = flow.answer_sets()
    assert shared["mode"] == "chat" and shared["rules"] == ["gdpr"]
    assert per["nightly"]["volume"] == 9 and per["chat"]["volume"] == 100


def test_fill_defaults_answers_everything(small):
    flow = Flow(small, project_name="Acme")
    flow.fill_defaults()
    assert flow.complete and flow.current() is None
    assert flow.project == ("Acme", None)
    shared, per = flow.answer_sets()
    # One workload: its answers are written under it, the project's at the top.
    assert per == {"main": {"mode": "chat", "max_wait": 5, "volume": 100, "sensitive": False}}
    assert shared == {"usage_importance": 3, "retention_ok": True, "rules": []}


def test_several_workloads_share_what_is_the_same_and_keep_what_differs(small):
    flow = start(small)
    flow.answer("chat")
    flow.answer("chat")
    flow.answer("10")
    flow.answer("30")
    flow.fill_defaults()
    shared, per = flow.answer_sets()
    assert shared["mode"] == "chat" and shared["volume"] == 100
    assert per == {"chat": {"max_wait": 10}, "nightly": {"max_wait": 30}}


def test_a_project_question_answered_for_one_workload_is_kept_as_it_is(small):
    defaults = Seed(
        name="Acme",
        workloads=[WorkloadRef("chat", "Chat"), WorkloadRef("nightly", "Nightly")],
        per_workload={"nightly": {"usage_importance": 5}},
    )
    flow = Flow(small, defaults=defaults)
    flow.fill_defaults()
    shared, per = flow.answer_sets()
    assert shared["usage_importance"] == 3
    assert per["nightly"]["usage_importance"] == 5
    entry = next(e for s in flow.summary() for e in s.entries if "usage weigh" in e.label)
    assert entry.note == "kept from the file for one workload — Nightly: 5 of 5"
    # A draft keeps it too.
    again = Flow(small)
    again.restore(flow.state())
    assert again.answer_sets() == (shared, per)


def test_the_summary_groups_answers_by_factor(small):
    flow = start(small)
    flow.answer("chat")
    flow.answer("batch")
    flow.fill_defaults()
    sections = flow.summary()
    assert [s.title for s in sections] == ["Project", "Usage", "Safety"]
    mode = sections[1].entries[0]
    assert mode.values == [
        ("mode@chat", "Chat", "A person, watching"),
        ("mode@nightly", "Nightly", "Nobody, it runs overnight"),
    ]
    assert mode.changed  # Nightly differs from the default
    volume = next(e for e in sections[1].entries if e.label == "How many requests a day?")
    assert volume.values == [("volume@chat", None, "100 requests per day (every workload)")]
    assert not volume.changed


# ---------------------------------------------------------------------------- session


class Script:
    """An asker that plays answers from a list: a value, BACK, or a Review."""

    def __init__(self, moves):
        self.moves = list(moves)
        self.asked: list[str] = []
        self.notes: list[str] = []

    def ask(self, step, check):
        self.asked.append(step.key)
        move = self.moves.pop(0)
        if move is not BACK:
            check(move)
        return move

    def review(self, flow):
        self.asked.append("summary")
        return self.moves.pop(0)

    def note(self, text):
        self.notes.append(text)


def test_walk_asks_goes_back_and_saves_from_the_summary(small):
    flow = Flow(small)
    script = Script(
        ["Acme", BACK, BACK, "Acme", "", "Main", "batch", BACK, "chat", "9", "", "", "", "", "", "",
         Review("edit", "volume@main"), "77", Review("save")]
    )  # fmt: skip
    saved = []
    walk(flow, script, on_change=lambda: saved.append(flow.state()["cursor"]))
    assert script.asked[:5] == [NAME, ORGANISATION, NAME, NAME, ORGANISATION]
    assert script.notes == ["This is the first question; there is nothing before it."]
    assert script.asked[-3:] == ["summary", "volume@main", "summary"]
    assert flow.answer_sets()[1]["main"] == {"mode": "chat", "max_wait": 9, "volume": 77, "sensitive": False}  # fmt: skip
    assert saved[-1] is None  # the draft followed every move, up to the summary


def test_walk_stops_when_asked_to(small):
    flow = Flow(small)
    flow.fill_defaults()
    with pytest.raises(Stop):
        walk(flow, Script([Review("stop")]))


# ---------------------------------------------------------------------------- drafts


def test_a_draft_keeps_the_state_and_restores_it(small, tmp_path):
    flow = start(small)
    flow.answer("batch")
    flow.back()
    target = tmp_path / "llm-decision.yaml"
    path = draft_path(target)
    assert path.name == "llm-decision.yaml.draft"
    save_draft(path, Draft(target=target, state=flow.state(), extras={"method": "topsis"}))
    draft = load_draft(path)
    assert draft.target == target and draft.extras == {"method": "topsis"}
    again = Flow(small)
    assert again.restore(draft.state) == []
    assert again.current().key == "mode@chat"
    assert again.values == flow.values and again.visited == flow.visited
    assert again.workloads == [WorkloadRef("chat", "Chat"), WorkloadRef("nightly", "Nightly")]


def test_a_draft_answer_that_no_longer_fits_is_asked_again(small):
    flow = Flow(small)
    notes = flow.restore(
        {"values": {NAME: "Acme", "volume@main": 5.5, "gone": 1}, "cursor": "volume@main"}
    )
    assert notes == [
        "volume@main: expected a whole number; asking again",
        "'gone' is no longer a question; its answer was dropped",
    ]
    assert "volume@main" not in flow.values
    assert flow.current().key == "volume@main"


def test_loading_a_missing_or_foreign_draft_says_so(tmp_path):
    with pytest.raises(InputError, match="no draft to resume"):
        load_draft(tmp_path / "x.draft")
    (tmp_path / "y.draft").write_text("a: 1\n")
    with pytest.raises(InputError, match="not a draft of `llmchoose init`"):
        load_draft(tmp_path / "y.draft")


# ---------------------------------------------------------------------------- files


def test_an_answers_file_with_names_only_and_shorthands(small, write_tree):
    write_tree({"a.yaml": "project: Acme\nanswers: {mode: batch}\nworkloads: [Chat, Nightly]\n"})
    loaded = read_answers_file(Path("a.yaml"), small)
    assert loaded.seed.name == "Acme" and loaded.seed.project_given
    assert loaded.seed.workloads == [WorkloadRef("chat", "Chat"), WorkloadRef("nightly", "Nightly")]
    assert loaded.seed.shared == {"mode": "batch"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "answers:\n  mode: chat\n  volumes: 3\n",
            "a.yaml:3: answers.volumes: unknown question (did you mean 'volume'?)",
        ),
        (
            "answers:\n  max_wait: 99\n",
            "a.yaml:2: answers.max_wait: must be at most 60 (allowed: a number from 0 to 60 seconds)",
        ),
        (
            "workloads:\n  - name: Chat\n    answers:\n      mode: fast\n",
            "a.yaml:4: workloads[0].answers.mode: 'fast' is not a choice; allowed: chat, batch",
        ),
        (
            "answers:\n  volume: lots\n",
            "a.yaml:2: answers.volume: expected a number, got 'lots' "
            "(allowed: a whole number from 0 to 1,000,000 requests per day)",
        ),
        ("answer:\n  mode: chat\n", "a.yaml:1: unknown key 'answer' (did you mean 'answers'?)"),
        (
            "workloads:\n  - name: Chat\n  - name: chat\n",
            "a.yaml:3: workloads[1]: a second workload with the id 'chat' "
            "(give each workload its own name or id)",
        ),
        (
            "method: best\n",
            "a.yaml:1: method: input should be 'weighted-sum', 'minmax' or 'topsis', got 'best'",
        ),
    ],
)
def test_an_answers_file_problem_is_one_message_with_file_line_and_what_is_allowed(
    small, write_tree, text, expected
):
    write_tree({"a.yaml": text})
    with pytest.raises(InputError) as info:
        read_answers_file(Path("a.yaml"), small)
    assert str(info.value).startswith(expected)


def test_a_decision_file_replays_as_an_answers_file():
    criteria = load_criteria()
    example = Path(__file__).resolve().parent.parent / "examples" / "startup-chatbot.yaml"
    loaded = read_answers_file(example, criteria)
    assert loaded.seed.name == "Acme support chatbot"
    assert loaded.seed.per_workload["support-chat"]["requests_per_day"] == 2000
    flow = Flow(criteria, answers=loaded.seed)
    assert flow.current().key == "allow_provider_retention@support-chat"  # the first left open


def test_revising_a_decision_keeps_what_the_questions_do_not_cover(write_tree):
    criteria = load_criteria()
    write_tree(
        {
            "d.yaml": "# Our decision\nversion: 1\nproject: {name: Acme, description: A bot.}\n"
            "answers: {cost_importance: 5}\nmethod: topsis\n"
            "workloads:\n  - id: chat\n    name: Chat\n    description: The bot.\n"
            "    answers: {requests_per_day: 50, quality_importance: 4}\n"
            "    choice: {option: api-co/big-closed, decided_by: Jo}\n"
            "policy: {max_rank: 2}\n"
        }
    )
    loaded = read_decision_seed(Path("d.yaml"), criteria)
    assert loaded.header == ["# Our decision"]
    assert loaded.extras == {"method": "topsis", "policy": {"max_rank": 2}}
    assert loaded.description == "A bot."
    assert loaded.workload_extras["chat"]["choice"] == {"option": "api-co/big-closed", "decided_by": "Jo"}  # fmt: skip
    flow = Flow(criteria, defaults=loaded.seed)
    flow.fill_defaults()
    data = decision_data(flow, extras=loaded.extras, description=loaded.description,
                         workload_extras=loaded.workload_extras)  # fmt: skip
    decision = Decision.model_validate(data)
    assert decision.method == "topsis" and decision.policy.max_rank == 2
    assert decision.workloads[0].choice.option == "api-co/big-closed"
    # Kept: with one workload, an importance is written with the project's answers.
    assert decision.answers["quality_importance"] == 4
    assert decision.answers["cost_importance"] == 5
    text = render_decision(data, criteria, target=Path("d.yaml"), as_of=__import__("datetime").date(2026, 11, 28), header=loaded.header)  # fmt: skip
    assert text.splitlines()[:2] == [
        "# yaml-language-server: $schema=llm-decision.schema.json",
        "# For completion in your editor: llmchoose schema decision -o llm-decision.schema.json",
    ]
    assert "# Our decision" in text


def test_the_written_file_reads_back_as_the_answers_with_a_comment_per_factor(small):
    import datetime as dt

    flow = start(small)
    flow.answer("batch")
    flow.answer("chat")
    flow.fill_defaults()
    data = decision_data(flow)
    text = render_decision(data, small, target=Path("out/x.yaml"), as_of=dt.date(2026, 11, 28))
    assert parse_yaml(text) == data
    lines = text.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=llm-decision.schema.json"
    assert lines[1].endswith("llmchoose schema decision -o out/llm-decision.schema.json")
    assert "Written by `llmchoose init` on 2026-11-28" in lines[2]
    assert "  # Usage" in lines and "  # Safety" in lines
    assert "      # Usage" in lines  # inside a workload's answers


# ---------------------------------------------------------------------------- plain prompts


def test_plain_prompts_ask_again_with_the_reason(small):
    from llmchoose.cli.init_prompts import PlainAsker

    flow = start(small, "Main")
    out = io.StringIO()
    asker = PlainAsker("x.yaml", stdin=io.StringIO("3\nbatch\n"), stream=out)
    step = flow.current()
    raw = asker.ask(step, lambda r: flow.check(step, r))
    assert raw == "batch"
    text = out.getvalue()
    assert "  1. A person, watching" in text and "  2. Nobody, it runs overnight" in text
    assert "  ! '3' is not one of the numbers 1 to 2" in text
    assert "factor 1 of 2" in text

    flow.answer(raw)
    flow.back()
    flow.answer("chat")
    step = flow.current()
    assert step.key == "max_wait@main"
    out = io.StringIO()
    asker = PlainAsker("x.yaml", stdin=io.StringIO("99\nsoon\n<\n"), stream=out)
    assert asker.ask(step, lambda r: flow.check(step, r)) is BACK
    assert "  ! must be at most 60 seconds" in out.getvalue()
    assert "  ! expected a number, got 'soon'" in out.getvalue()


def test_plain_prompts_tick_several_and_review_by_number(small):
    from llmchoose.cli.init_prompts import PlainAsker

    flow = Flow(small)
    flow.fill_defaults()
    flow.goto("rules")
    step = flow.current()
    asker = PlainAsker("x.yaml", stdin=io.StringIO("1, 3\n"), stream=io.StringIO())
    raw = asker.ask(step, lambda r: flow.check(step, r))
    assert flow.check(step, raw) == ["hipaa", "soc2"]
    flow.answer(raw)
    out = io.StringIO()
    asker = PlainAsker("x.yaml", stdin=io.StringIO("x\n4\n"), stream=out)
    choice = asker.review(flow)
    # By default only the changed answers are numbered: after the project's three, rules.
    assert choice.action == "edit" and choice.key == "rules"
    assert "HIPAA; SOC 2" in out.getvalue()
    assert "defaults kept" in out.getvalue() and "a shows every answer" in out.getvalue()
    out = io.StringIO()
    asker = PlainAsker("x.yaml", stdin=io.StringIO("a\n4\n"), stream=out)
    choice = asker.review(flow)
    assert choice.action == "edit" and choice.key == "mode@main"
    assert "c shows only the changed answers" in out.getvalue()
    with pytest.raises(EOFError):
        PlainAsker("x.yaml", stdin=io.StringIO(""), stream=io.StringIO()).review(flow)
