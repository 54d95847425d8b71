"""The `llmchoose` command line: thin commands over the core library.

Each command parses its options, calls one core function and renders the result.
Every :class:`~llmchoose.errors.LlmchooseError` ends here as one message on stderr
and exit code 2; nothing below this layer prints.
"""

from __future__ import annotations

import sys

import typer

from llmchoose import __version__
from llmchoose.cli import kb, schema
from llmchoose.cli.commands import register
from llmchoose.errors import EXIT_INPUT, EXIT_INTERRUPTED, LlmchooseError

__all__ = ["app", "main"]

app = typer.Typer(
    name="llmchoose",
    help="Choose how to put an LLM into production, and keep that decision honest.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"llmchoose {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Choose how to put an LLM into production, and keep that decision honest.

    Example: llmchoose recommend examples/startup-chatbot.yaml
    """


app.add_typer(kb.app, name="kb")
app.command("schema")(schema.schema_command)
register(app)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app and turn user errors into one clear message."""
    from llmchoose.cli.output import print_error

    try:
        app(args=argv, standalone_mode=False)
    except LlmchooseError as exc:
        print_error(exc)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        print("Aborted.", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # click's usage errors arrive here with standalone_mode off
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(EXIT_INPUT)
        raise
    sys.exit(0)
