"""The documentation keeps up with the code: the command-line reference lists every
command and option, and the Python examples run."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CLI_DOCS = REPO / "docs" / "cli.md"


def _commands_and_options() -> list[tuple[str, list[str]]]:
    import typer

    from llmchoose.cli.app import app

    found: list[tuple[str, list[str]]] = []

    def walk(command, path: list[str]) -> None:
        options = [
            opt for p in command.params for opt in getattr(p, "opts", []) if opt.startswith("-")
        ]
        found.append((" ".join(["llmchoose", *path]), options))
        for name, sub in sorted((getattr(command, "commands", None) or {}).items()):
            if not sub.hidden:
                walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return found


def test_every_command_and_option_is_in_the_cli_reference():
    text = CLI_DOCS.read_text(encoding="utf-8")
    sections = dict(re.findall(r"^## (llmchoose[^\n]*)\n(.*?)(?=^## |\Z)", text, re.S | re.M))
    missing = []
    for title, options in _commands_and_options():
        if title not in sections:
            missing.append(title)
            continue
        missing += [f"{title} {opt}" for opt in options if opt not in sections[title]]
    assert not missing, "not in docs/cli.md (run python scripts/cli_docs.py): " + ", ".join(missing)


def test_the_cli_reference_is_what_the_generator_writes(monkeypatch):
    monkeypatch.syspath_prepend(str(REPO / "scripts"))
    import cli_docs

    assert cli_docs.render() == CLI_DOCS.read_text(encoding="utf-8"), (
        "docs/cli.md is out of date: run python scripts/cli_docs.py"
    )


def _python_blocks(path: Path) -> str:
    return "\n".join(re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), re.S))


def test_the_python_api_examples_run(monkeypatch, tmp_path, capsys):
    code = _python_blocks(REPO / "docs" / "python-api.md")
    assert "recommend(" in code and "make_report(" in code
    script = tmp_path / "python_api_examples.py"
    script.write_text(code, encoding="utf-8")
    monkeypatch.chdir(REPO)
    runpy.run_path(str(script), run_name="__main__")
    out = capsys.readouterr().out
    assert "Customer support chat ->" in out
    assert "file not found" in out


@pytest.mark.parametrize(
    "name",
    [
        "recommend",
        "load_catalog",
        "load_criteria",
        "load_decision",
        "check",
        "decide",
        "make_report",
    ],
)
def test_the_package_root_exports_the_public_api(name):
    import llmchoose

    assert name in llmchoose.__all__
    assert callable(getattr(llmchoose, name))
