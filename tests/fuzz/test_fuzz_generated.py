"""Every command on generated hostile input: never a traceback, an unexpected exit code,
a file that does not load again, a raw control character or a hang (see fuzzhelp).

Two profiles: a quick one in every test run (a few hundred runs, derandomized so a test
run is reproducible: each generated document goes through every command), and a long
one, ``pytest -m fuzz`` (100,000 examples in all by default, one command each;
LLMCHOOSE_FUZZ_EXAMPLES sets another total). See docs/fuzz.md.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
import strategies as fz
from fuzzhelp import VALID_DECISION, check, prepare, run
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

FIXTURE_KB = Path(__file__).resolve().parent.parent / "data" / "kb"
LONG_TOTAL = int(os.environ.get("LLMCHOOSE_FUZZ_EXAMPLES", "100000"))
# Quick profile: documents run through every command (13 runs each), and command lines.
QUICK_DOCUMENTS = 24
QUICK_COMMAND_LINES = 150


def _profile(examples: int, *, quick: bool):
    # The quick profile reports a failing example as found: shrinking one that runs
    # thirteen commands can take minutes. The long profile shrinks.
    phases = [Phase.explicit, Phase.reuse, Phase.generate]
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=quick,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=phases if quick else [*phases, Phase.shrink],
        print_blob=not quick,
    )


@pytest.fixture(autouse=True)
def _small_kb(monkeypatch):
    # The small test knowledge base keeps each run fast; the hostile part is the input.
    monkeypatch.setenv("LLMCHOOSE_KNOWLEDGE_DIR", str(FIXTURE_KB))
    monkeypatch.setenv("LLMCHOOSE_DECIDED_BY", "Fuzz")


@contextmanager
def _workdir():
    back = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="llmchoose-fuzz-") as tmp:
        root = Path(tmp)
        os.chdir(root)
        try:
            prepare(root)
            yield root
        finally:
            os.chdir(back)


# --- decision files -------------------------------------------------------------------

DECISION_COMMANDS = [
    ["recommend", "input.yaml", "--samples", "20"],
    ["recommend", "input.yaml", "--samples", "20", "-f", "json"],
    ["check", "input.yaml"],
    ["check", "input.yaml", "-f", "junit", "-o", "x.xml"],
    ["check", "input.yaml", "-f", "sarif", "-o", "x.sarif"],
    ["check", "input.yaml", "-f", "github"],
    ["decide", "input.yaml", "-o", "out.yaml"],
    ["decide", "input.yaml"],
    ["adr", "input.yaml", "-o", "adr.md"],
    ["report", "input.yaml", "--samples", "20", "-o", "r.md"],
    ["report", "input.yaml", "--samples", "20", "-f", "html", "-o", "r.html"],
    ["report", "input.yaml", "--samples", "20", "-f", "json", "-o", "r.json"],
    ["init", "--defaults", "--no-record", "--answers", "input.yaml", "-o", "new.yaml"],
]


def _decision_property(examples: int, *, quick: bool):
    # Quick: every command on each document. Long: one command per example, drawn.
    commands = (
        st.just(DECISION_COMMANDS)
        if quick
        else st.sampled_from(DECISION_COMMANDS).map(lambda c: [c])
    )

    @_profile(examples, quick=quick)
    @given(text=fz.yaml_text(fz.with_hostile_values(fz.decision_data())), batch=commands)
    def prop(text, batch):
        for args in batch:
            with _workdir() as root:
                (root / "input.yaml").write_text(text, encoding="utf-8")
                check(run(args, root))

    return prop


def test_generated_decision_files():
    _decision_property(QUICK_DOCUMENTS, quick=True)()


@pytest.mark.fuzz
def test_generated_decision_files_long():
    _decision_property(LONG_TOTAL * 4 // 10, quick=False)()


# --- knowledge overlays ---------------------------------------------------------------

OVERLAY_COMMANDS = [
    ["kb", "validate", "--kb", "ov"],
    ["kb", "list", "--kb", "ov"],
    ["kb", "list", "--kind", "providers", "--kb", "ov"],
    ["kb", "show", "fz-model", "--kb", "ov"],
    ["kb", "show", "fz-prov", "--kb", "ov", "-f", "json"],
    ["kb", "stale", "--kb", "ov"],
    ["kb", "diff", "somedir", "ov"],
    ["recommend", "valid.yaml", "--kb", "ov", "--samples", "20"],
    ["cost", "fz-prov/fz-model", "--kb", "ov", "-f", "json"],
    ["cost", "--kb", "ov"],
    ["check", "valid.yaml", "--kb", "ov", "-f", "junit", "-o", "x.xml"],
    ["decide", "valid.yaml", "--kb", "ov", "-o", "out.yaml"],
    ["report", "valid.yaml", "--kb", "ov", "--samples", "20", "-f", "html", "-o", "r.html"],
]


def _overlay_property(examples: int, *, quick: bool):
    commands = (
        st.just(OVERLAY_COMMANDS) if quick else st.sampled_from(OVERLAY_COMMANDS).map(lambda c: [c])
    )

    @_profile(examples, quick=quick)
    @given(text=fz.yaml_text(fz.with_hostile_values(fz.overlay_data())), batch=commands)
    def prop(text, batch):
        for args in batch:
            with _workdir() as root:
                (root / "ov").mkdir()
                (root / "ov" / "extra.yaml").write_text(text, encoding="utf-8")
                check(run(args, root))

    return prop


def test_generated_knowledge_overlays():
    _overlay_property(QUICK_DOCUMENTS // 2, quick=True)()


@pytest.mark.fuzz
def test_generated_knowledge_overlays_long():
    _overlay_property(LONG_TOTAL * 2 // 10, quick=False)()


# --- command lines --------------------------------------------------------------------


def _arguments_property(examples: int, *, quick: bool):
    @_profile(examples, quick=quick)
    @given(args=fz.command_line())
    def prop(args):
        with _workdir() as root:
            (root / "input.yaml").write_text(VALID_DECISION, encoding="utf-8")
            check(run(args, root))

    return prop


def test_generated_command_lines():
    _arguments_property(QUICK_COMMAND_LINES, quick=True)()


@pytest.mark.fuzz
def test_generated_command_lines_long():
    _arguments_property(LONG_TOTAL * 4 // 10, quick=False)()
