"""Write docs/cli.md from the command line's own --help texts.

Run: python scripts/cli_docs.py          (rewrites docs/cli.md)
     python scripts/cli_docs.py --check  (exit 1 when docs/cli.md is out of date)

tests/test_docs.py runs the check, so the reference never drifts from the commands.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET = REPO / "docs" / "cli.md"

HEADER = """# Command-line reference

Generated from `--help` by `python scripts/cli_docs.py`; do not edit by hand.
"""


def _commands(command, path: list[str]):
    """(path, click command) for the command and every subcommand, depth first."""
    yield path, command
    for name in sorted(getattr(command, "commands", {}) or {}):
        sub = command.commands[name]
        if not getattr(sub, "hidden", False):
            yield from _commands(sub, [*path, name])


def help_text(path: list[str]) -> str:
    """What `llmchoose PATH --help` prints, at a fixed width."""
    from typer.testing import CliRunner

    from llmchoose.cli.app import app

    done = CliRunner().invoke(
        app, [*path, "--help"], prog_name="llmchoose", terminal_width=88, env={"COLUMNS": "88"}
    )
    if done.exit_code != 0:
        raise SystemExit(f"llmchoose {' '.join(path)} --help failed: {done.output}")
    return done.output.rstrip() + "\n"


def render() -> str:
    import typer

    from llmchoose.cli.app import app

    root = typer.main.get_command(app)
    parts = [HEADER]
    for path, _ in _commands(root, []):
        title = " ".join(["llmchoose", *path])
        parts.append(f"\n## {title}\n\n```text\n{help_text(path)}```\n")
    return "".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args()
    text = render()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET.relative_to(REPO)} is out of date: run python scripts/cli_docs.py")
            sys.exit(1)
        return
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(REPO)}")


if __name__ == "__main__":
    main()
