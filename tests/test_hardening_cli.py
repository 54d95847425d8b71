"""Regression tests for the hardening issue: each bad input ends in one clear message
and exit code 2 (never a traceback), and every file a command writes loads again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from llmchoose.loading.criteria import load_criteria
from llmchoose.loading.decision import load_decision

DECISION = """\
version: 1
project:
  name: Hardening test
workloads:
  - id: chat
    name: Chat
    answers:
      data_sensitivity: public
      requests_per_day: 2000
"""


@pytest.fixture
def decision(tmp_path, fixture_kb) -> Path:
    path = tmp_path / "d.yaml"
    path.write_text(DECISION, encoding="utf-8")
    return path


# --- 1. a successful write always reads back -----------------------------------------


def test_decide_with_invalid_utf8_name_is_refused_before_writing(run_cli, decision):
    code, _, err = run_cli("decide", str(decision), "--by", "x\udcffy", "-o", "out.yaml")
    assert code == 2
    assert "is not valid UTF-8 text" in err and "\\xff" in err
    assert not Path("out.yaml").exists()


def test_decide_with_a_rationale_over_the_limit_writes_nothing(run_cli, decision):
    code, _, err = run_cli("decide", str(decision), "--rationale", "x" * 5000)
    assert code == 2
    assert "would not load again" in err
    assert "at most 4000 characters" in err
    assert decision.read_text(encoding="utf-8") == DECISION


def test_decide_with_a_long_but_valid_rationale_loads_again(run_cli, decision):
    code, _, _ = run_cli("decide", str(decision), "--rationale", "y" * 4000)
    assert code == 0
    loaded = load_decision(decision, load_criteria())
    assert loaded.workloads[0].choice.rationale == "y" * 4000


# --- 4. output paths -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setup", "target", "expected"),
    [
        ("file", "afile/out.json", "is a file, not a folder"),
        ("dir", "somedir", "found a folder"),
        (None, "/proc/llmchoose-none/x.json", "cannot create the folder"),
    ],
)
def test_schema_output_path_problems_are_input_errors(run_cli, tmp_path, setup, target, expected):
    if setup == "file":
        (tmp_path / "afile").write_text("x")
    elif setup == "dir":
        (tmp_path / "somedir").mkdir()
    code, _, err = run_cli("schema", "knowledge", "-o", target)
    assert code == 2
    assert expected in err
    assert "Traceback" not in err


def test_report_into_a_file_as_folder_is_an_input_error(run_cli, decision, tmp_path):
    (tmp_path / "afile").write_text("x")
    code, _, err = run_cli("report", str(decision), "-o", "afile/r.md")
    assert code == 2
    assert "afile is a file, not a folder" in err


def test_schema_through_a_symlink_writes_the_target(run_cli, tmp_path):
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "real.json")
    code, _, _ = run_cli("schema", "decision", "-o", str(link))
    assert code == 0
    assert link.is_symlink()
    assert json.loads((tmp_path / "real.json").read_text())["title"]


# --- 9. a terminal that cannot show every character ------------------------------------


def _cli(*args: str, env: dict | None = None, timeout: float = 60, **kwargs):
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "llmchoose", *args],
        capture_output=True,
        env=full_env,
        timeout=timeout,
        **kwargs,
    )


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_ascii_only_output_does_not_crash(fmt, fixture_kb):
    done = _cli("kb", "list", "-f", fmt, env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0, done.stderr.decode()
    done.stdout.decode("ascii")  # nothing outside ASCII reached the stream
    if fmt == "json":
        assert isinstance(json.loads(done.stdout), list)


# --- 10. Ctrl-C ------------------------------------------------------------------------


_NAP = """
import sys, time
import llmchoose.cli.app as cli

@cli.app.command("nap")
def nap():
    print("ready", flush=True)
    time.sleep(60)

cli.main(["nap"])
"""


def test_sigint_exits_130_with_a_message():
    process = subprocess.Popen(
        [sys.executable, "-c", _NAP], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout.readline() == b"ready\n"
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert err.strip() == b"Interrupted."


# --- 2. data is never markup -------------------------------------------------------------

MARKUP_KB = """\
sources:
  - id: mk-src
    title: "Source [/bold] title"
    url: https://example.com/x
providers:
  - id: mk-prov
    name: "Prov [/] name"
    vendor: "Ven [/bold]"
    kind: reseller
    regions: [us]
    source: mk-src
    as_of: 2026-11-20
models:
  - id: mk-model
    name: "Model [/bold] [red]name"
    vendor: "V [/]"
    family: mk
    open_weights: false
    licence: {id: proprietary, commercial_use: true}
    source: mk-src
    as_of: 2026-11-20
offerings:
  - id: mk-prov/mk-model
    provider: mk-prov
    model: mk-model
    price: {input: 0.01, output: 0.02}
    regions: [us]
    source: mk-src
    as_of: 2026-11-20
