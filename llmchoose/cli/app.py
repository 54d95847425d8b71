"""The typer application: every command registered, and the one error handler.

Every :class:`~llmchoose.errors.LlmchooseError` ends here as one message on stderr
and exit code 2; nothing below this layer prints.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from llmchoose import __version__
from llmchoose.cli import check_cmd, commands, init_cmd, kb, probe_cmd, report_cmd, schema
from llmchoose.errors import EXIT_INPUT, EXIT_INTERRUPTED, InputError, LlmchooseError

__all__ = ["app", "main"]

app = typer.Typer(
    name="llmchoose",
    help="Choose how to put an LLM into production, and keep that decision honest.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help text: rich-formatted help costs ~150 ms of imports on every --help.
    rich_markup_mode=None,
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


# Every command module adds its commands the same way, in the order --help lists them.
for module in (init_cmd, commands, check_cmd, report_cmd, probe_cmd, schema, kb):
    module.register(app)


def _usage_errors() -> tuple[type[BaseException], ...]:
    """Click's usage errors: typer vendors its own click in newer releases."""
    found: list[type[BaseException]] = []
    for module, name in (("typer", "TyperException"), ("click", "ClickException")):
        try:
            found.append(getattr(__import__(module), name))
        except (ImportError, AttributeError):
            continue
    return tuple(found)


class _Interrupts:
    """Remembers a Ctrl-C: typer turns KeyboardInterrupt into a silent exit code 130."""

    seen = False

    @classmethod
    def handler(cls, signum, frame) -> None:
        cls.seen = True
        raise KeyboardInterrupt


def _encodable_streams() -> None:
    """Never crash on a terminal that cannot show a character (PYTHONIOENCODING=ascii):
    write it as a backslash escape, which JSON output also reads as the same text."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if reconfigure is not None and encoding not in ("utf8", "utf_8"):
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                continue


def _check_arguments(args: list[str]) -> None:
    """Refuse an argument that is not valid UTF-8 text before it reaches a file."""
    for number, arg in enumerate(args, start=1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            shown = os.fsencode(arg).decode("ascii", "backslashreplace")
            raise InputError(
                f"argument {number} ({shown}) is not valid UTF-8 text",
                hint="check the terminal's or the script's encoding",
            ) from None


@contextmanager
def _only_the_named_command(args: list[str]) -> Iterator[None]:
    """Typer builds the click form of every command on each run (signatures, options,
    help: ~13 ms) although one runs. When the first argument names a command or group,
    only that one is built; anything else (help, a typo, an option) sees them all."""
    name = args[0] if args else None
    commands = [c for c in app.registered_commands if c.name == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        yield
        return
    everything = app.registered_commands, app.registered_groups
    app.registered_commands, app.registered_groups = commands, groups
    try:
        yield
    finally:
        app.registered_commands, app.registered_groups = everything


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app and turn user errors into one clear message."""
    import signal

    from llmchoose.cli.output import print_error

    _encodable_streams()
    _Interrupts.seen = False
    previous = None
    # Not on another thread (embedded use), nor where Ctrl-C is ignored (a background job).
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        try:
            previous = signal.signal(signal.SIGINT, _Interrupts.handler)
        except ValueError:
            previous = None
    try:
        _check_arguments(sys.argv[1:] if argv is None else argv)
        # Without standalone mode click returns the exit code of typer.Exit instead of
        # exiting, and lets every other exception through to the handlers below.
        with _only_the_named_command(sys.argv[1:] if argv is None else argv):
            code = app(args=argv, standalone_mode=False)
    except LlmchooseError as exc:
        print_error(exc)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    except OSError as exc:
        # The file system refused something the checks above it did not foresee (a name
        # too long, a full disk): still one message, never a traceback.
        print_error(InputError(exc.strerror or str(exc), file=exc.filename))
        sys.exit(EXIT_INPUT)
    except typer.Abort:
        print("Aborted.", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    except _usage_errors() as exc:
        show = getattr(exc, "show", None)
        if show is None:
            raise
        import io

        from llmchoose.loading.safetext import plain_safe

        shown = io.StringIO()
        show(file=shown)  # then made safe: the message may quote a hostile argument
        sys.stderr.write(plain_safe(shown.getvalue()))
        sys.exit(EXIT_INPUT)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    if code == EXIT_INTERRUPTED and _Interrupts.seen:
        print("\nInterrupted.", file=sys.stderr)
    sys.exit(code if isinstance(code, int) else 0)
