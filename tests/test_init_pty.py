"""`llmchoose init` driven through a real pseudo-terminal, as a person would: arrow
keys, typed numbers, going back, changing an answer from the summary, Ctrl-C and
--resume, and the refusal to wait when there is no terminal.

Each run waits for what the program prints — never for a fixed time — with generous
timeouts, so a slow two-core CI machine only makes the tests slower.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

if sys.platform == "win32":  # pragma: no cover
    pytest.skip("pseudo-terminals need a POSIX system", allow_module_level=True)
pexpect = pytest.importorskip("pexpect")

REPO = Path(__file__).resolve().parent.parent
KB = REPO / "tests" / "data" / "kb"
TIMEOUT = 60  # seconds per wait; a run takes a few seconds on a laptop
AS_OF = ["--as-of", "2026-11-28"]

UP, DOWN, LEFT = "\x1b[A", "\x1b[B", "\x1b[D"
CTRL_B, CTRL_U = "\x02", "\x15"


def command() -> list[str]:
    """`python -m llmchoose`, as a user runs it."""
    return [sys.executable, "-m", "llmchoose"]


def environment(home: Path, term: str = "xterm") -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TERM": term,
        "NO_COLOR": "1",
        # No cursor-position requests: a pty with nobody to answer them only adds waits.
        "PROMPT_TOOLKIT_NO_CPR": "1",
        "PYTHONPATH": str(REPO),
        "LLMCHOOSE_KNOWLEDGE_DIR": str(KB),
        "LLMCHOOSE_DECIDED_BY": "ci",
    }


class Terminal:
    """One `llmchoose init` run in a 50×220 pseudo-terminal."""

    def __init__(self, cwd: Path, *args: str, term: str = "xterm") -> None:
        cmd = command()
        self.child = pexpect.spawn(
            cmd[0],
            [*cmd[1:], "init", *args],
            cwd=str(cwd),
            env=environment(cwd / "home", term),
            dimensions=(50, 220),
            encoding="utf-8",
            codec_errors="replace",
            timeout=TIMEOUT,
        )
        self.transcript: list[str] = []

    def expect(self, pattern) -> int:
        index = self.child.expect(pattern)
        self.transcript.append(self.child.before + (self.child.after if isinstance(self.child.after, str) else ""))  # fmt: skip
        return index

    def next_step(self) -> str | None:
        """Wait for the next question, ready for keys; return where its answer goes
        (``requests_per_day@support-chat``), or None at the summary."""
        index = self.expect([r"saved as ([\w.]+)(?: for ([\w.-]+))?[\x1b\r\n]", r"What next\?"])
        if index == 1:
            self.expect(r"then Enter\)")
            return None
        key, workload = self.child.match.group(1), self.child.match.group(2)
        self.expect(r"back\)")  # the prompt is drawn: the terminal is in raw mode
        return f"{key}@{workload}" if workload else key

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def menu(self, question: str) -> None:
        """Wait for a menu after the questions (draft, record the choice …)."""
        self.expect(re.escape(question))
        self.expect(r"then Enter\)")

    def finish(self) -> int:
        self.expect(pexpect.EOF)
        self.child.close()
        return self.child.exitstatus

    @property
    def output(self) -> str:
        return "".join(self.transcript)

    def close(self) -> None:
        if self.child.isalive():
            self.child.close(force=True)


@pytest.fixture
def terminal(tmp_path):
    started: list[Terminal] = []

    def start(*args: str, term: str = "xterm") -> Terminal:
        run = Terminal(tmp_path, *args, *AS_OF, term=term)
        started.append(run)
        return run

    yield start
    for run in started:
        run.close()


def enter_until(run: Terminal, stop: str | None = None) -> list[str]:
    """Press Enter on every question up to ``stop`` (or the summary); return the keys seen."""
    seen = []
    while True:
        key = run.next_step()
        if key is None or key == stop:
            if key is not None:
                seen.append(key)
            return seen
        seen.append(key)
        run.send("\r")


def recommends(path: Path):
    """The decision file loads, and ranks options for each workload."""
    from llmchoose.engine.recommend import recommend
    from llmchoose.loading.criteria import load_criteria
    from llmchoose.loading.decision import load_decision
    from llmchoose.loading.knowledge import load_catalog

    criteria = load_criteria()
    decision = load_decision(path, criteria)
    rec = recommend(decision, load_catalog(), criteria, as_of=dt.date(2026, 11, 28), samples=20)
    assert all(w.ranked for w in rec.workloads)
    return decision


def test_a_full_run_with_arrow_keys_and_typed_numbers(terminal, tmp_path, fixture_kb):
    run = terminal()
    assert run.next_step() == "project.name"
    run.send("Acme bot\r")
    assert run.next_step() == "project.organisation"
    run.send("Acme Ltd\r")
    assert run.next_step() == "workloads"
    run.send("Support chat, Contract review\r")

    assert run.next_step() == "data_sensitivity@support-chat"
    run.send("\r")  # internal, the default
    assert run.next_step() == "data_sensitivity@contract-review"
    assert "Offered: same as Support chat." in run.output
    run.send(DOWN + "\r")  # confidential
    assert run.next_step() == "data_location@support-chat"
    run.send("\r")
    assert run.next_step() == "data_location@contract-review"
    run.send("\r")
    assert run.next_step() == "allow_provider_retention@support-chat"
    run.send("n\r")
    assert run.next_step() == "allow_provider_retention@contract-review"
    run.send("\r")  # same as Support chat
    assert run.next_step() == "privacy_preferred@support-chat"
    run.send("\r")
    assert run.next_step() == "privacy_preferred@contract-review"
    run.send("\r")
    assert run.next_step() == "privacy_importance@support-chat"
    assert "from this workload's data sensitivity: internal" in run.output
    run.send("5\r")  # the shortcut key picks "5 — decisive"
    assert run.next_step() == "privacy_importance@contract-review"
    run.send("5\r")
    assert run.next_step() == "regulations@support-chat"
    assert "Compliance and licensing" in run.output and "factor 2 of 10" in run.output
    run.send(DOWN * 3 + " " + "\r")  # tick SOC 2
    assert run.next_step() == "regulations@contract-review"
    run.send("\r")  # same as Support chat
    enter_until(run, stop="requests_per_day@support-chat")
    run.send("lots\r")
    run.expect("Expected a number, got 'lots'")
    run.send(CTRL_U + "2,500\r")
    assert run.next_step() == "requests_per_day@contract-review"
    run.send(CTRL_U + "2000000000\r")
    run.expect("Must be at most 1,000,000,000 requests per day")
    run.send(CTRL_U + "150\r")
    enter_until(run)  # to the summary
    run.expect("Save to llm-decision.yaml")
    run.send("\r")
    run.menu("Record the choice?")
    run.send("\r")  # the top option of each workload
    run.expect("Who decides")
    run.send("Platform team\r")
    assert run.finish() == 0
    out = run.output
    assert "Support chat: " in out and "Contract review: " in out
    assert "  1. " in out and "ruled out by your requirements" in out
    # A number kept with Enter alone is echoed (the prompt itself shows nothing).
    assert re.search(r"→ [\d,.]+ [^\n]*\(default\)", out)
    assert f"Decision file: {(tmp_path / 'llm-decision.yaml').as_posix()}" in out

    path = tmp_path / "llm-decision.yaml"
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")
    decision = recommends(path)
    assert decision.project.name == "Acme bot" and decision.project.organisation == "Acme Ltd"
    chat, review = decision.workloads
    assert (chat.id, review.id) == ("support-chat", "contract-review")
    assert chat.answers["data_sensitivity"] == "internal"
    assert review.answers["data_sensitivity"] == "confidential"
    assert chat.answers["requests_per_day"] == 2500 and review.answers["requests_per_day"] == 150
    assert decision.answers["allow_provider_retention"] is False
    assert decision.answers["privacy_importance"] == 5
    assert decision.answers["regulations"] == ["soc2"]
    assert chat.choice is not None and chat.choice.decided_by == "Platform team"
    assert not (tmp_path / "llm-decision.yaml.draft").exists()


def test_going_back_and_changing_an_answer_from_the_summary(terminal, tmp_path, fixture_kb):
    run = terminal()
    enter_until(run, stop="data_sensitivity")
    run.send(DOWN + DOWN + "\r")  # regulated
    assert run.next_step() == "data_location"
    run.send(LEFT)  # ← goes back in a menu
    assert run.next_step() == "data_sensitivity"
    run.send(UP + UP + "\r")  # internal instead
    assert run.next_step() == "data_location"
    run.send(CTRL_B)  # Ctrl-B goes back too
    assert run.next_step() == "data_sensitivity"
    run.send("\r")  # keeps internal, the answer now offered
    assert run.next_step() == "data_location"
    run.send("\r")
    assert run.next_step() == "allow_provider_retention"
    run.send(CTRL_B)
    assert run.next_step() == "data_location"
    run.send(DOWN + DOWN + "\r")  # own infrastructure: the retention question goes away
    assert run.next_step() == "privacy_preferred"
    run.send("\r")
    assert run.next_step() == "privacy_importance"
    run.send("\r")
    enter_until(run)

    run.send(DOWN + "\r")  # Change an answer
    run.menu("Which answer?")
    run.send("average day")  # type to filter the list
    run.expect("How many model requests does this workload make on an average day")
    run.send("\r")
    assert run.next_step() == "requests_per_day"
    run.send("4000\r")
    assert run.next_step() is None  # back at the summary
    run.expect("Save to llm-decision.yaml")
    run.send("\r")
    run.menu("Record the choice?")
    run.send(DOWN + DOWN + "\r")  # not now
    assert run.finish() == 0
    assert "No choice recorded yet. Later: llmchoose decide llm-decision.yaml" in run.output

    decision = recommends(tmp_path / "llm-decision.yaml")
    answers = decision.workloads[0].answers
    assert answers["data_sensitivity"] == "internal"
    assert answers["data_location"] == "own-infrastructure"
    assert answers["requests_per_day"] == 4000
    assert "allow_provider_retention" not in decision.answers
    assert decision.workloads[0].choice is None


def test_ctrl_c_keeps_a_draft_and_resume_continues_it(terminal, tmp_path, fixture_kb):
    run = terminal()
    assert run.next_step() == "project.name"
    run.send("Resumed project\r")
    enter_until(run, stop="data_sensitivity")
    run.send(DOWN * 2 + "\r")  # regulated
    assert run.next_step() == "data_location"
    run.child.sendintr()
    assert run.finish() == 130
    assert (
        "Stopped. 4 answers kept in llm-decision.yaml.draft. Continue with: llmchoose init --resume"
    ) in run.output
    assert not (tmp_path / "llm-decision.yaml").exists()
    assert (tmp_path / "llm-decision.yaml.draft").exists()

    again = terminal("--resume")
    assert again.next_step() == "data_location"  # where it stopped
    assert "Continuing the draft saved" in again.output and "(4 answers)" in again.output
    again.send("\r")
    enter_until(again)
    again.send("\r")  # save
    again.menu("Record the choice?")
    again.send(DOWN + DOWN + "\r")  # not now
    assert again.finish() == 0
    decision = recommends(tmp_path / "llm-decision.yaml")
    assert decision.project.name == "Resumed project"
    assert decision.workloads[0].answers["data_sensitivity"] == "regulated"
    assert not (tmp_path / "llm-decision.yaml.draft").exists()


def test_answers_from_a_file_are_not_asked_again(terminal, tmp_path, fixture_kb):
    answers = REPO / "tests" / "data" / "init" / "team-answers.yaml"
    run = terminal("--answers", str(answers))
    # Project, workloads and both sensitivities are in the file: the first open question.
    assert run.next_step() == "data_location@support-chat"
    run.child.sendintr()
    assert run.finish() == 130
    assert (tmp_path / "llm-decision.yaml.draft").exists()


def test_a_draft_or_a_decision_already_there_is_not_lost_unasked(terminal, tmp_path, fixture_kb):
    decision = tmp_path / "llm-decision.yaml"
    decision.write_text("# not ours to lose\n", encoding="utf-8")
    draft = tmp_path / "llm-decision.yaml.draft"
    draft.write_text("draft: 1\nstate: {values: {':name': Kept}}\n", encoding="utf-8")
    run = terminal()
    run.menu("An unfinished run left a draft (1 answer, saved earlier). Continue it?")
    run.send(DOWN + DOWN + "\r")  # cancel
    assert run.finish() == 0
    assert draft.read_text(encoding="utf-8").endswith("Kept}}\n")

    draft.unlink()
    run = terminal()
    run.menu("llm-decision.yaml already exists. What should happen to it?")
    run.send(DOWN + DOWN + "\r")  # cancel
    assert run.finish() == 0
    assert decision.read_text(encoding="utf-8") == "# not ours to lose\n"


def test_plain_prompts_in_a_dumb_terminal(terminal, tmp_path, fixture_kb):
    run = terminal(term="dumb")
    seen = 0
    while True:
        index = run.expect([r"saved as ([\w.]+)[\x1b\r\n]", r"\[s\]: "])
        if index == 1:
            break
        key = run.child.match.group(1)
        run.expect(r"\]: ")
        seen += 1
        if key == "cost_importance":
            run.send("9\r")
            run.expect("'9' is not one of the numbers 1 to 5")
            run.send("4\r")
        else:
            run.send("\r")
    assert seen == 44
    run.send("s\r")
    run.expect(r"Number 1 to 3 \[1\]: ")  # record the choice?
    run.send("3\r")  # not now
    assert run.finish() == 0
    decision = recommends(tmp_path / "llm-decision.yaml")
    assert decision.answers["cost_importance"] == 4


def test_without_a_terminal_it_never_waits(tmp_path):
    # stdin is a pipe nobody writes to or closes: waiting for input would hang.
    proc = subprocess.Popen(
        [*command(), "init"],
        cwd=tmp_path,
        env=environment(tmp_path),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        proc.wait(timeout=TIMEOUT)  # stdin stays open: only a refusal ends the run
        out, err = proc.stdout.read(), proc.stderr.read()
    finally:
        proc.kill()
        proc.stdin.close()
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == 2
    assert out == ""
    assert "stdin is not a terminal; use --answers FILE" in err
    assert "--defaults" in err
    assert not (tmp_path / "llm-decision.yaml").exists()