"""


@pytest.fixture
def markup_kb(tmp_path) -> Path:
    folder = tmp_path / "markup"
    folder.mkdir()
    (folder / "m.yaml").write_text(MARKUP_KB, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["kb", "show", "mk-model"], "Model [/bold] [red]name"),
        (["kb", "show", "mk-prov"], "Prov [/] name"),
        (["kb", "show", "mk-src"], "Source [/bold] title"),
        (["kb", "list"], "Model [/bold]"),
    ],
)
def test_brackets_in_knowledge_names_are_shown_as_written(
    run_cli, fixture_kb, markup_kb, args, shown
):
    code, out, err = run_cli(*args, "--kb", str(markup_kb))
    assert code == 0, err
    assert shown in out


def test_kb_diff_shows_brackets_as_written(run_cli, tmp_path, markup_kb):
    (tmp_path / "empty").mkdir()
    code, out, err = run_cli("kb", "diff", str(tmp_path / "empty"), str(markup_kb))
    assert code == 0, err
    assert "mk-prov" in out


def test_brackets_in_project_and_workload_names_are_shown_as_written(
    run_cli, tmp_path, fixture_kb, markup_kb
):
    path = tmp_path / "m.yaml"
    path.write_text(
        DECISION.replace("name: Hardening test", 'name: "Acme [/] [/bold] chat"').replace(
            "name: Chat", 'name: "Chat [/bold]"'
        ),
        encoding="utf-8",
    )
    code, out, err = run_cli("recommend", str(path), "--kb", str(markup_kb))
    assert code == 0, err
    assert "Acme [/] [/bold] chat" in out
    assert "Chat [/bold]" in out


def test_control_characters_in_messages_are_shown_as_escapes(run_cli, fixture_kb):
    code, _, err = run_cli("cost", "evil\x1b[2Jid")
    assert code == 2
    assert "\x1b" not in err
    assert "evil\\x1b[2Jid" in err


# --- 7. only regular files are read --------------------------------------------------------


def test_fifo_or_device_as_decision_file_is_refused(run_cli, tmp_path, fixture_kb):
    fifo = tmp_path / "d.yaml"
    os.mkfifo(fifo)
    for path in (str(fifo), "/dev/zero"):
        code, _, err = run_cli("recommend", path)
        assert code == 2
        assert "found a device, pipe or socket" in err


def test_fifo_template_and_device_logo_are_refused(run_cli, decision, tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    os.mkfifo(folder / "report.md.j2")
    code, _, err = run_cli("report", str(decision), "--template-dir", str(folder))
    assert code == 2
    assert "template report.md.j2 is not a regular file" in err
    brand = tmp_path / "brand.yaml"
    brand.write_text("logo: /dev/zero\n", encoding="utf-8")
    code, _, err = run_cli("report", str(decision), "--brand", str(brand), "-f", "html")
    assert code == 2
    assert "brand.yaml:1: logo: expected an image file, found a device or pipe" in err


# --- 4. output folders of kb import ----------------------------------------------------


@pytest.fixture
def import_cli(run_cli, fixture_kb):
    pytest.importorskip("genai_prices")
    return run_cli


def test_kb_import_into_a_file_as_folder_is_an_input_error(import_cli, tmp_path):
    (tmp_path / "afile").write_text("x")
    code, _, err = import_cli(
        "kb", "import", "genai-prices", "--only", "openrouter", "-o", "afile/x"
    )
    assert code == 2
    assert "afile is a file, not a folder" in err


def test_kb_import_through_a_symlinked_folder_keeps_the_link(import_cli, tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    code, _, err = import_cli("kb", "import", "genai-prices", "--only", "openrouter", "-o", "link")
    assert code == 0, err
    assert (tmp_path / "link").is_symlink()
    assert (tmp_path / "real" / "openrouter.yaml").is_file()


def test_the_command_gives_a_caller_its_garbage_collector_back(run_cli):
    """Commands run with the cycle collector off (short processes); a program that calls
    the entry point in its own process keeps its collector."""
    import gc

    from llmchoose.cli import main

    assert gc.isenabled()
    with pytest.raises(SystemExit):
        main(["kb", "list", "--format", "json"])
    assert gc.isenabled()


def test_only_the_named_command_is_built_yet_help_and_typos_see_them_all(run_cli):
    from llmchoose.cli.app import app

    commands, groups = list(app.registered_commands), list(app.registered_groups)
    code, out, _ = run_cli("kb", "list", "--format", "json")
    assert code == 0 and out.strip()
    assert app.registered_commands == commands and app.registered_groups == groups
    code, _, err = run_cli("recomend", "x.yaml")
    assert code == 2 and "Did you mean 'recommend'" in err
    code, out, _ = run_cli("--help")
    assert code == 0
    assert all(name in out for name in ("init", "recommend", "check", "report", "kb"))
